"""``summitwatch db upgrade``: the database schema, and the job queue's on PostgreSQL.

Opening the application already upgrades the schema (``summitwatch.storage.db.upgrade``); the
command says so explicitly and also installs or upgrades procrastinate's tables for workers mode.
"""

from __future__ import annotations

import typer
from rich.console import Console

from summitwatch.cli.context import get_app
from summitwatch.workers.schema import upgrade as upgrade_job_queue

console = Console()
db = typer.Typer(name="db", no_args_is_help=True, help="Database schema.")


@db.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the newest migration (and the job queue's, on PostgreSQL)."""
    application = get_app(ctx)  # opening the app already upgrades; say so explicitly
    console.print(f"database at the newest schema: {application.settings.database_url}")
    if application.db.engine.dialect.name == "postgresql":  # workers mode's job queue
        console.print(upgrade_job_queue(application.db))
