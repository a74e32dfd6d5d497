"""Builders of digest items, recipients and stats for the alerts tests, with readable defaults
so each test states only what it is about."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from typing import Any

from alerts import (
    DigestItem,
    DigestStats,
    FailingFeed,
    Period,
    Recipient,
    build_digest,
    group_events,
)

SENDER = "digest@summitwatch.test"
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
PERIOD = Period(datetime(2026, 11, 27, 7, 0, tzinfo=UTC), NOW)
NAMES = {"KZ": "Kazakhstan", "UZ": "Uzbekistan", "CN": "China", "KG": "Kyrgyzstan"}


def item(item_id: int, **fields: Any) -> DigestItem:
    values: dict[str, Any] = {
        "item_id": item_id,
        "title": f"Leaders meet for talks ({item_id})",
        "summary": "The two presidents will discuss trade and water.",
        "link": f"https://news.example.org/{item_id}",
        "source": "Example News",
        "lang": "en",
        "published": datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        "score": 0.9,
        "countries": ("KZ", "UZ"),
        "visitor": "KZ",
        "host": "UZ",
        "status": "announced",
        "event_date": date(2026, 12, 2),
        "place": "Tashkent",
        "explanation": "two heads of state, a visit verb and a date",
    }
    values.update(fields)
    return DigestItem(**values)


def recipient(**fields: Any) -> Recipient:
    values: dict[str, Any] = {
        "email": "analyst@example.org",
        "countries": ("KZ",),
        "schedule": "daily 07:00",
        "timezone": "Asia/Almaty",
        "name": "Aigerim Analyst",
    }
    values.update(fields)
    return Recipient(**values)


def stats(failing: int = 1) -> DigestStats:
    feeds = tuple(
        FailingFeed(f"Feed {n}", f"https://feeds.example.org/{n}.xml", 3 + n, "HTTP 503")
        for n in range(failing)
    )
    return DigestStats(items_seen=1200, items_flagged=14, failing_feeds=feeds)


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The decoded text and HTML parts of a digest."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def group_and_build(email: str = "analyst@example.org", item_id: int = 1) -> bytes:
    """The raw bytes of a small real digest for `email`."""
    events = group_events([item(item_id)])
    message = build_digest(recipient(email=email), events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    return message.raw
