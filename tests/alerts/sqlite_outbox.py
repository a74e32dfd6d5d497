"""A minimal SQLite `OutboxStore` with leases, so a sender can run in a child process, be killed,
and be restarted over the same outbox. Run as a script it delivers what is due:

    python sqlite_outbox.py DB_PATH SMTP_PORT NOW_ISO
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from alerts import PendingMessage, SmtpConfig, SmtpTransport, deliver_pending

LEASE = timedelta(minutes=10)
SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, raw BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    retry_at TEXT, claimed_until TEXT, detail TEXT NOT NULL DEFAULT '', sent_at TEXT
)
"""


class SqliteOutbox:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute(SCHEMA)

    def add(self, recipient: str, raw: bytes) -> int:
        cursor = self.db.execute(
            "INSERT INTO outbox (recipient, raw) VALUES (?, ?)", (recipient, raw)
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def row(self, row_id: int) -> tuple[str, int, str | None]:
        found = self.db.execute(
            "SELECT status, attempts, claimed_until FROM outbox WHERE id = ?", (row_id,)
        ).fetchone()
        return (str(found[0]), int(found[1]), found[2])

    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]:
        stamp = now.isoformat()
        self.db.execute("BEGIN IMMEDIATE")
        rows = self.db.execute(
            "SELECT id, recipient, raw, attempts FROM outbox WHERE status = 'pending'"
            " AND (retry_at IS NULL OR retry_at <= ?)"
            " AND (claimed_until IS NULL OR claimed_until <= ?)"
            " ORDER BY id LIMIT ?",
            (stamp, stamp, limit),
        ).fetchall()
        until = (now + LEASE).isoformat()
        for row in rows:
            self.db.execute("UPDATE outbox SET claimed_until = ? WHERE id = ?", (until, row[0]))
        self.db.execute("COMMIT")
        return [PendingMessage(r[0], r[1], bytes(r[2]), r[3]) for r in rows]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
            " claimed_until = NULL WHERE id = ?",
            (now.isoformat(), message_id),
        )

    def mark_retry(self, message_id: int, detail: str, retry_at: datetime) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, detail = ?, retry_at = ?,"
            " claimed_until = NULL WHERE id = ?",
            (detail, retry_at.isoformat(), message_id),
        )

    def mark_failed(self, message_id: int, detail: str) -> None:
        self.db.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, detail = ?,"
            " claimed_until = NULL WHERE id = ?",
            (detail, message_id),
        )


if __name__ == "__main__":
    db_path, port, now = Path(sys.argv[1]), int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
    config = SmtpConfig("127.0.0.1", port, security="none", timeout=30)
    report = deliver_pending(
        SqliteOutbox(db_path), SmtpTransport(config), "digest@summitwatch.test", now=now
    )
    print(f"sent={report.sent} retry={report.retry} failed={report.failed}")
