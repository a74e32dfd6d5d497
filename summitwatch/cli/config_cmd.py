"""``summitwatch config``: the effective settings with their sources, and the reference table.

``config show`` checks the settings without needing the database: a database that cannot be
opened is reported on the last line, after the settings that may explain why.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from summitwatch.app import check_config
from summitwatch.cli.context import get_context
from summitwatch.settings import reference_markdown
from summitwatch.storage import catalog
from summitwatch.storage.db import StorageError, open_database, shown_url

console = Console()
config = typer.Typer(name="config", no_args_is_help=True, help="Show the effective configuration.")


@config.command("show")
def config_show(ctx: typer.Context) -> None:
    """The effective settings and where each value came from (secrets masked)."""
    options = get_context(ctx)
    settings, _, _ = check_config(options.config, options.overrides)
    table = Table(title=f"Settings (file: {settings.config_path or 'none'})")
    for column in ("setting", "value", "source"):
        table.add_column(column, overflow="fold")
    for name, value, source in settings.shown():
        table.add_row(name, value, source)
    console.print(table)
    console.print(f"database: {shown_url(settings.database_url)}", markup=False)
    # the settings are worth showing even when the database is the problem
    try:
        db = open_database(settings.database_url)
    except StorageError as exc:
        console.print(f"watched now (database): unknown, {exc}", markup=False, soft_wrap=True)
        return
    console.print("watched now (database): " + ", ".join(catalog.watched_countries(db)))
    db.dispose()


@config.command("reference")
def config_reference() -> None:
    """Print the settings table as Markdown (the README's configuration reference)."""
    typer.echo(reference_markdown())
