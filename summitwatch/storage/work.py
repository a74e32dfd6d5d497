"""The database as the list of work to do: which feeds, items and messages are due.

Both runners read their work from here. The embedded runner acts on it at once; the workers'
scheduler turns it into queued jobs, and each job checks again that its piece of work is still
due (``due_feed_state``, ``full_text_target``) before doing it, which is what makes a job that
runs twice, or after another worker already did the work, harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from collectors.models import FeedState
from summitwatch.storage.db import Database
from summitwatch.storage.models import Feed, Item, OutboxMessage


def due_feed_state(db: Database, feed_id: int, now: datetime) -> FeedState | None:
    """The fetch state of a feed that is still due at ``now``; None when it is not (any more)."""
    # the columns only, not the ORM row: this runs before every poll a worker makes
    query = select(
        Feed.url,
        Feed.etag,
        Feed.last_modified,
        Feed.body_hash,
        Feed.consecutive_failures,
        Feed.interval_minutes,
        Feed.full_text,
    ).where(
        Feed.id == feed_id,
        Feed.removed_at.is_(None),
        or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now),
    )
    with db.session() as s:
        row = s.execute(query).first()
    if row is None:
        return None
    url, etag, modified, body_hash, failures, minutes, full_text = row
    interval = timedelta(minutes=minutes) if minutes else None
    return FeedState(url, etag, modified, body_hash, failures, interval, full_text)


def due_feed_ids(db: Database, now: datetime, limit: int | None = None) -> list[int]:
    """Ids of the feeds due at ``now``, most overdue first (as ``catalog.due_feeds``)."""
    with db.session() as s:
        query = (
            select(Feed.id)
            .where(Feed.removed_at.is_(None))
            .where((Feed.next_check_at.is_(None)) | (Feed.next_check_at <= now))
            .order_by(Feed.next_check_at.nulls_first(), Feed.id)
        )
        return list(s.scalars(query.limit(limit) if limit else query))


def full_text_target(db: Database, item_id: int) -> tuple[bool, str | None]:
    """(still awaiting its full text, article link) of an item; (False, None) when unknown."""
    with db.session() as s:
        row = s.execute(
            select(Item.awaiting_full_text, Item.link).where(Item.id == item_id)
        ).first()
        return (bool(row[0]), row[1]) if row is not None else (False, None)


def finish_full_text(db: Database, item_id: int, text: str | None) -> None:
    """Store the extracted text (None: keep the feed's summary) and release the item."""
    with db.session() as s:
        item = s.get(Item, item_id)
        if item is not None and item.awaiting_full_text:
            if text:
                item.content = text
            item.awaiting_full_text = False


def stale_full_text_ids(db: Database, before: datetime, limit: int = 1000) -> list[int]:
    """Items waiting for their full text since before ``before``: their job was lost."""
    with db.session() as s:
        query = (
            select(Item.id)
            .where(Item.awaiting_full_text, Item.first_seen_at < before)
            .order_by(Item.id)
            .limit(limit)
        )
        return list(s.scalars(query))


def has_unscored(db: Database, before: datetime) -> bool:
    """Whether an item first seen before ``before`` still waits for a verdict."""
    with db.session() as s:
        query = select(Item.id).where(
            Item.verdict_id.is_(None), ~Item.awaiting_full_text, Item.first_seen_at < before
        )
        return s.scalar(query.limit(1)) is not None


def due_message_ids(db: Database, now: datetime) -> list[int]:
    """Outbox messages a sender may claim at ``now`` (pending, or with an expired lease)."""
    with db.session() as s:
        query = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status.in_(("pending", "sending")))
            .where(OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
        )
        return list(s.scalars(query))


@dataclass(frozen=True)
class Backlog:
    """The work the database holds, counted: what ``summitwatch status`` shows in either mode."""

    feeds: int
    feeds_due: int
    last_poll: datetime | None
    awaiting_full_text: int
    unscored: int
    outbox: dict[str, int]


def backlog(db: Database, now: datetime) -> Backlog:
    with db.session() as s:
        live = Feed.removed_at.is_(None)
        feeds = s.scalar(select(func.count()).select_from(Feed).where(live)) or 0
        due = or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now)
        feeds_due = s.scalar(select(func.count()).select_from(Feed).where(live, due)) or 0
        last_poll = s.scalar(select(func.max(Feed.last_checked_at)))
        waiting = (
            s.scalar(select(func.count()).select_from(Item).where(Item.awaiting_full_text)) or 0
        )
        unscored = (
            s.scalar(select(func.count()).select_from(Item).where(Item.verdict_id.is_(None))) or 0
        )
        outbox = dict(
            s.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    return Backlog(int(feeds), int(feeds_due), last_poll, int(waiting), int(unscored), dict(outbox))
