"""JSON API for items, verdicts, reviews and events (``/api/...``). The queue page's JavaScript
uses these same operations; writes need the session's CSRF token in ``X-CSRF-Token``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from summitwatch.storage import items as item_store
from summitwatch.storage import queue
from summitwatch.storage import reviews as review_store
from summitwatch.web.deps import app_of, group_page, parse_filter, thresholds
from summitwatch.web.schemas import (
    EventOut,
    EventPage,
    EventReviewIn,
    ItemDetail,
    ItemOut,
    ItemPage,
    ReviewIn,
    ReviewOut,
    UndoOut,
    VerdictOut,
)
from summitwatch.web.security import csrf_protect, reviewer

router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)])
FILTER_DOC = (
    "Filters: view (queue, near, reviewed, confirmed, rejected, flagged, all), country, partner "
    "(ISO codes), lang, min_score, max_score, from, to (YYYY-MM-DD), feed (id), status "
    "(announced, held, unknown), q (text search); cursor and limit paginate."
)


def _page(request: Request, limit: int) -> queue.Page:
    application = app_of(request)
    threshold, near = thresholds(application)
    flt = parse_filter(request.query_params)
    try:
        return queue.queue_page(
            application.db,
            flt,
            threshold=threshold,
            near_miss=near,
            cursor=request.query_params.get("cursor") or None,
            limit=limit,
        )
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get("/items", response_model=ItemPage, tags=["items"], description=FILTER_DOC)
def list_items(request: Request, limit: int = 50) -> ItemPage:
    if not 1 <= limit <= 500:
        raise HTTPException(400, f"limit = {limit}: expected 1 to 500")
    page = _page(request, limit)
    return ItemPage(
        items=[ItemOut.model_validate(v) for v in page.items], next_cursor=page.next_cursor
    )


@router.get("/events", response_model=EventPage, tags=["items"], description=FILTER_DOC)
def list_events(request: Request, limit: int = 100) -> EventPage:
    """A page of items grouped into events, as the queue and the digest group them."""
    if not 1 <= limit <= 500:
        raise HTTPException(400, f"limit = {limit}: expected 1 to 500")
    page = _page(request, limit)
    events = [
        EventOut(
            key=g.key,
            countries=g.countries,
            headline=g.headline,
            status=g.status,
            score=g.score,
            latest=g.latest,
            item_ids=[v.id for v in g.items],
        )
        for g in group_page(page.items)
    ]
    return EventPage(events=events, next_cursor=page.next_cursor)


@router.get("/items/{item_id}", response_model=ItemDetail, tags=["items"])
def get_item(request: Request, item_id: int) -> ItemDetail:
    db = app_of(request).db
    view = item_store.get_item(db, item_id)
    if view is None:
        raise HTTPException(404, f"no item {item_id}")
    return ItemDetail(
        item=ItemOut.model_validate(view),
        content=view.content,
        verdicts=[VerdictOut.model_validate(v) for v in item_store.verdicts_for(db, item_id)],
        reviews=[ReviewOut.model_validate(r) for r in review_store.reviews_for(db, item_id)],
    )


@router.get("/items/{item_id}/verdicts", response_model=list[VerdictOut], tags=["verdicts"])
def item_verdicts(request: Request, item_id: int) -> list[VerdictOut]:
    db = app_of(request).db
    if item_store.get_item(db, item_id) is None:
        raise HTTPException(404, f"no item {item_id}")
    return [VerdictOut.model_validate(v) for v in item_store.verdicts_for(db, item_id)]


@router.get("/items/{item_id}/reviews", response_model=list[ReviewOut], tags=["reviews"])
def item_reviews(request: Request, item_id: int) -> list[ReviewOut]:
    db = app_of(request).db
    if item_store.get_item(db, item_id) is None:
        raise HTTPException(404, f"no item {item_id}")
    return [ReviewOut.model_validate(r) for r in review_store.reviews_for(db, item_id)]


@router.post(
    "/items/{item_id}/reviews", response_model=ReviewOut, status_code=201, tags=["reviews"]
)
def review_item(request: Request, item_id: int, body: ReviewIn) -> ReviewOut:
    """Confirm or reject an item; the reviewer is the signed-in user (or "local")."""
    try:
        record = review_store.add_review(
            app_of(request).db,
            item_id,
            body.decision,
            reviewer=reviewer(request),
            note=body.note.strip(),
        )
    except KeyError:
        raise HTTPException(404, f"no item {item_id}") from None
    return ReviewOut.model_validate(record)


@router.post("/events/reviews", response_model=list[ReviewOut], status_code=201, tags=["reviews"])
def review_event(request: Request, body: EventReviewIn) -> list[ReviewOut]:
    """Confirm or reject every item of an event at once."""
    db, who = app_of(request).db, reviewer(request)
    missing = [i for i in body.item_ids if item_store.get_item(db, i) is None]
    if missing:
        raise HTTPException(404, f"no item {missing[0]}")
    return [
        ReviewOut.model_validate(
            review_store.add_review(db, i, body.decision, reviewer=who, note=body.note.strip())
        )
        for i in body.item_ids
    ]


@router.post("/items/{item_id}/reviews/undo", response_model=UndoOut, tags=["reviews"])
def undo_item(request: Request, item_id: int) -> UndoOut:
    db = app_of(request).db
    if item_store.get_item(db, item_id) is None:
        raise HTTPException(404, f"no item {item_id}")
    return UndoOut(undone=review_store.undo_last_review(db, item_id), item_id=item_id)


@router.post("/reviews/undo-last", response_model=UndoOut, tags=["reviews"])
def undo_last(request: Request) -> UndoOut:
    """Take back the caller's most recent review (the queue's "u" key)."""
    db = app_of(request).db
    item_id = queue.latest_review_item(db, reviewer(request))
    if item_id is None:
        return UndoOut(undone=False, item_id=None)
    return UndoOut(undone=review_store.undo_last_review(db, item_id), item_id=item_id)
