"""The digest outbox: built messages waiting for delivery, keyed by (recipient, period).

Exactly-once delivery rests on three rules. Building a digest inserts its rendered message with a
unique (recipient, period) key, so a second build of the same period is a no-op. A sender claims
a pending message by moving it to ``sending`` in its own transaction (with a lease time), so two
senders never hold the same message. The items of a message are marked as digested in the same
transaction that marks the message ``sent``, right after the server accepted it. SMTP itself leaves
one window (RFC 1047): a sender that dies after the server took the message's final dot but before
it read the "250 OK" cannot know whether the server kept it, and the message is sent again once
the lease expires, with the same Message-ID (it is stored built), which is what receiving systems
deduplicate on. Delivery is therefore at least once, and exactly once except in that window; a
lost digest is worse for an analyst than a repeated one with the same id. A sender that dies while
holding a claim leaves a ``sending`` row whose lease expires; it is then retried. A worker's
delivery job (``JobOutbox``) signs its lease with its job id, so the same job, retried after its
worker died, takes the lease back at once instead of waiting for it to expire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from alerts import PendingMessage
from summitwatch.storage.db import Database, utcnow
from summitwatch.storage.models import DigestedItem, OutboxMessage

LEASE = timedelta(minutes=10)


def enqueue(
    db: Database,
    *,
    recipient: str,
    period_key: str,
    period_start: datetime,
    period_end: datetime,
    subject: str,
    message_id: str,
    raw: bytes,
    events: Mapping[str, Sequence[int]],
    now: datetime | None = None,
) -> int | None:
    """Store a built digest; returns its id, or None when that period was already built."""
    now = now or utcnow()
    item_ids = sorted({i for ids in events.values() for i in ids})
    try:
        with db.session() as s:
            row = OutboxMessage(
                recipient=recipient,
                period_key=period_key,
                period_start=period_start,
                period_end=period_end,
                subject=subject,
                message_id=message_id,
                raw=raw,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                item_ids=item_ids,
                events={k: list(v) for k, v in events.items()},
                created_at=now,
            )
            s.add(row)
            s.flush()
            return row.id
    except IntegrityError:
        return None


def period_built(db: Database, recipient: str, period_key: str) -> bool:
    with db.session() as s:
        found = s.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.recipient == recipient, OutboxMessage.period_key == period_key
            )
        )
        return found is not None


def sent_events(db: Database, recipient: str) -> dict[str, frozenset[int]]:
    """Event key -> item ids already delivered to ``recipient`` (for update detection)."""
    with db.session() as s:
        rows = s.execute(
            select(DigestedItem.event_key, DigestedItem.item_id).where(
                DigestedItem.recipient == recipient
            )
        ).all()
    out: dict[str, set[int]] = {}
    for key, item_id in rows:
        out.setdefault(key, set()).add(item_id)
    return {k: frozenset(v) for k, v in out.items()}


def pending_item_ids(db: Database, recipient: str) -> set[int]:
    """Items already in a built but not yet delivered digest (not to be built again)."""
    with db.session() as s:
        rows = s.scalars(
            select(OutboxMessage.item_ids).where(
                OutboxMessage.recipient == recipient,
                OutboxMessage.status.in_(("pending", "sending")),
            )
        )
        return {i for ids in rows for i in ids}


class SqlOutbox:
    """``alerts.OutboxStore`` over the outbox table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]:
        claimed: list[PendingMessage] = []
        with self.db.session() as s:
            ids = list(
                s.scalars(
                    select(OutboxMessage.id)
                    .where(
                        or_(
                            (OutboxMessage.status == "pending")
                            & (OutboxMessage.next_attempt_at <= now),
                            (OutboxMessage.status == "sending")
                            & (OutboxMessage.next_attempt_at <= now),
                        )
                    )
                    .order_by(OutboxMessage.id)
                    .limit(limit)
                )
            )
        for message_id in ids:
            # a conditional update is the claim: only one sender's UPDATE matches the row
            with self.db.session() as s:
                result = s.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == message_id,
                        OutboxMessage.status.in_(("pending", "sending")),
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .values(
                        status="sending",
                        next_attempt_at=now + LEASE,
                        attempts=OutboxMessage.attempts + 1,
                    )
                )
                if result.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                row = s.get(OutboxMessage, message_id)
                assert row is not None
                claimed.append(PendingMessage(row.id, row.recipient, row.raw, row.attempts))
        return claimed

    def mark_sent(self, message_id: int, now: datetime) -> None:
        with self.db.session() as s:
            row = s.get(OutboxMessage, message_id)
            if row is None or row.status == "sent":
                return
            row.status, row.sent_at, row.last_error = "sent", now, None
            already = set(
                s.scalars(
                    select(DigestedItem.item_id).where(DigestedItem.recipient == row.recipient)
                )
            )
            for key, ids in row.events.items():
                for item_id in ids:
                    if item_id not in already:
                        s.add(
                            DigestedItem(
                                recipient=row.recipient,
                                item_id=item_id,
                                event_key=key,
                                outbox_id=row.id,
                            )
                        )
                        already.add(item_id)

    def mark_retry(self, message_id: int, detail: str, retry_at: datetime) -> None:
        with self.db.session() as s:
            row = s.get(OutboxMessage, message_id)
            if row is not None:
                row.status, row.last_error, row.next_attempt_at = "pending", detail, retry_at

    def mark_failed(self, message_id: int, detail: str) -> None:
        with self.db.session() as s:
            row = s.get(OutboxMessage, message_id)
            if row is not None:
                row.status, row.last_error = "failed", detail


class JobOutbox(SqlOutbox):
    """The outbox as seen by one delivery job: only ``message_id``, leased as ``claimant``.

    Its claim also accepts a ``sending`` row whose unexpired lease is signed by ``claimant``:
    the job queue runs one job per message at a time and retries a job only after its worker
    stopped beating, so such a lease belongs to a dead attempt of this very job.
    """

    def __init__(self, db: Database, message_id: int, claimant: str) -> None:
        super().__init__(db)
        self.message_id, self.claimant = message_id, claimant

    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]:
        with self.db.session() as s:
            result = s.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == self.message_id,
                    or_(
                        OutboxMessage.status.in_(("pending", "sending"))
                        & (OutboxMessage.next_attempt_at <= now),
                        (OutboxMessage.status == "sending")
                        & (OutboxMessage.claimed_by == self.claimant),
                    ),
                )
                .values(
                    status="sending",
                    next_attempt_at=now + LEASE,
                    attempts=OutboxMessage.attempts + 1,
                    claimed_by=self.claimant,
                )
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return []
            row = s.get(OutboxMessage, self.message_id)
            assert row is not None
            return [PendingMessage(row.id, row.recipient, row.raw, row.attempts)]


def reopen(db: Database, message_id: int, now: datetime | None = None) -> bool:
    """Give a message the outbox gave up on another attempt (an operator's decision)."""
    with db.session() as s:
        row = s.get(OutboxMessage, message_id)
        if row is None or row.status != "failed":
            return False
        row.status, row.next_attempt_at, row.claimed_by = "pending", now or utcnow(), None
        return True


@dataclass(frozen=True)
class MessageState:
    status: str
    next_attempt_at: datetime | None
    last_error: str | None


def message_state(db: Database, message_id: int) -> MessageState | None:
    with db.session() as s:
        row = s.get(OutboxMessage, message_id)
        if row is None:
            return None
        return MessageState(row.status, row.next_attempt_at, row.last_error)


def last_digests(db: Database) -> dict[str, dict[str, object]]:
    """Recipient -> their newest outbox message (period, status, sent_at, attempts, error)."""
    with db.session() as s:
        newest = (
            select(func.max(OutboxMessage.id)).group_by(OutboxMessage.recipient).scalar_subquery()
        )
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(newest)))
        return {
            r.recipient: {
                "period": r.period_key,
                "status": r.status,
                "sent_at": r.sent_at,
                "attempts": r.attempts,
                "error": r.last_error,
            }
            for r in rows
        }


def list_outbox(db: Database, limit: int = 50) -> list[dict[str, object]]:
    with db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
        return [
            {
                "id": r.id,
                "recipient": r.recipient,
                "period": r.period_key,
                "status": r.status,
                "attempts": r.attempts,
                "subject": r.subject,
                "error": r.last_error,
                "sent_at": r.sent_at,
                "items": len(r.item_ids),
            }
            for r in rows
        ]
