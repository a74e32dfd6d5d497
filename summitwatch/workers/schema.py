"""procrastinate's tables next to SummitWatch's: installed, upgraded and recorded.

procrastinate ships its whole schema (``schema.sql``) and one migration file per change, named
after the release that introduced it. ``upgrade`` installs the schema into a database that has
none, or applies the migrations between the recorded version and the installed package, and
records the new version in ``engine_schema``; it runs under an advisory lock, in one
transaction (PostgreSQL's DDL is transactional), so several hosts starting at once install it
once. ``summitwatch db upgrade`` calls it after the Alembic migrations, and so does every
worker at start. ``startup_lock`` serialises the start of workers on several hosts, so that
only one of them runs the Alembic migrations or seeds the database from the configuration.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from procrastinate.schema import SchemaManager
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from summitwatch.storage import jobqueue
from summitwatch.storage.db import Database

NAME = "procrastinate"
SCHEMA_LOCK = 0x5357_7363_686D  # "SWschm"
STARTUP_LOCK = 0x5357_7374_7274  # "SWstrt"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


def package_version() -> str:
    return importlib.metadata.version("procrastinate")


def _version(text_: str) -> tuple[int, int, int]:
    found = _VERSION.match(text_)
    if found is None:
        raise ValueError(f"not a version: {text_!r}")
    major, minor, patch = found.groups()
    return int(major), int(minor), int(patch)


def migrations_between(applied: str, target: str) -> list[Path]:
    """procrastinate's migration files newer than ``applied`` and not newer than ``target``."""
    low, high = _version(applied), _version(target)
    folder = Path(SchemaManager.get_migrations_path())
    # file names start with a zero-padded version and a sequence number: they sort in order
    return [p for p in sorted(folder.glob("*.sql")) if low < _version(p.name) <= high]


def upgrade(db: Database) -> str:
    """Install or upgrade procrastinate's schema (idempotent); returns one line for the user."""
    target = package_version()
    with db.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        present = conn.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None
        applied = jobqueue.schema_version(conn, NAME)
        # the driver's own cursor, without parameters: the SQL files contain literal % signs
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        if not present:
            cursor.execute(SchemaManager.get_schema())
            outcome = f"job queue schema installed (procrastinate {target})"
        elif applied is None:
            # installed by hand (procrastinate's own CLI): nothing tells which release, so take
            # it as current rather than replay migrations over it
            outcome = f"job queue schema found; recorded as procrastinate {target}"
        else:
            files = migrations_between(applied, target)
            for path in files:
                cursor.execute(path.read_text(encoding="utf-8"))
            outcome = (
                f"job queue schema upgraded {applied} -> {target} ({len(files)} migrations)"
                if files
                else f"job queue schema at procrastinate {target}"
            )
        jobqueue.set_schema_version(conn, NAME, target)
    return outcome


@contextmanager
def startup_lock(database_url: str) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock for the block: one starting process at a time."""
    engine = create_engine(
        make_url(database_url).set(drivername="postgresql+psycopg"), poolclass=NullPool
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
                conn.commit()
    finally:
        engine.dispose()
