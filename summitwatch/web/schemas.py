"""Pydantic shapes of the JSON API: what it accepts and what it returns (and so what the OpenAPI
schema at ``/openapi.json`` documents)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ItemOut(Out):
    id: int
    title: str
    summary: str
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


class ItemPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")


class EventOut(BaseModel):
    key: str
    countries: tuple[str, str]
    headline: str
    status: str
    score: float
    latest: datetime
    item_ids: list[int]


class EventPage(BaseModel):
    events: list[EventOut]
    next_cursor: str | None


class VerdictOut(Out):
    id: int
    model_version: str
    score: float
    label: bool
    countries: tuple[str, ...]
    status: str
    created_at: datetime
    explanation: dict[str, Any]


class ReviewOut(Out):
    id: int
    item_id: int
    decision: str
    note: str
    reviewer: str
    model_version: str | None
    created_at: datetime
    undone: bool


class ItemDetail(BaseModel):
    item: ItemOut
    content: str | None
    verdicts: list[VerdictOut]
    reviews: list[ReviewOut]


class ReviewIn(BaseModel):
    decision: Literal["confirm", "reject"]
    note: str = Field("", max_length=2000)


class EventReviewIn(ReviewIn):
    item_ids: list[int] = Field(min_length=1, max_length=500)


class UndoOut(BaseModel):
    undone: bool
    item_id: int | None


class FeedOut(Out):
    id: int
    url: str
    name: str
    category: str | None
    full_text: bool
    consecutive_failures: int
    gone: bool
    last_checked_at: datetime | None
    last_success_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    items_total: int
    items_per_day: float
    average_latency_s: float | None
    next_check_at: datetime | None


class FeedIn(BaseModel):
    url: str = Field(max_length=2048)
    name: str = Field("", max_length=300)
    full_text: bool = False
    skip_check: bool = Field(
        False, description="Store without parsing (the address is still vetted)."
    )


class FeedCheckOut(BaseModel):
    url: str
    title: str | None
    entries: int
    language: str | None
    redirects: list[str]
    problem: str | None


class FeedAdded(BaseModel):
    feed: FeedOut
    created: bool
    check: FeedCheckOut | None


class CheckIn(BaseModel):
    url: str = Field(max_length=2048)


class CountryOut(BaseModel):
    code: str
    name: str
    watched: bool


class RecipientOut(Out):
    id: int
    email: str
    name: str | None
    countries: tuple[str, ...] | None
    schedule: str
    timezone: str
    min_score: float | None
    lang: str
    send_empty: bool


class RecipientIn(BaseModel):
    email: str = Field(max_length=320)
    name: str | None = Field(None, max_length=200)
    countries: list[str] | None = None
    schedule: str = Field("daily 07:00", max_length=100)
    timezone: str = Field("UTC", max_length=64)
    min_score: float | None = None
    lang: str = Field("en", max_length=5)
    send_empty: bool = False


class JobOut(BaseModel):
    started: bool
    job: dict[str, Any] | None
