"""An in-memory `OutboxStore` for the delivery tests, with the lease semantics the application's
SQL store is expected to have: claimed rows are hidden until marked or until the lease expires."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts import PendingMessage

LEASE = timedelta(minutes=10)


@dataclass
class Row:
    id: int
    recipient: str
    raw: bytes
    status: str = "pending"
    attempts: int = 0
    retry_at: datetime | None = None
    claimed_until: datetime | None = None
    detail: str = ""
    sent_at: datetime | None = None


class MemoryOutbox:
    def __init__(self) -> None:
        self.rows: dict[int, Row] = {}

    def add(self, recipient: str, raw: bytes) -> int:
        row_id = len(self.rows) + 1
        self.rows[row_id] = Row(row_id, recipient, raw)
        return row_id

    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]:
        claimed: list[PendingMessage] = []
        for row in self.rows.values():
            if len(claimed) == limit:
                break
            free = row.claimed_until is None or row.claimed_until <= now
            due = row.retry_at is None or row.retry_at <= now
            if row.status == "pending" and free and due:
                row.claimed_until = now + LEASE
                claimed.append(PendingMessage(row.id, row.recipient, row.raw, row.attempts))
        return claimed

    def mark_sent(self, message_id: int, now: datetime) -> None:
        row = self.rows[message_id]
        row.status, row.sent_at, row.claimed_until = "sent", now, None
        row.attempts += 1

    def mark_retry(self, message_id: int, detail: str, retry_at: datetime) -> None:
        row = self.rows[message_id]
        row.attempts += 1
        row.detail, row.retry_at, row.claimed_until = detail, retry_at, None

    def mark_failed(self, message_id: int, detail: str) -> None:
        row = self.rows[message_id]
        row.attempts += 1
        row.status, row.detail, row.claimed_until = "failed", detail, None
