"""The ``summitwatch`` command line, one module per command group (as Miniflux keeps one file
per command): ``root`` (the root group, global options, ``main``), ``lazy`` (importing a
command's module only when it runs), ``context`` (the resolved settings and database every
command starts from), and the command modules: ``pipeline_cmds``, ``classify``, ``digest``,
``serve``, ``review``, ``feeds``, ``countries``, ``recipients``, ``config_cmd``, ``db``,
``users`` and ``workers``. Typer commands live here and nowhere else in the package.
"""

from summitwatch.cli.root import main

__all__ = ["main"]
