"""What every command starts from: the global options and the application they open.

The root's callback stores a ``Context`` on click's root context; a command asks for the
``App`` with ``get_app(ctx)``, which resolves the settings and opens the database on first use,
so a command that needs neither (``config reference``, ``demo``) never pays for them. Command
modules import this module, never ``summitwatch.cli.root``, so no import goes back up the tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from summitwatch.app import App, open_app


class Context:
    """The global options (``--config``, ``--set``) and the ``App`` opened from them, once."""

    def __init__(self, config: Path | None, overrides: dict[str, Any]) -> None:
        self.config, self.overrides = config, overrides
        self._app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = open_app(self.config, self.overrides)
        return self._app


def get_context(ctx: typer.Context) -> Context:
    """The ``Context`` the root's callback stored for this invocation."""
    obj: Context = ctx.find_root().obj
    return obj


def get_app(ctx: typer.Context) -> App:
    """The application of this invocation, opened (settings, database) on first use."""
    return get_context(ctx).app()
