"""Database engine, sessions and schema upgrades.

SQLite is the embedded default: WAL journal so the web UI can read while a collection writes, a
busy timeout instead of instant "database is locked" errors, and foreign keys switched on.
PostgreSQL works through the same URL setting. The schema is owned by Alembic: ``upgrade``
brings any database to the newest revision and runs automatically when the application opens a
database, so a fresh machine needs no separate step. A database already at the newest revision
costs one query of ``alembic_version``: Alembic itself is loaded only when a migration is due.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from summitwatch.settings import SettingsError, mask_password

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def utcnow() -> datetime:
    """Now, as an aware UTC datetime: the one clock every stored timestamp is read against."""
    return datetime.now(UTC)


# C0 controls but tab, newline and carriage return, and lone surrogates: PostgreSQL refuses NUL in
# text and psycopg cannot encode a surrogate, so one such character in a feed title would fail a
# whole batch; SQLite would store them and hand them to every page and digest.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` without the characters a database (or a reader) cannot take."""
    if _UNSTORABLE.search(value) is None:
        return value
    return _UNSTORABLE.sub(lambda m: "" if m.group() < "\ud800" else "\ufffd", value)


def _clean_value(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _clean_group(group: Any) -> Any:
    if isinstance(group, dict):
        return {k: _clean_value(v) for k, v in group.items()}
    if isinstance(group, list | tuple):
        return type(group)(_clean_value(v) for v in group)
    return group


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


# how json.dumps writes the characters ``clean_text`` removes: \u0000-\u001f (\b and \f by
# name) and surrogates \ud800-\udfff; tab and newlines are \t, \n, \r and stay
_ESCAPED_UNSTORABLE = re.compile(r"\\(?:u00[01]|ud[89a-f]|[bf])")


def _json_serializer(value: Any) -> str:
    # JSON columns are serialised before the cursor sees them, with controls escaped as \u0000,
    # which would come back as the raw character. Cleaning every value first cost more than the
    # rest of storing a verdict, so the values are walked only when the text shows such an
    # escape (a false alarm, an escaped backslash before "u00", only costs the walk).
    text = json.dumps(value)
    return json.dumps(_clean_json(value)) if _ESCAPED_UNSTORABLE.search(text) else text


def _clean_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    """Every text bound into every statement passes here: the one storage boundary, on both
    databases, whatever table or code path writes it (JSON values are cleaned as they are
    serialised, by ``_json_serializer``)."""
    # a batch of SQLAlchemy's "insertmanyvalues" arrives flagged executemany but as one group
    # (a dict for PostgreSQL, a tuple for SQLite), so the shape decides, not the flag
    if isinstance(parameters, list) and parameters and isinstance(parameters[0], dict | tuple):
        return statement, [_clean_group(group) for group in parameters]
    return statement, _clean_group(parameters)


def one_line(exc: BaseException) -> str:
    """A database error as one line a user can read (the driver's message, not SQLAlchemy's
    statement dump and background link)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SettingsError(f"database.url = {url!r}: not a database URL") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            if folder.exists() and not folder.is_dir():
                raise StorageError(f"database {url}: {folder} is a file, not a folder")
            folder.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, connect_args={"timeout": 30}, json_serializer=_json_serializer
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True, json_serializer=_json_serializer)
    else:
        raise SettingsError(f"database.url = {url!r}: expected sqlite:/// or postgresql:// URL")
    event.listen(engine, "before_cursor_execute", _clean_parameters, retval=True)
    return engine


def alembic_config(engine: Engine) -> Config:
    # imported here: Alembic's machinery is needed only when a migration is due (see ``upgrade``)
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


# the two lines every migration file starts with (see script.py.mako); anything fancier, such as
# a merge's tuple of parents, does not match and sends ``upgrade`` to Alembic
_REVISION = re.compile(r"""^revision(?:\s*:[^=\n]+)?\s*=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:None|["']([^"']+)["'])\s*$""", re.M)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's id, read from the version files' text; None when the files do
    not name a single head plainly (then only Alembic can tell)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database; None for a fresh database (or a branched one)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent). Alembic runs only when the
    recorded revision is not the newest file's: it costs a third of a second to load."""
    head = head_revision()
    if head is not None and current_revision(engine) == head:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


class Database:
    """An engine plus a session factory; ``open_database`` upgrades the schema first."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


class StorageError(RuntimeError):
    """The database cannot be opened, reached or written; the message is one line naming it."""


def shown_url(url: str) -> str:
    """``url`` fit to print: the password masked."""
    return mask_password(url)


def open_database(url: str, *, migrate: bool = True) -> Database:
    """The database at ``url``, its schema brought up to date; a database that cannot be opened,
    reached or written (a missing or read-only folder, a server down) is a ``StorageError``."""
    try:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        else:
            with engine.connect():
                pass
    except OSError as exc:
        raise StorageError(f"database {shown_url(url)}: {exc.strerror}: {exc.filename}") from None
    except DBAPIError as exc:
        raise StorageError(f"database {shown_url(url)}: {one_line(exc)}") from None
    return Database(engine)
