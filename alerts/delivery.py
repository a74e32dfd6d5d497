"""The delivery loop: take messages the application has queued in its outbox, hand each to a
transport, and record the outcome through a storage-agnostic `OutboxStore`.

Exactly-once rests on the store. `claim_pending` must atomically lease the rows it returns (for
example `claimed_until = now + lease`) so a second sender does not take them and a crashed
sender's rows come back after the lease. `mark_sent` is called right after the server accepts a
message, before anything else, to keep the window in which a crash could cause a resend as short
as possible; the deterministic Message-ID lets mail clients drop such a resend. Temporary failures
are retried with exponential backoff up to `max_attempts`; permanent ones are recorded at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from alerts.mailer import SendOutcome


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """A queued message; `attempts` counts delivery attempts already made."""

    id: int
    recipient: str
    raw: bytes
    attempts: int


class OutboxStore(Protocol):
    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]: ...

    def mark_sent(self, message_id: int, now: datetime) -> None: ...

    def mark_retry(self, message_id: int, detail: str, retry_at: datetime) -> None: ...

    def mark_failed(self, message_id: int, detail: str) -> None: ...


class Transport(Protocol):
    def send(self, sender: str, recipient: str, raw: bytes) -> SendOutcome: ...


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    details: list[tuple[int, str, str]] = field(default_factory=list)  # (id, status, detail)

    @property
    def total(self) -> int:
        return self.sent + self.retry + self.failed


def backoff_delay(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Delay before the next try after `attempts` failed tries: base, 2*base, 4*base ... cap.

    `collectors.recheck.backoff` is the same formula for feeds: leaf packages never import each
    other, so each keeps its own; inside `summitwatch`, workers mode's job retries use this one.
    """
    exponent = max(attempts - 1, 0)
    if exponent >= 40:  # 2**40 minutes is far beyond any cap; avoid overflowing timedelta
        return cap
    return min(base * (1 << exponent), cap)


def _attempt(transport: Transport, sender: str, message: PendingMessage) -> SendOutcome:
    try:
        return transport.send(sender, message.recipient, message.raw)
    except Exception as error:
        # A transport bug must not stop the loop nor lose the message: retry it later.
        return SendOutcome("temporary", f"transport error: {error!r}")


def deliver_pending(
    store: OutboxStore,
    transport: Transport,
    sender: str,
    *,
    now: datetime | None = None,
    max_attempts: int = 8,
    backoff_base: timedelta = timedelta(minutes=1),
    backoff_cap: timedelta = timedelta(hours=6),
    batch_size: int = 50,
) -> DeliveryReport:
    """Deliver every message the store hands out, batch by batch, and report the counts.

    `now` fixes the clock for tests; by default each mark uses the current time.
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    report = DeliveryReport()
    seen: set[int] = set()
    while True:
        batch = [m for m in store.claim_pending(now or _utcnow(), batch_size) if m.id not in seen]
        for message in batch:
            seen.add(message.id)
            outcome = _attempt(transport, sender, message)
            clock = now or _utcnow()
            tries = message.attempts + 1
            if outcome.status == "sent":
                store.mark_sent(message.id, clock)
                report.sent += 1
            elif outcome.status == "temporary" and tries < max_attempts:
                delay = backoff_delay(tries, backoff_base, backoff_cap)
                store.mark_retry(message.id, outcome.detail, clock + delay)
                report.retry += 1
            else:
                detail = outcome.detail
                if outcome.status == "temporary":
                    detail = f"gave up after {tries} attempts: {detail}"
                elif outcome.status != "permanent":
                    detail = f"unknown outcome {outcome.status!r}: {detail}"
                store.mark_failed(message.id, detail)
                report.failed += 1
            report.details.append((message.id, outcome.status, outcome.detail))
        # A store that keeps returning rows already handled would otherwise loop forever.
        if len(batch) < batch_size:
            return report


def _utcnow() -> datetime:
    return datetime.now(UTC)
