"""Ingestion: the outcome of polls recorded on their feeds and their new entries stored.

A batch of polls (several feeds, as the collector hands them over) is written in one transaction:
one query loads the feeds, one finds which entries are already known, one multi-row INSERT
stores the rest, one commit. Deduplication is the database's (a unique ``dedup_key`` with
``INSERT … ON CONFLICT DO NOTHING``), so two processes ingesting the same entry store it once.
A row the database refuses costs that row only: the batch is retried feed by feed, then row by
row, each in a savepoint. Items of full-text feeds wait (``awaiting_full_text``) until their
article page was tried.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from collectors import Entry, FetchResult
from summitwatch.storage.db import Database, one_line, utcnow
from summitwatch.storage.models import Feed, Item

log = logging.getLogger("summitwatch.storage")
# keys per IN (...) query: well under SQLite's 32,766 bound parameters
_CHUNK = 5000


def dedup_key(entry: Entry) -> str:
    """GUIDs that are URLs/URNs are global; bare GUIDs ("1234") are only unique per feed."""
    if entry.uid_kind == "guid" and not entry.uid.startswith(
        ("http://", "https://", "urn:", "tag:")
    ):
        key = f"guid:{entry.feed_url}#{entry.uid}"
    else:
        key = f"{entry.uid_kind}:{entry.uid}"
    if len(key) > 500:
        key = f"{entry.uid_kind}:sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def apply_fetch_result(db: Database, feed_id: int, result: FetchResult) -> list[int]:
    """Record one poll's outcome on its feed and store its new entries; returns new item ids."""
    return apply_fetch_results(db, [(feed_id, result)]).get(feed_id, [])


def apply_fetch_results(
    db: Database, polls: Sequence[tuple[int, FetchResult]]
) -> dict[int, list[int]]:
    """Record a batch of polls in one transaction; returns each feed's new item ids."""
    now = utcnow()
    with db.session() as s:
        feeds = {f.id: f for f in s.scalars(select(Feed).where(Feed.id.in_([i for i, _ in polls])))}
        rows: dict[int, dict[str, dict[str, Any]]] = {}
        for feed_id, result in polls:
            feed = feeds.get(feed_id)
            if feed is not None and _record_poll(s, feed, result):
                rows[feed_id] = _rows(feed_id, result.entries, now, feed.full_text)
        known = _known_keys(s, [key for by_key in rows.values() for key in by_key])
        fresh = {
            feed_id: [row for key, row in by_key.items() if key not in known]
            for feed_id, by_key in rows.items()
        }
        stored = _insert_batch(s.connection(), [row for batch in fresh.values() for row in batch])
        new_ids: dict[int, list[int]] = {feed_id: [] for feed_id, _ in polls}
        for item_id, feed_id in stored:
            new_ids[feed_id].append(item_id)
        for feed_id, ids in new_ids.items():
            if feed_id in feeds:
                feeds[feed_id].items_total += len(ids)
        return new_ids


def _record_poll(s: Session, feed: Feed, result: FetchResult) -> bool:
    """The poll's outcome on the feed's row; True when its entries are to be stored."""
    feed.last_checked_at = result.fetched_at
    feed.last_status = result.status
    feed.next_check_at = result.next_check_at
    feed.consecutive_failures = result.consecutive_failures
    feed.fetch_count += 1
    feed.total_latency_s += result.latency_s
    if result.new_url and result.new_url != feed.url:
        clash = s.scalar(select(Feed.id).where(Feed.url == result.new_url))
        if clash is None:
            feed.url = result.new_url
    if result.status == "error" or result.status == "gone":
        feed.last_error_kind = result.error_kind or result.status
        feed.last_error = result.error_message
        feed.gone = result.status == "gone"
        return False
    feed.gone = False
    feed.last_success_at = result.fetched_at
    feed.etag, feed.last_modified = result.etag, result.last_modified
    feed.body_hash = result.body_hash or feed.body_hash
    feed.bozo_message = result.bozo_message
    feed.last_error_kind = feed.last_error = None
    if result.feed_title and (not feed.name or feed.name == feed.url):
        feed.name = result.feed_title
    feed.title = result.feed_title or feed.title
    feed.language = result.feed_language or feed.language
    return True


def _rows(
    feed_id: int | None, entries: Iterable[Entry], now: datetime, awaiting_full_text: bool
) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for e in entries:
        key = dedup_key(e)
        rows.setdefault(
            key,
            {
                "feed_id": feed_id,
                "dedup_key": key,
                "uid": e.uid,
                "uid_kind": e.uid_kind,
                "title": e.title,
                "summary": e.summary,
                "summary_html": e.summary_html,
                "content": e.content,
                "link": e.link,
                "published": e.published,
                "published_is_fallback": e.published_is_fallback,
                "updated": e.updated,
                # a language tag longer than the column (seen: private-use tags) keeps its head
                "language": e.language[:20] if e.language else e.language,
                "authors": list(e.authors),
                "first_seen_at": now,
                "flagged": False,
                "awaiting_full_text": awaiting_full_text,
            },
        )
    return rows


def _known_keys(s: Session, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        known.update(s.scalars(select(Item.dedup_key).where(Item.dedup_key.in_(chunk))))
    return known


def insert_entries(
    s: Session,
    feed_id: int | None,
    entries: Iterable[Entry],
    now: datetime,
    *,
    awaiting_full_text: bool = False,
) -> list[int]:
    """Store ``entries`` of one feed (or of none: items added by hand) not known yet."""
    rows = _rows(feed_id, entries, now, awaiting_full_text)
    known = _known_keys(s, list(rows))
    fresh = [row for key, row in rows.items() if key not in known]
    return [item_id for item_id, _ in _insert_batch(s.connection(), fresh)]


def _insert_batch(connection: Connection, rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Insert ``rows`` (skipping keys another writer stored meanwhile); (item id, feed id) of
    each stored row. One statement for all (the driver sends multi-row VALUES), in a savepoint:
    when the database refuses it, each feed's rows are tried alone, then each row."""
    if not rows:
        return []
    # a Core insert on the table: the ORM's bulk path costs about a third more CPU per row
    table = Item.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(table.c.id, table.c.feed_id)
    )
    try:
        with connection.begin_nested():
            return [(int(i), f) for i, f in connection.execute(stmt, rows)]
    except DBAPIError as exc:
        if len(rows) == 1:
            log.warning(
                "entry %s of feed %s not stored: %s", rows[0]["uid"], rows[0]["feed_id"],
                one_line(exc),
            )  # fmt: skip
            return []
    by_feed: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        by_feed.setdefault(row["feed_id"], []).append(row)
    parts = list(by_feed.values()) if len(by_feed) > 1 else [[row] for row in rows]
    return [stored for part in parts for stored in _insert_batch(connection, part)]
