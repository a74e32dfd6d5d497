"""The ``summitwatch`` root command: the table of sub-commands, the global options, ``main()``.

Global options (``--config``, ``--set key=value``) are resolved once into a ``Context`` (see
``summitwatch.cli.context``). Sub-commands are imported only when used (``summitwatch.cli.lazy``),
so this module imports nothing heavier than Typer: ``summitwatch --help`` starts in a blink.
Every error the user can fix (a bad setting, an unreadable file, a database that cannot be
reached) is printed by ``main()`` as one line and exits with 2; tracebacks are for bugs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from summitwatch.cli.lazy import LazyCommand, lazy_group

_PIPELINE = "summitwatch.cli.pipeline_cmds"
_WORKERS = "summitwatch.cli.workers"
# name, module, attribute, help: the help lines are the commands' own first docstring lines
# (tests/summitwatch/test_cli_docs.py holds them equal); the order is the --help order
COMMANDS = (
    LazyCommand(
        "review",
        "summitwatch.cli.review",
        "review",
        "Review flagged items in the terminal: y confirm, n reject, s skip, u undo, q quit.",
    ),
    LazyCommand(
        "collect", _PIPELINE, "collect", "Poll the feeds that are due and store new items."
    ),
    LazyCommand(
        "classify",
        "summitwatch.cli.classify",
        "classify",
        'Score text (argument, --file, or JSON Lines {"title","text"} on stdin), or stored items.',
    ),
    LazyCommand(
        "digest",
        "summitwatch.cli.digest_cmd",
        "digest",
        "Build and deliver email digests (default: --send).",
    ),
    LazyCommand(
        "run",
        _PIPELINE,
        "run",
        "Run the scheduled loop: poll due feeds, classify, send digests on schedule.",
    ),
    LazyCommand(
        "train",
        _PIPELINE,
        "train",
        "Train a model from seeds/, reviewers' decisions and --labels files.",
    ),
    LazyCommand(
        "evaluate",
        "summitwatch.cli.classify",
        "evaluate",
        "Score a labelled file with the current model (never trains on it).",
    ),
    LazyCommand("serve", "summitwatch.cli.serve", "serve", "Start the review web UI and JSON API."),
    LazyCommand(
        "demo",
        _PIPELINE,
        "demo",
        "Serve the bundled demo feeds on 127.0.0.1 and run one full cycle, offline.",
    ),
    LazyCommand(
        "worker",
        _WORKERS,
        "worker",
        "Run a procrastinate worker (workers mode): take jobs until stopped.",
    ),
    LazyCommand(
        "status",
        _WORKERS,
        "status",
        "Feeds due, jobs queued/running/failed, last digest per recipient, workers alive.",
    ),
    LazyCommand(
        "feeds", "summitwatch.cli.feeds", "feeds", "List, add, remove, import and export feeds."
    ),
    LazyCommand("countries", "summitwatch.cli.countries", "countries", "Watched countries."),
    LazyCommand("recipients", "summitwatch.cli.recipients", "recipients", "Digest recipients."),
    LazyCommand(
        "config", "summitwatch.cli.config_cmd", "config", "Show the effective configuration."
    ),
    LazyCommand("db", "summitwatch.cli.db", "db", "Database schema."),
    LazyCommand("users", "summitwatch.cli.users", "users", "Accounts for the review web UI."),
    LazyCommand("jobs", _WORKERS, "jobs", "The job queue of workers mode."),
)

# Tracebacks are for bugs; the errors a user can fix are caught in main() and printed as one line.
app = typer.Typer(
    cls=lazy_group(COMMANDS),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="SummitWatch: bilateral summits involving Central Asia, in your inbox.",
)


def package_version() -> str:
    # imported here: importlib.metadata costs 30 ms, a tenth of the --help budget
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("summitwatch")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"summitwatch {package_version()}")
        raise typer.Exit()


def parse_sets(values: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` options as a mapping; the keys are checked by the caller."""
    from summitwatch.settings import SettingsError

    out: dict[str, Any] = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep:
            raise SettingsError(
                f"--set {value!r}: expected KEY=VALUE, e.g. classifier.threshold=0.6"
            )
        out[key.strip()] = raw
    return out


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="TOML configuration file.")] = None,
    set_: Annotated[list[str], typer.Option("--set", help="Override a setting: KEY=VALUE.")] = [],  # noqa: B006
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    # imported here, not at the top: this runs only when a sub-command runs, never for --help
    from summitwatch.cli.context import Context
    from summitwatch.settings import BY_NAME, SettingsError

    overrides = parse_sets(set_)
    for key in overrides:
        if key not in BY_NAME:
            raise SettingsError(f"--set {key}: unknown setting (see `summitwatch config show`)")
    ctx.obj = Context(config, overrides)


# Errors that describe bad input (a setting, a file, an address, a database), not a bug, named
# by module: a module that was never imported cannot have raised its error, so main() need not
# import collectors or the classifier just to be ready to catch theirs.
USER_ERRORS = (
    ("summitwatch.settings", "SettingsError"),
    ("classifier.verdict", "TrainingDataError"),
    ("alerts.schedule", "ScheduleError"),
    ("collectors.opml", "OpmlError"),
    ("alerts.addresses", "AddressError"),
    ("summitwatch.storage.db", "StorageError"),
)
DATABASE_ERRORS = (("sqlalchemy.exc", "OperationalError"), ("sqlalchemy.exc", "InterfaceError"))


def _loaded(names: tuple[tuple[str, str], ...]) -> tuple[type[BaseException], ...]:
    modules = ((sys.modules.get(module), name) for module, name in names)
    return tuple(getattr(module, name) for module, name in modules if module is not None)


def _fail(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise SystemExit(2) from None


def main() -> None:
    try:
        app()
    except Exception as exc:
        if isinstance(exc, _loaded(USER_ERRORS)):
            _fail(str(exc))
        if isinstance(exc, FileNotFoundError):
            _fail(f"{exc.strerror}: {exc.filename}")
        if isinstance(exc, _loaded(DATABASE_ERRORS)):
            # the database went away or locked up after it was opened: still the user's to fix
            from summitwatch.storage.db import one_line

            _fail(f"database: {one_line(exc)}")
        raise
