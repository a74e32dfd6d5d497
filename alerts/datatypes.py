"""Frozen records that cross the boundary between the alerts package and its callers.

The application builds `DigestItem`, `Recipient` and `DigestStats` from its database and gets back
`Event`, `Period` and `DigestMessage` values; nothing here touches storage or the network, so the
records stay cheap to build, hashable where that helps caching, and safe to share between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class DigestItem:
    item_id: int
    title: str
    summary: str
    link: str | None
    source: str
    lang: str | None
    published: datetime
    score: float
    countries: tuple[str, str]
    visitor: str | None
    host: str | None
    status: str
    event_date: date | None
    place: str | None
    explanation: str


@dataclass(frozen=True, slots=True)
class Event:
    key: str
    countries: tuple[str, str]
    headline: str
    status: str
    event_date: date | None
    place: str | None
    explanation: str
    score: float
    latest: datetime
    items: tuple[DigestItem, ...]
    is_update: bool
    new_item_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Recipient:
    email: str
    countries: tuple[str, ...]
    schedule: str
    timezone: str = "UTC"
    min_score: float = 0.5
    lang: str = "en"
    send_empty: bool = False
    name: str | None = None


@dataclass(frozen=True, slots=True)
class FailingFeed:
    name: str
    url: str
    consecutive_failures: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class DigestStats:
    items_seen: int
    items_flagged: int
    failing_feeds: tuple[FailingFeed, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval (start, end] in UTC; `key()` names it by its end for the outbox key."""

    start: datetime
    end: datetime

    def key(self) -> str:
        end = self.end.astimezone(UTC)
        if end.second or end.microsecond:
            # Immediate schedules end at arbitrary instants; keep them distinct within a minute.
            return end.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return end.strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """A rendered digest. `event_items` maps each event key shown to the item ids it showed, which
    the application records (once the server accepted the message) to build `sent` next time."""

    recipient: str
    subject: str
    message_id: str
    text: str
    html: str
    raw: bytes
    event_items: tuple[tuple[str, frozenset[int]], ...] = field(default=())

    @property
    def item_ids(self) -> frozenset[int]:
        return frozenset(i for _, ids in self.event_items for i in ids)
