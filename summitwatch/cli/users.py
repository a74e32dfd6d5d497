"""``summitwatch users``: reviewer accounts for the web UI (add, remove, list).

The account rules (names, password length, Argon2id hashing, ending sessions) live in
``summitwatch.accounts``; this module only asks for the password and reports.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from summitwatch.accounts import add_user, remove_user
from summitwatch.cli.context import get_app
from summitwatch.settings import SettingsError
from summitwatch.storage import accounts as account_store

console = Console()
users = typer.Typer(name="users", no_args_is_help=True, help="Accounts for the review web UI.")
Name = Annotated[str, typer.Argument(help="The account's name (letters, digits, . _ @ -).")]


@users.command("add")
def users_add(
    ctx: typer.Context,
    name: Name,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="SUMMITWATCH_NEW_PASSWORD",
            help="Asked for when not given.",
        ),
    ],
) -> None:
    """Create a reviewer account (or change its password, which ends its sessions)."""
    created = add_user(get_app(ctx).db, name, password)
    console.print(f"user {name}: {'created' if created else 'password changed, signed out'}")


@users.command("remove")
def users_remove(ctx: typer.Context, name: Name) -> None:
    """Delete a reviewer account and end its sessions (its reviews keep the name)."""
    if not remove_user(get_app(ctx).db, name):
        raise SettingsError(f"user {name!r}: no such account")
    console.print(f"user {name}: removed, signed out")


@users.command("list")
def users_list(ctx: typer.Context) -> None:
    """Reviewer accounts."""
    for name in account_store.user_names(get_app(ctx).db):
        console.print(name)
