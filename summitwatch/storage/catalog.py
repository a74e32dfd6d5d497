"""What is watched: feeds, recipients and watched countries in the database.

The database is the live source of truth for these three lists, so that the CLI and the web UI
can change them without a restart. The configuration file seeds them: ``sync_from_settings``
adds every ``[[feeds]]``, ``[[recipients]]`` and ``[watch] countries`` entry that the database
does not know yet. A removal is kept as a tombstone (``removed_at`` / ``active = False``), so an
entry removed through the CLI or UI is not brought back by the next start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from collectors.models import FeedState
from summitwatch.records import FeedRecord, RecipientRecord
from summitwatch.storage.db import Database, utcnow
from summitwatch.storage.models import Feed, Item, Recipient, WatchedCountry
from summitwatch.validation import check_feed_url


def feed_record(feed: Feed, items_per_day: float = 0.0) -> FeedRecord:
    avg = feed.total_latency_s / feed.fetch_count if feed.fetch_count else None
    return FeedRecord(
        id=feed.id,
        url=feed.url,
        name=feed.name,
        category=feed.category,
        full_text=feed.full_text,
        interval_minutes=feed.interval_minutes,
        next_check_at=feed.next_check_at,
        consecutive_failures=feed.consecutive_failures,
        gone=feed.gone,
        last_checked_at=feed.last_checked_at,
        last_success_at=feed.last_success_at,
        last_status=feed.last_status,
        last_error_kind=feed.last_error_kind,
        last_error=feed.last_error,
        bozo_message=feed.bozo_message,
        fetch_count=feed.fetch_count,
        average_latency_s=avg,
        items_total=feed.items_total,
        items_per_day=items_per_day,
        removed=feed.removed_at is not None,
        title=feed.title,
    )


def _recipient_record(r: Recipient) -> RecipientRecord:
    return RecipientRecord(
        id=r.id,
        email=r.email,
        name=r.name,
        countries=tuple(r.countries) if r.countries else None,
        schedule=r.schedule,
        timezone=r.timezone,
        min_score=r.min_score,
        lang=r.lang,
        send_empty=r.send_empty,
        last_period_end=r.last_period_end,
    )


# -- feeds ---------------------------------------------------------------------------------


def add_feed(
    db: Database,
    url: str,
    *,
    name: str = "",
    category: str | None = None,
    full_text: bool = False,
    interval_minutes: int | None = None,
    origin: str = "cli",
    revive: bool = True,
) -> tuple[FeedRecord, bool]:
    """Add a feed (or revive a removed one when ``revive``); returns (feed, created). A URL
    ``check_feed_url`` refuses (another scheme, credentials in it) is a ``SettingsError``."""
    url = check_feed_url(url)
    with db.session() as s:
        feed = s.scalar(select(Feed).where(Feed.url == url))
        if feed is not None:
            if feed.removed_at is not None and revive:
                feed.removed_at = None
                feed.next_check_at = utcnow()
                return feed_record(feed), True
            return feed_record(feed), False
        feed = Feed(
            url=url,
            name=name or url,
            category=category,
            full_text=full_text,
            interval_minutes=interval_minutes,
            origin=origin,
            created_at=utcnow(),
            next_check_at=utcnow(),
            consecutive_failures=0,
            fetch_count=0,
            total_latency_s=0.0,
            items_total=0,
            gone=False,
        )
        s.add(feed)
        s.flush()
        return feed_record(feed), True


def remove_feed(db: Database, url_or_id: str) -> bool:
    with db.session() as s:
        query = select(Feed).where(Feed.removed_at.is_(None))
        if url_or_id.isdigit():
            query = query.where(Feed.id == int(url_or_id))
        else:
            query = query.where(Feed.url == url_or_id)
        feed = s.scalar(query)
        if feed is None:
            return False
        feed.removed_at = utcnow()
        return True


def list_feeds(db: Database, *, include_removed: bool = False) -> list[FeedRecord]:
    since = utcnow() - timedelta(days=7)
    with db.session() as s:
        counts = dict(
            s.execute(
                select(Item.feed_id, func.count())
                .where(Item.first_seen_at >= since)
                .group_by(Item.feed_id)
            ).all()
        )
        query = select(Feed).order_by(Feed.name, Feed.id)
        if not include_removed:
            query = query.where(Feed.removed_at.is_(None))
        return [feed_record(f, counts.get(f.id, 0) / 7.0) for f in s.scalars(query)]


def failing_feeds(db: Database, min_failures: int = 3) -> list[FeedRecord]:
    return [f for f in list_feeds(db) if f.consecutive_failures >= min_failures or f.gone]


def due_feeds(db: Database, now: datetime, limit: int | None = None) -> list[tuple[int, FeedState]]:
    """Feeds whose ``next_check_at`` has come, oldest first (gone feeds are still retried)."""
    with db.session() as s:
        query = (
            select(Feed)
            .where(Feed.removed_at.is_(None))
            .where((Feed.next_check_at.is_(None)) | (Feed.next_check_at <= now))
            .order_by(Feed.next_check_at.nulls_first(), Feed.id)
        )
        if limit:
            query = query.limit(limit)
        return [(f.id, feed_state(f)) for f in s.scalars(query)]


def feed_state(feed: Feed) -> FeedState:
    return FeedState(
        url=feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        body_hash=feed.body_hash,
        consecutive_failures=feed.consecutive_failures,
        interval=timedelta(minutes=feed.interval_minutes) if feed.interval_minutes else None,
        full_text=feed.full_text,
    )


# -- watched countries ---------------------------------------------------------------------


def watched_countries(db: Database) -> list[str]:
    with db.session() as s:
        rows = s.scalars(
            select(WatchedCountry.code).where(WatchedCountry.active).order_by(WatchedCountry.code)
        )
        return list(rows)


def set_country(db: Database, code: str, active: bool, origin: str = "cli") -> bool:
    """Watch or unwatch ``code``; returns whether anything changed."""
    with db.session() as s:
        row = s.get(WatchedCountry, code)
        if row is None:
            s.add(WatchedCountry(code=code, active=active, origin=origin, updated_at=utcnow()))
            return True
        if row.active == active:
            return False
        row.active, row.origin, row.updated_at = active, origin, utcnow()
        return True


# -- recipients ----------------------------------------------------------------------------

RECIPIENT_FIELDS = ("name", "countries", "schedule", "timezone", "min_score", "lang", "send_empty")


def upsert_recipient(
    db: Database, email: str, fields: Mapping[str, Any], origin: str = "cli"
) -> RecipientRecord:
    """Create or update a recipient (values must already be validated)."""
    with db.session() as s:
        row = s.scalar(select(Recipient).where(Recipient.email == email))
        if row is None:
            row = Recipient(
                email=email,
                origin=origin,
                created_at=utcnow(),
                send_empty=False,
                lang="en",
                schedule="daily 07:00",
                timezone="UTC",
            )
            s.add(row)
        row.removed_at = None
        for key in RECIPIENT_FIELDS:
            if key in fields:
                value = fields[key]
                setattr(row, key, list(value) if key == "countries" and value else value)
        s.flush()
        return _recipient_record(row)


def remove_recipient(db: Database, email: str) -> bool:
    with db.session() as s:
        row = s.scalar(
            select(Recipient).where(Recipient.email == email, Recipient.removed_at.is_(None))
        )
        if row is None:
            return False
        row.removed_at = utcnow()
        return True


def list_recipients(db: Database) -> list[RecipientRecord]:
    with db.session() as s:
        rows = s.scalars(
            select(Recipient).where(Recipient.removed_at.is_(None)).order_by(Recipient.email)
        )
        return [_recipient_record(r) for r in rows]


def set_last_period_end(db: Database, email: str, end: datetime) -> None:
    with db.session() as s:
        row = s.scalar(select(Recipient).where(Recipient.email == email))
        if row is not None and (row.last_period_end is None or row.last_period_end < end):
            row.last_period_end = end


# -- seeding from the configuration file -------------------------------------------------


def sync_from_settings(
    db: Database,
    countries: Iterable[str],
    feeds: Sequence[Mapping[str, Any]],
    recipients: Sequence[Mapping[str, Any]],
) -> None:
    """Add what the configuration names and the database has never seen (tombstones win)."""
    with db.session() as s:
        known = {row.code for row in s.scalars(select(WatchedCountry))}
        for code in countries:
            if code not in known:
                s.add(WatchedCountry(code=code, active=True, origin="config", updated_at=utcnow()))
    for feed in feeds:
        add_feed(
            db,
            str(feed["url"]),
            name=str(feed.get("name", "")),
            category=feed.get("category"),
            full_text=bool(feed.get("full_text", False)),
            interval_minutes=feed.get("interval_minutes"),
            origin="config",
            revive=False,
        )
    with db.session() as s:
        emails = set(s.scalars(select(Recipient.email)))
    for rec in recipients:
        if rec["email"] not in emails:
            upsert_recipient(db, str(rec["email"]), rec, origin="config")
