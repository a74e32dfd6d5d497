"""The delivery loop against a real SMTP server with an in-memory outbox: server down, 421 then
accepted, 550 rejected, connection dropped mid-DATA. In every case each message ends up accepted
exactly once or recorded as failed with the reason; none is lost or duplicated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from digest_factories import SENDER, group_and_build, parse
from memory_outbox import MemoryOutbox
from smtp_scripted import SmtpServer, free_port

from alerts import (
    PendingMessage,
    SendOutcome,
    SmtpConfig,
    SmtpTransport,
    backoff_delay,
    deliver_pending,
)

T0 = datetime(2026, 11, 28, 7, 5, tzinfo=UTC)
LATER = T0 + timedelta(hours=7)  # past the longest backoff
PEOPLE = ("first@example.org", "second@example.org", "third@example.org")


def _outbox() -> MemoryOutbox:
    store = MemoryOutbox()
    for n, email in enumerate(PEOPLE, 1):
        store.add(email, group_and_build(email, item_id=n))
    return store


def _assert_exactly_once(store: MemoryOutbox, server: SmtpServer) -> None:
    accepted = [parse(r.data)["Message-ID"] for r in server.handler.accepted]
    assert len(accepted) == len(set(accepted)), "a message was delivered twice"
    sent = {parse(row.raw)["Message-ID"] for row in store.rows.values() if row.status == "sent"}
    assert sent == set(accepted)
    assert all(row.status in ("sent", "failed") for row in store.rows.values()), "message lost"


@pytest.mark.parametrize(
    ("script", "first_pass", "final", "detail"),
    [
        ([], (3, 0, 0), ["sent", "sent", "sent"], ""),
        (["421"], (2, 1, 0), ["sent", "sent", "sent"], "421 4.3.2"),
        (["550"], (2, 0, 1), ["failed", "sent", "sent"], "550 5.7.1"),
        (["drop"], (2, 1, 0), ["sent", "sent", "sent"], "connection lost"),
    ],
    ids=["all-accepted", "421-then-accepted", "550-rejected", "dropped-mid-data"],
)
def test_faults_then_recovery(
    smtp_server: SmtpServer,
    script: list[str],
    first_pass: tuple[int, int, int],
    final: list[str],
    detail: str,
) -> None:
    store = _outbox()
    smtp_server.handler.script.extend(script)
    transport = SmtpTransport(smtp_server.config(timeout=5))

    report = deliver_pending(store, transport, SENDER, now=T0)
    assert (report.sent, report.retry, report.failed) == first_pass
    assert detail in store.rows[1].detail
    # Nothing is due again before its retry time.
    assert deliver_pending(store, transport, SENDER, now=T0 + timedelta(seconds=30)).total == 0

    deliver_pending(store, transport, SENDER, now=LATER)
    assert [store.rows[i].status for i in (1, 2, 3)] == final
    _assert_exactly_once(store, smtp_server)
    assert deliver_pending(store, transport, SENDER, now=LATER + timedelta(days=1)).total == 0


def test_server_down_then_up(smtp_server: SmtpServer) -> None:
    store = _outbox()
    down = SmtpTransport(SmtpConfig("127.0.0.1", free_port(), security="none", timeout=5))
    report = deliver_pending(store, down, SENDER, now=T0)
    assert (report.sent, report.retry, report.failed) == (0, 3, 0)
    assert all(row.retry_at == T0 + timedelta(minutes=1) for row in store.rows.values())

    report = deliver_pending(store, SmtpTransport(smtp_server.config()), SENDER, now=LATER)
    assert report.sent == 3
    _assert_exactly_once(store, smtp_server)


def test_gives_up_after_max_attempts(smtp_server: SmtpServer) -> None:
    store = MemoryOutbox()
    store.add(PEOPLE[0], group_and_build(PEOPLE[0]))
    smtp_server.handler.script.extend(["421"] * 3)
    transport = SmtpTransport(smtp_server.config())
    moment = T0
    for _ in range(3):
        deliver_pending(store, transport, SENDER, now=moment, max_attempts=3)
        moment += timedelta(hours=7)
    row = store.rows[1]
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.detail.startswith("gave up after 3 attempts: data refused: 421")
    assert smtp_server.handler.accepted == []


class _ExplodingTransport:
    def send(self, sender: str, recipient: str, raw: bytes) -> SendOutcome:
        raise RuntimeError("boom")


def test_a_transport_that_raises_means_retry() -> None:
    store = _outbox()
    report = deliver_pending(store, _ExplodingTransport(), SENDER, now=T0)
    assert report.retry == 3
    assert all("RuntimeError('boom')" in row.detail for row in store.rows.values())
    assert all(row.status == "pending" for row in store.rows.values())


class _StuckStore(MemoryOutbox):
    """A faulty store that hands out the same rows again and again."""

    def claim_pending(self, now: datetime, limit: int) -> Sequence[PendingMessage]:
        return [PendingMessage(r.id, r.recipient, r.raw, 0) for r in self.rows.values()][:limit]


def test_a_store_that_repeats_rows_does_not_loop(smtp_server: SmtpServer) -> None:
    store = _StuckStore()
    for email in PEOPLE:
        store.add(email, group_and_build(email))
    report = deliver_pending(store, SmtpTransport(smtp_server.config()), SENDER, batch_size=2)
    # The loop ends, and the rows handed out twice are not sent twice.
    assert report.sent == 2
    assert len(smtp_server.handler.accepted) == 2


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [(0, timedelta(minutes=1)), (1, timedelta(minutes=1)), (2, timedelta(minutes=2)),
     (5, timedelta(minutes=16)), (9, timedelta(hours=4, minutes=16)), (10, timedelta(hours=6)),
     (500, timedelta(hours=6))],
    ids=["none", "first", "second", "fifth", "ninth", "capped", "huge"],
)  # fmt: skip
def test_backoff(attempts: int, expected: timedelta) -> None:
    assert backoff_delay(attempts, timedelta(minutes=1), timedelta(hours=6)) == expected
