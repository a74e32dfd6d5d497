"""The review queues: filtered, keyset-paginated lists of items for the web UI, the terminal
review and the exports (the accounts behind the UI's login live in ``storage.accounts``).

Every list is ordered newest first on ``(published, id)`` and paginated by a cursor naming the
last row shown, never by OFFSET, so page 2,000 costs what page 1 costs: the flagged queue walks
the ``(flagged, review_state, published)`` index. Filters that the index does not cover
(country, language, score, feed, status, text search) are applied on the rows it yields.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from summitwatch.records import ItemView
from summitwatch.storage.db import Database
from summitwatch.storage.items import _view
from summitwatch.storage.models import Feed, Item, Review, Verdict

VIEWS = ("queue", "near", "reviewed", "confirmed", "rejected", "flagged", "all")
STATUSES = ("announced", "held", "unknown")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What a reviewer asked to see; ``None`` means "no restriction"."""

    view: str = "queue"
    country: str | None = None
    partner: str | None = None
    language: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    since: datetime | None = None
    until: datetime | None = None
    feed_id: int | None = None
    status: str | None = None
    query: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    items: tuple[ItemView, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ItemExtra:
    """What the item page shows beyond an ``ItemView``."""

    summary_html: str
    authors: tuple[str, ...]
    feed_url: str | None
    first_seen_at: datetime
    published_is_fallback: bool


@dataclass(frozen=True, slots=True)
class Facets:
    languages: tuple[str, ...]
    feeds: tuple[tuple[int, str], ...]


def encode_cursor(published: datetime, item_id: int) -> str:
    raw = f"{published.astimezone(UTC).isoformat()}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (published, id) a cursor names; ValueError when it was not made by ``encode_cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _, ident = raw.partition("|")
        published = datetime.fromisoformat(stamp)
        if published.tzinfo is None:
            raise ValueError("naive")
        return published, int(ident)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"cursor {cursor[:40]!r} is not valid") from exc


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(query: Select[Any], flt: QueueFilter, threshold: float, near_miss: float) -> Select[Any]:
    view = flt.view
    if view not in VIEWS:
        raise ValueError(f"view {view!r}: expected one of {', '.join(VIEWS)}")
    if view == "queue":
        query = query.where(Item.flagged, Item.review_state.is_(None))
    elif view == "near":
        query = query.where(
            ~Item.flagged,
            Item.review_state.is_(None),
            Item.score >= near_miss,
            Item.score < threshold,
        )
    elif view == "reviewed":
        query = query.where(Item.review_state.is_not(None))
    elif view in ("confirmed", "rejected"):
        query = query.where(Item.review_state == view)
    elif view == "flagged":
        query = query.where(Item.flagged)
    if flt.country and flt.partner:
        a, b = flt.country, flt.partner
        query = query.where(
            or_(
                and_(Item.country_a == a, Item.country_b == b),
                and_(Item.country_a == b, Item.country_b == a),
            )
        )
    elif flt.country or flt.partner:
        code = flt.country or flt.partner
        query = query.where(or_(Item.country_a == code, Item.country_b == code))
    if flt.language:
        query = query.where(Item.language == flt.language)
    if flt.min_score is not None:
        query = query.where(Item.score >= flt.min_score)
    if flt.max_score is not None:
        query = query.where(Item.score <= flt.max_score)
    if flt.since is not None:
        query = query.where(Item.published >= flt.since)
    if flt.until is not None:
        query = query.where(Item.published < flt.until)
    if flt.feed_id is not None:
        query = query.where(Item.feed_id == flt.feed_id)
    if flt.status:
        query = query.where(
            Item.verdict_id.in_(select(Verdict.id).where(Verdict.status == flt.status))
        )
    if flt.query and flt.query.strip():
        pattern = f"%{_escape_like(flt.query.strip())}%"
        query = query.where(
            or_(
                Item.title.ilike(pattern, escape="\\"),
                Item.summary.ilike(pattern, escape="\\"),
            )
        )
    return query


def _rows(s: Session, query: Select[Any]) -> list[ItemView]:
    full = (
        query.add_columns(Verdict, Feed.name)
        .outerjoin(Verdict, Verdict.id == Item.verdict_id)
        .outerjoin(Feed, Feed.id == Item.feed_id)
    )
    return [_view(item, verdict, name or "") for item, verdict, name in s.execute(full).all()]


def queue_page(
    db: Database,
    flt: QueueFilter,
    *,
    threshold: float,
    near_miss: float,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of ``flt``'s items, newest first, and the cursor of the next page (or None)."""
    limit = max(1, min(limit, 500))
    query = _where(select(Item), flt, threshold, near_miss)
    if cursor:
        published, ident = decode_cursor(cursor)
        query = query.where(
            or_(Item.published < published, and_(Item.published == published, Item.id < ident))
        )
    query = query.order_by(Item.published.desc(), Item.id.desc()).limit(limit + 1)
    with db.session() as s:
        rows = _rows(s, query)
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor(rows[-1].published, rows[-1].id) if more and rows else None
    return Page(tuple(rows), nxt)


def iter_items(
    db: Database,
    flt: QueueFilter,
    *,
    threshold: float,
    near_miss: float,
    batch: int = 500,
    limit: int | None = None,
) -> Iterator[ItemView]:
    """Every item of ``flt`` newest first, read a page at a time (for exports)."""
    cursor: str | None = None
    sent = 0
    while True:
        page = queue_page(
            db, flt, threshold=threshold, near_miss=near_miss, cursor=cursor, limit=batch
        )
        for view in page.items:
            if limit is not None and sent >= limit:
                return
            sent += 1
            yield view
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def count(db: Database, flt: QueueFilter, *, threshold: float, near_miss: float) -> int:
    query = select(func.count()).select_from(Item)
    with db.session() as s:
        return int(s.scalar(_where(query, flt, threshold, near_miss)) or 0)


def item_extra(db: Database, item_id: int) -> ItemExtra | None:
    with db.session() as s:
        row = s.execute(
            select(Item, Feed.url)
            .outerjoin(Feed, Feed.id == Item.feed_id)
            .where(Item.id == item_id)
        ).first()
        if row is None:
            return None
        item, url = row
        return ItemExtra(
            item.summary_html or "",
            tuple(item.authors or ()),
            url,
            item.first_seen_at,
            item.published_is_fallback,
        )


def facets(db: Database) -> Facets:
    """The values the filter menus offer: languages seen and feeds that have items."""
    with db.session() as s:
        langs = s.scalars(select(Item.language).distinct().where(Item.language.is_not(None)))
        feeds = s.execute(
            select(Feed.id, Feed.name).where(Feed.removed_at.is_(None)).order_by(Feed.name)
        )
        return Facets(
            tuple(sorted(str(x) for x in langs)), tuple((int(i), str(n)) for i, n in feeds)
        )


def latest_review_item(db: Database, reviewer: str) -> int | None:
    """The item of ``reviewer``'s most recent standing review: what "undo" takes back."""
    with db.session() as s:
        return s.scalar(
            select(Review.item_id)
            .where(Review.reviewer == reviewer, ~Review.undone)
            .order_by(Review.id.desc())
            .limit(1)
        )
