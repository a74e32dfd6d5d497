"""Items: ingestion of fetched entries, verdicts and the queries that list them.

Ingestion commits per feed, as soon as its result arrives, so a crash loses at most the feeds in
flight. Deduplication is enforced by the database (a unique ``dedup_key``) with
``INSERT … ON CONFLICT DO NOTHING``, so two processes ingesting the same entry store it once.
Items of full-text feeds wait (``awaiting_full_text``) until their article page was tried, and
verdicts are stored at most once per item and model version, so repeated or concurrent runs of a
step (retried jobs, several workers) leave the same rows as one run.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from classifier.verdict import Evidence
from classifier.verdict import Verdict as ClassifierVerdict
from collectors import Entry, FetchResult
from summitwatch.records import ItemText, ItemView, VerdictRecord
from summitwatch.storage.db import Database, one_line, utcnow
from summitwatch.storage.models import Feed, Item, Verdict

log = logging.getLogger("summitwatch.storage")


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


def _insert(session: Session) -> Any:
    return postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert  # type: ignore[union-attr]


def apply_fetch_result(db: Database, feed_id: int, result: FetchResult) -> list[int]:
    """Record a poll's outcome on the feed and store its new entries; returns new item ids."""
    now = utcnow()
    with db.session() as s:
        feed = s.get(Feed, feed_id)
        if feed is None:
            return []
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
            return []
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
        new_ids = insert_entries(s, feed.id, result.entries, now, awaiting_full_text=feed.full_text)
        feed.items_total += len(new_ids)
        return new_ids


def insert_entries(
    s: Session,
    feed_id: int | None,
    entries: Iterable[Entry],
    now: datetime,
    *,
    awaiting_full_text: bool = False,
) -> list[int]:
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
    if not rows:
        return []
    known = set(s.scalars(select(Item.dedup_key).where(Item.dedup_key.in_(list(rows)))))
    fresh = [row for key, row in rows.items() if key not in known]
    if not fresh:
        return []
    # a Core insert on the table: the ORM's bulk path costs about a third more CPU per row here
    table = Item.__table__
    stmt = (
        _insert(s)(table)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(table.c.id, sort_by_parameter_order=True)
    )
    connection = s.connection()
    try:
        # one statement for the whole batch (the driver sends it as multi-row VALUES); inside a
        # savepoint so a row the database refuses costs a retry, not the feed's other items
        with connection.begin_nested():
            return [int(i) for i in connection.execute(stmt, fresh).scalars() if i is not None]
    except DBAPIError:
        pass
    new_ids: list[int] = []
    for row in fresh:
        try:
            with connection.begin_nested():
                new_ids.extend(
                    int(i) for i in connection.execute(stmt, [row]).scalars() if i is not None
                )
        except DBAPIError as exc:
            log.warning("entry %s of feed %s not stored: %s", row["uid"], feed_id, one_line(exc))
    return new_ids


# -- classification ----------------------------------------------------------------------


FULL_TEXT_GRACE = timedelta(hours=1)


def _classifiable(model_version: str, rescore: bool, now: datetime) -> Any:
    # an item whose article page is still being fetched waits, but not forever: past the grace
    # period (its job was dead-lettered) it is scored on the feed's own text
    ready = or_(~Item.awaiting_full_text, Item.first_seen_at < now - FULL_TEXT_GRACE)
    if rescore:
        stale = select(Verdict.id).where(Verdict.model_version != model_version)
        return and_(ready, or_(Item.verdict_id.is_(None), Item.verdict_id.in_(stale)))
    return and_(ready, Item.verdict_id.is_(None))


def items_to_classify(
    db: Database, model_version: str, *, limit: int = 5000, rescore: bool = False
) -> list[ItemText]:
    """Items without a verdict (or, with ``rescore``, whose verdict is from another model)."""
    with db.session() as s:
        query = select(Item).where(_classifiable(model_version, rescore, utcnow()))
        return [
            ItemText(i.id, i.title, i.content or i.summary, i.language, i.published)
            for i in s.scalars(query.order_by(Item.id).limit(limit))
        ]


def texts_to_classify(
    db: Database, item_ids: Sequence[int], model_version: str, *, rescore: bool = False
) -> list[ItemText]:
    """Those of ``item_ids`` that :func:`items_to_classify` would return."""
    with db.session() as s:
        query = select(Item).where(
            Item.id.in_(list(item_ids)), _classifiable(model_version, rescore, utcnow())
        )
        return [
            ItemText(i.id, i.title, i.content or i.summary, i.language, i.published)
            for i in s.scalars(query.order_by(Item.id))
        ]


def save_verdicts(db: Database, verdicts: Sequence[tuple[int, ClassifierVerdict]]) -> int:
    """Make ``verdicts`` the items' current ones; returns how many were stored.

    An item whose current verdict is already from the same model version is left alone, so a
    classification repeated by a retried or concurrent job stores nothing twice; on PostgreSQL
    the items are locked (in id order, so two writers cannot deadlock) while this is checked.
    """
    now = utcnow()
    with db.session() as s:
        query = select(Item).where(Item.id.in_([i for i, _ in verdicts])).order_by(Item.id)
        if s.bind is not None and s.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        items = {item.id: item for item in s.scalars(query)}
        held = [i.verdict_id for i in items.values() if i.verdict_id is not None]
        current = dict(
            s.execute(select(Verdict.id, Verdict.model_version).where(Verdict.id.in_(held))).all()
        )
        rows: list[tuple[Item, Verdict]] = []
        for item_id, v in verdicts:
            item = items.pop(item_id, None)  # popped: a repeated id gets one verdict
            if item is None or (
                item.verdict_id is not None and current.get(item.verdict_id) == v.model_version
            ):
                continue
            a, b = (*v.countries, None, None)[:2] if v.countries else (None, None)
            rows.append(
                (
                    item,
                    Verdict(
                        item_id=item_id,
                        model_version=v.model_version,
                        score=v.score,
                        label=v.label,
                        country_a=a,
                        country_b=b,
                        visitor=v.visitor,
                        host=v.host,
                        status=v.status,
                        event_date=v.event_date,
                        place=v.place,
                        language=v.language,
                        explanation=explanation_json(v),
                        created_at=now,
                    ),
                )
            )
        s.add_all([row for _, row in rows])
        s.flush()  # one INSERT … RETURNING for the batch
        for item, row in rows:
            item.verdict_id, item.score, item.flagged = row.id, row.score, row.label
            item.country_a, item.country_b = row.country_a, row.country_b
    return len(rows)


_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))


def explanation_json(v: ClassifierVerdict) -> dict[str, Any]:
    return {
        "summary": v.summary,
        "reasons": list(v.reasons),
        # flat records of plain values: read the fields directly (asdict deep-copies each one)
        "evidence": [{name: getattr(e, name) for name in _EVIDENCE_FIELDS} for e in v.evidence],
    }


# -- verdicts of one item ---------------------------------------------------------------


def verdicts_for(db: Database, item_id: int) -> list[VerdictRecord]:
    with db.session() as s:
        rows = s.scalars(select(Verdict).where(Verdict.item_id == item_id).order_by(Verdict.id))
        return [
            VerdictRecord(
                v.id,
                v.model_version,
                v.score,
                v.label,
                tuple(c for c in (v.country_a, v.country_b) if c),
                v.status,
                v.created_at,
                v.explanation,
            )
            for v in rows
        ]


# -- views -------------------------------------------------------------------------------


def _view(item: Item, verdict: Verdict | None, source: str) -> ItemView:
    return ItemView(
        id=item.id,
        title=item.title,
        summary=item.summary,
        content=item.content,
        link=item.link,
        source=source,
        feed_id=item.feed_id,
        language=item.language,
        published=item.published,
        score=item.score,
        flagged=item.flagged,
        countries=tuple(c for c in (item.country_a, item.country_b) if c),
        visitor=verdict.visitor if verdict else None,
        host=verdict.host if verdict else None,
        status=verdict.status if verdict else "unknown",
        event_date=verdict.event_date if verdict else None,
        place=verdict.place if verdict else None,
        explanation=verdict.explanation if verdict else {},
        model_version=verdict.model_version if verdict else None,
        review_state=item.review_state,
    )


def _views(s: Session, query: Select[Any]) -> list[ItemView]:
    full = (
        query.add_columns(Verdict, Feed.name)
        .outerjoin(Verdict, Verdict.id == Item.verdict_id)
        .outerjoin(Feed, Feed.id == Item.feed_id)
    )
    return [_view(item, verdict, name or "") for item, verdict, name in s.execute(full).all()]


def get_item(db: Database, item_id: int) -> ItemView | None:
    with db.session() as s:
        found = _views(s, select(Item).where(Item.id == item_id))
        return found[0] if found else None


def flagged_items(db: Database, limit: int = 100) -> list[ItemView]:
    with db.session() as s:
        query = select(Item).where(Item.flagged).order_by(Item.score.desc(), Item.id).limit(limit)
        return _views(s, query)


def digest_candidates(
    db: Database,
    recipient: str,
    countries: Sequence[str],
    min_score: float,
    *,
    since: datetime | None = None,
) -> list[ItemView]:
    """Flagged, not rejected, involving a watched country, not yet sent to ``recipient``."""
    from summitwatch.storage.models import DigestedItem

    since = since or utcnow() - timedelta(days=14)
    sent = select(DigestedItem.item_id).where(DigestedItem.recipient == recipient)
    watched = list(countries)
    with db.session() as s:
        query = (
            select(Item)
            .where(
                Item.flagged | (Item.review_state == "confirmed"),
                or_(Item.review_state.is_(None), Item.review_state != "rejected"),
                Item.score >= min_score,
                Item.first_seen_at >= since,
                or_(Item.country_a.in_(watched), Item.country_b.in_(watched)),
                Item.id.not_in(sent),
            )
            .order_by(Item.id)
        )
        return _views(s, query)


def count_items(db: Database, start: datetime, end: datetime) -> tuple[int, int]:
    """(items seen, items flagged) first seen in [start, end)."""
    with db.session() as s:
        window = and_(Item.first_seen_at >= start, Item.first_seen_at < end)
        seen = s.scalar(select(func.count()).select_from(Item).where(window)) or 0
        flagged = s.scalar(select(func.count()).select_from(Item).where(window, Item.flagged)) or 0
        return int(seen), int(flagged)
