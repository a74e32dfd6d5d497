"""Frozen records that leave storage: what the CLI, the web UI and the pipeline work with.

ORM rows stay inside ``summitwatch.storage``; these plain dataclasses are what it hands out, so
that nothing outside storage can lazily load, mutate or leak a session-bound object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    url: str
    name: str
    category: str | None
    full_text: bool
    interval_minutes: int | None
    next_check_at: datetime | None
    consecutive_failures: int
    gone: bool
    last_checked_at: datetime | None
    last_success_at: datetime | None
    last_status: str | None
    last_error_kind: str | None
    last_error: str | None
    bozo_message: str | None
    fetch_count: int
    average_latency_s: float | None
    items_total: int
    items_per_day: float
    removed: bool
    title: str | None = None


@dataclass(frozen=True, slots=True)
class RecipientRecord:
    id: int
    email: str
    name: str | None
    countries: tuple[str, ...] | None
    schedule: str
    timezone: str
    min_score: float | None
    lang: str
    send_empty: bool
    last_period_end: datetime | None


@dataclass(frozen=True, slots=True)
class ItemText:
    """What the classifier needs of an item."""

    id: int
    title: str
    text: str
    language: str | None
    published: datetime


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item with its current verdict, as the review UI and the exports show it."""

    id: int
    title: str
    summary: str
    content: str | None
    link: str | None
    source: str
    feed_id: int | None
    language: str | None
    published: datetime
    score: float | None
    flagged: bool
    countries: tuple[str, ...]
    visitor: str | None
    host: str | None
    status: str
    event_date: date | None
    place: str | None
    explanation: dict[str, Any]
    model_version: str | None
    review_state: str | None


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    item_id: int
    decision: str
    note: str
    reviewer: str
    model_version: str | None
    created_at: datetime
    undone: bool


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    id: int
    model_version: str
    score: float
    label: bool
    countries: tuple[str, ...]
    status: str
    created_at: datetime
    explanation: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """A reviewer's decision turned into a training example."""

    title: str
    text: str
    label: int
    countries: tuple[str, ...]
    lang: str | None
    published: date | None = None
