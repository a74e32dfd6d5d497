"""Reviews: reviewers' confirm/reject decisions on items, their undo, and the labels they make.

A review never overwrites another: each decision is a row, undo marks the latest one undone, and
the item's ``review_state`` follows the latest standing decision. ``review_labels`` turns the
latest standing review of each item into a training example for ``summitwatch train``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from summitwatch.records import LabelRecord, ReviewRecord
from summitwatch.storage.db import Database, utcnow
from summitwatch.storage.models import Item, Review, Verdict


def add_review(
    db: Database,
    item_id: int,
    decision: str,
    *,
    reviewer: str = "",
    note: str = "",
    countries: Sequence[str] = (),
) -> ReviewRecord:
    if decision not in ("confirm", "reject"):
        raise ValueError(f"decision must be confirm or reject, not {decision!r}")
    with db.session() as s:
        item = s.get(Item, item_id)
        if item is None:
            raise KeyError(f"no item {item_id}")
        verdict = s.get(Verdict, item.verdict_id) if item.verdict_id else None
        pair = list(countries) or [c for c in (item.country_a, item.country_b) if c]
        row = Review(
            item_id=item_id,
            decision=decision,
            note=note,
            reviewer=reviewer,
            model_version=verdict.model_version if verdict else None,
            countries=pair,
            created_at=utcnow(),
            undone=False,
        )
        s.add(row)
        item.review_state = "confirmed" if decision == "confirm" else "rejected"
        s.flush()
        return _review_record(row)


def undo_last_review(db: Database, item_id: int) -> bool:
    with db.session() as s:
        row = s.scalar(
            select(Review)
            .where(Review.item_id == item_id, ~Review.undone)
            .order_by(Review.id.desc())
            .limit(1)
        )
        if row is None:
            return False
        row.undone = True
        previous = s.scalar(
            select(Review)
            .where(Review.item_id == item_id, ~Review.undone, Review.id != row.id)
            .order_by(Review.id.desc())
            .limit(1)
        )
        item = s.get(Item, item_id)
        assert item is not None
        item.review_state = (
            None
            if previous is None
            else "confirmed"
            if previous.decision == "confirm"
            else "rejected"
        )
        return True


def _review_record(r: Review) -> ReviewRecord:
    return ReviewRecord(
        r.id, r.item_id, r.decision, r.note, r.reviewer, r.model_version, r.created_at, r.undone
    )


def reviews_for(db: Database, item_id: int) -> list[ReviewRecord]:
    with db.session() as s:
        rows = s.scalars(select(Review).where(Review.item_id == item_id).order_by(Review.id))
        return [_review_record(r) for r in rows]


def review_labels(db: Database, since: datetime | None = None) -> list[LabelRecord]:
    """The latest standing review of each item, as training examples."""
    with db.session() as s:
        query = (
            select(Item, Review)
            .join(Review, Review.item_id == Item.id)
            .where(~Review.undone)
            .order_by(Review.id)
        )
        if since is not None:
            query = query.where(Review.created_at >= since)
        latest: dict[int, LabelRecord] = {}
        for item, review in s.execute(query).all():
            latest[item.id] = LabelRecord(
                item.title,
                item.content or item.summary,
                1 if review.decision == "confirm" else 0,
                tuple(review.countries or ()),
                item.language,
                item.published.date(),
            )
        return list(latest.values())


def count_reviews(db: Database, since: datetime | None = None) -> int:
    with db.session() as s:
        query = select(func.count()).select_from(Review).where(~Review.undone)
        if since is not None:
            query = query.where(Review.created_at >= since)
        return int(s.scalar(query) or 0)
