"""Items: what waits to be classified, verdicts, and the queries that list items.

Storing fetched entries is ``summitwatch.storage.ingest``. Items of full-text feeds wait
(``awaiting_full_text``) until their article page was tried, and verdicts are stored at most
once per item and model version, so repeated or concurrent runs of a step (retried jobs, several
workers) leave the same rows as one run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from classifier.verdict import Evidence
from classifier.verdict import Verdict as ClassifierVerdict
from summitwatch.records import ItemText, ItemView, VerdictRecord
from summitwatch.storage.db import Database, utcnow
from summitwatch.storage.models import Base, Feed, Item, Verdict

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


def save_verdicts(db: Database, verdicts: Sequence[tuple[int, ClassifierVerdict]]) -> int:
    """Make ``verdicts`` the items' current ones; returns how many were stored.

    An item whose current verdict is already from the same model version is left alone, so a
    classification repeated by a retried or concurrent job stores nothing twice; on PostgreSQL
    the items are locked (in id order, so two writers cannot deadlock) while this is checked.
    """
    now = utcnow()
    with db.session() as s:
        # plain columns through Core: building an ORM object per item and per verdict cost more
        # than the classification of the items
        query = (
            select(Item.id, Item.verdict_id)
            .where(Item.id.in_([i for i, _ in verdicts]))
            .order_by(Item.id)
        )
        if s.bind is not None and s.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        held: dict[int, int | None] = {row[0]: row[1] for row in s.execute(query)}
        current = dict(
            s.execute(
                select(Verdict.id, Verdict.model_version).where(
                    Verdict.id.in_([v for v in held.values() if v is not None])
                )
            ).all()
        )
        rows: list[dict[str, Any]] = []
        for item_id, v in verdicts:
            if item_id not in held:
                continue
            verdict_id = held.pop(item_id)  # popped: a repeated id gets one verdict
            if verdict_id is not None and current.get(verdict_id) == v.model_version:
                continue
            rows.append(_verdict_row(item_id, v, now))
        if not rows:
            return 0
        table = Base.metadata.tables["verdicts"]
        items = Base.metadata.tables["items"]
        stored = s.execute(
            insert(table).returning(table.c.id, table.c.item_id, sort_by_parameter_order=True),
            rows,
        ).all()
        s.execute(
            update(items).where(items.c.id == bindparam("b_item")),
            [
                {
                    "b_item": item_id,
                    "verdict_id": verdict_id,
                    "score": row["score"],
                    "flagged": row["label"],
                    "country_a": row["country_a"],
                    "country_b": row["country_b"],
                }
                for (verdict_id, item_id), row in zip(stored, rows, strict=True)
            ],
        )
    return len(rows)


def _verdict_row(item_id: int, v: ClassifierVerdict, now: datetime) -> dict[str, Any]:
    a, b = (*v.countries, None, None)[:2] if v.countries else (None, None)
    return {
        "item_id": item_id,
        "model_version": v.model_version,
        "score": v.score,
        "label": v.label,
        "country_a": a,
        "country_b": b,
        "visitor": v.visitor,
        "host": v.host,
        "status": v.status,
        "event_date": v.event_date,
        "place": v.place,
        "language": v.language,
        "explanation": explanation_json(v),
        "created_at": now,
    }


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
