"""Reviewer accounts in the database: password hashes, creation, removal and the session
generation that lets a new password or a removal end every session of an account.

Only hashes are stored (``summitwatch.accounts`` makes and checks them); the web UI's login and
session checks and the ``users`` command read and write the ``users`` table through here alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from summitwatch.storage.db import Database
from summitwatch.storage.models import User


def password_hash(db: Database, name: str) -> str | None:
    with db.session() as s:
        return s.scalar(select(User.password_hash).where(User.name == name))


def save_user(db: Database, name: str, hashed: str) -> bool:
    """Create ``name`` or replace its password hash; True when the account is new.

    A new password ends every session of the account: whoever knew the old one may hold a cookie.
    """
    with db.session() as s:
        if s.scalar(select(User.id).where(User.name == name)) is not None:
            s.execute(
                update(User)
                .where(User.name == name)
                .values(password_hash=hashed, session_generation=User.session_generation + 1)
            )
            return False
        s.add(User(name=name, password_hash=hashed, created_at=datetime.now(UTC)))
        return True


def delete_user(db: Database, name: str) -> bool:
    """Remove the account; False when there was none. Its sessions end with the row."""
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is not None:
            s.delete(user)
        return user is not None


def session_generation(db: Database, name: str) -> int | None:
    """The generation a session of ``name`` must carry to count; None when no such account."""
    with db.session() as s:
        return s.scalar(select(User.session_generation).where(User.name == name))


def end_sessions(db: Database, name: str) -> None:
    """Invalidate every session cookie ever issued to ``name`` (an atomic increment)."""
    with db.session() as s:
        s.execute(
            update(User)
            .where(User.name == name)
            .values(session_generation=User.session_generation + 1)
        )


def user_names(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(User.name).order_by(User.name)))
