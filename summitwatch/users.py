"""Reviewer accounts for the web UI: creation, password checks, and the ``users`` sub-command.

Accounts matter when the UI is bound to an address other than loopback, where every page needs a
login. Passwords are hashed with Argon2id (argon2-cffi's defaults); a check against an unknown
name still hashes once, so the answer time does not tell which names exist.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated

import typer
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from rich.console import Console

from summitwatch.settings import SettingsError
from summitwatch.storage import queue
from summitwatch.storage.db import Database

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# a hash of a random string, checked when the name is unknown to keep timing uniform


@functools.cache
def _dummy_hash() -> str:
    # hashed on first use, not at import: every CLI command imports this module
    return _hasher.hash("summitwatch-no-such-user")


users = typer.Typer(no_args_is_help=True, help="Accounts for the review web UI.")
console = Console()


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise SettingsError(
            f"user name {name!r}: expected 1-100 letters, digits or . _ @ - (starting with a "
            "letter or digit)"
        )
    return name


def add_user(db: Database, name: str, password: str) -> bool:
    """Create the account, or set a new password if it exists; True when it was created."""
    name = check_name(name)
    if len(password) < MIN_PASSWORD:
        raise SettingsError(f"password for {name!r}: expected at least {MIN_PASSWORD} characters")
    return queue.save_user(db, name, _hasher.hash(password))


def verify(db: Database, name: str, password: str) -> bool:
    stored = queue.password_hash(db, name.strip()) if NAME.match(name.strip()) else None
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@users.command("add")
def users_add(
    ctx: typer.Context,
    name: str,
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
    """Create a reviewer account (or change its password)."""
    from summitwatch.cli import get_app

    created = add_user(get_app(ctx).db, name, password)
    console.print(f"user {name}: {'created' if created else 'password changed'}")


@users.command("list")
def users_list(ctx: typer.Context) -> None:
    """Reviewer accounts."""
    from summitwatch.cli import get_app

    for name in queue.user_names(get_app(ctx).db):
        console.print(name)
