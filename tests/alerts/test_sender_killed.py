"""A sender process killed mid-delivery (after building and claiming, before the server accepted
the message) and restarted: the digest is delivered exactly once, once the lease has expired."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest_factories import group_and_build, parse
from smtp_scripted import SmtpServer
from sqlite_outbox import LEASE, SqliteOutbox

HELPERS = Path(__file__).parent
ROOT = HELPERS.parent.parent
T0 = datetime(2026, 11, 28, 7, 5, tzinfo=UTC)


def _sender(db: Path, port: int, now: datetime) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPERS / "sqlite_outbox.py"), str(db), str(port), now.isoformat()],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{HELPERS}", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(db: Path, port: int, now: datetime) -> str:
    out, err = _sender(db, port, now).communicate(timeout=60)
    assert err == "", err
    return out.strip()


def test_killed_sender_then_restart_delivers_once(smtp_server: SmtpServer, tmp_path: Path) -> None:
    db = tmp_path / "outbox.db"
    store = SqliteOutbox(db)
    raw = group_and_build()
    row_id = store.add("analyst@example.org", raw)

    smtp_server.handler.gate = threading.Event()
    child = _sender(db, smtp_server.port, T0)
    assert smtp_server.handler.holding.wait(30), "the sender never reached the server"
    child.kill()
    child.wait(timeout=30)
    smtp_server.handler.gate.set()

    status, attempts, claimed_until = store.row(row_id)
    assert (status, attempts) == ("pending", 0)
    assert claimed_until == (T0 + LEASE).isoformat()
    assert smtp_server.handler.accepted == []

    # A restart within the lease leaves the claimed row alone; after it, the row is delivered.
    assert _run(db, smtp_server.port, T0 + timedelta(minutes=1)) == "sent=0 retry=0 failed=0"
    assert _run(db, smtp_server.port, T0 + LEASE) == "sent=1 retry=0 failed=0"
    assert _run(db, smtp_server.port, T0 + LEASE * 3) == "sent=0 retry=0 failed=0"

    (received,) = smtp_server.handler.accepted
    assert parse(received.data)["Message-ID"] == parse(raw)["Message-ID"]
    assert store.row(row_id)[:2] == ("sent", 1)


def test_killed_between_the_servers_copy_and_its_250_resends_the_same_message_id(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """The one window SMTP leaves (RFC 1047): the server has the message, the sender dies
    before the 250. SummitWatch resends after the lease, and the copy carries the same
    Message-ID, so mail systems and clients that deduplicate on it show one digest."""
    db = tmp_path / "outbox.db"
    store = SqliteOutbox(db)
    row_id = store.add("analyst@example.org", group_and_build())
    smtp_server.handler.script.append("stall")
    child = _sender(db, smtp_server.port, T0)
    assert smtp_server.handler.holding.wait(30), "the sender never reached the server"
    child.kill()
    child.wait(timeout=30)
    smtp_server.handler.release.set()
    assert store.row(row_id)[0] == "pending"
    assert _run(db, smtp_server.port, T0 + LEASE) == "sent=1 retry=0 failed=0"
    first, second = smtp_server.handler.accepted
    assert parse(first.data)["Message-ID"] == parse(second.data)["Message-ID"]
