"""SQLAlchemy 2 ORM models: the database schema of SummitWatch.

These classes never leave ``summitwatch.storage``: the rest of the application works with the
frozen dataclasses of the leaf packages or of ``summitwatch.records``. The schema itself is created
and evolved only by the Alembic migrations in ``summitwatch/migrations``; a test checks that the
migrations and these models agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Feed(Base):
    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str | None] = mapped_column(String(300))
    full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    interval_minutes: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(20), default="cli")  # config | cli | web | opml
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # fetch state
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(20))
    # health
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(20))
    last_error_kind: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    bozo_message: Mapped[str | None] = mapped_column(Text)
    fetch_count: Mapped[int] = mapped_column(Integer, default=0)
    total_latency_s: Mapped[float] = mapped_column(Float, default=0.0)
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    uid: Mapped[str] = mapped_column(Text)
    uid_kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    published_is_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(20))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the current verdict, denormalised so that queues and digests need no join on verdicts
    verdict_id: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    country_a: Mapped[str | None] = mapped_column(String(2))
    country_b: Mapped[str | None] = mapped_column(String(2))
    review_state: Mapped[str | None] = mapped_column(String(10))  # confirmed | rejected | None
    # set at ingestion for full-text feeds, cleared once the article page was tried: an item is
    # classified only after that, so every runner scores the same text
    awaiting_full_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    __table_args__ = (
        Index("ix_items_flag_queue", "flagged", "review_state", "published"),
        Index("ix_items_score", "score"),
    )


class Verdict(Base):
    __tablename__ = "verdicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float)
    label: Mapped[bool] = mapped_column(Boolean)
    country_a: Mapped[str | None] = mapped_column(String(2))
    country_b: Mapped[str | None] = mapped_column(String(2))
    visitor: Mapped[str | None] = mapped_column(String(2))
    host: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default="unknown")
    event_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # confirm | reject
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    model_version: Mapped[str | None] = mapped_column(String(80))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class WatchedCountry(Base):
    __tablename__ = "watched_countries"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    origin: Mapped[str] = mapped_column(String(20), default="config")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Recipient(Base):
    __tablename__ = "recipients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    countries: Mapped[list[str] | None] = mapped_column(JSON)
    schedule: Mapped[str] = mapped_column(String(100), default="daily 07:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    min_score: Mapped[float | None] = mapped_column(Float)
    lang: Mapped[str] = mapped_column(String(5), default="en")
    send_empty: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20), default="config")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    period_key: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    subject: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    events: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # who holds the ``sending`` lease ("job:<id>" for a worker's delivery job): the same job,
    # retried after its worker died, may take its own lease back without waiting for it to expire
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("recipient", "period_key", name="uq_outbox_period"),)


class DigestedItem(Base):
    """An item that a recipient has received, in which event: written when the server accepts."""

    __tablename__ = "digested_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    event_key: Mapped[str] = mapped_column(String(200))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"))
    __table_args__ = (UniqueConstraint("recipient", "item_id", name="uq_digested_item"),)


class ModelRecord(Base):
    __tablename__ = "models"
    version: Mapped[str] = mapped_column(String(80), primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime)
    n_train: Mapped[int] = mapped_column(Integer)
    n_reviews: Mapped[int] = mapped_column(Integer, default=0)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    path: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """A reviewer account of the web UI.

    ``session_generation`` is copied into every session cookie at login; raising it (logout,
    password change) makes every cookie issued before unusable, since cookies cannot be recalled.
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class JobError(Base):
    """The last error of a queued job (workers mode), shown next to dead letters.

    The job queue's own tables record states, not exceptions; this keeps the operator's "why".
    """

    __tablename__ = "job_errors"
    job_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    task_name: Mapped[str] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EngineSchema(Base):
    """Version of an external schema installed next to ours (procrastinate's job queue)."""

    __tablename__ = "engine_schema"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
