"""What every route needs: the application, the thresholds, the queue filter read from the query
string (with clear errors), and the grouping of a page of items into events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from fastapi import HTTPException, Request

from summitwatch.app import App, country_problem
from summitwatch.records import ItemView
from summitwatch.storage import queue
from summitwatch.storage.queue import QueueFilter

FILTER_KEYS = (
    "view",
    "country",
    "partner",
    "lang",
    "min_score",
    "max_score",
    "from",
    "to",
    "feed",
    "status",
    "q",
)


def app_of(request: Request) -> App:
    application: App = request.app.state.summit
    return application


def thresholds(application: App) -> tuple[float, float]:
    s = application.settings
    return float(s["classifier.threshold"]), float(s["classifier.near_miss"])


def bad(message: str) -> HTTPException:
    return HTTPException(400, message)


def country_code(raw: str, key: str = "country") -> str:
    code = raw.strip().upper()
    problem = country_problem(code)
    if problem is not None:
        hint = f"; did you mean {problem}?" if problem else ""
        raise bad(f"{key} = {raw!r}: unknown country code{hint}")
    return code


def _score(raw: str, key: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise bad(f"{key} = {raw!r}: expected a number from 0 to 1")
    return value


def _day(raw: str, key: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC)
    except ValueError:
        raise bad(f"{key} = {raw!r}: expected a date such as 2026-11-28") from None


def parse_filter(params: Mapping[str, str], default_view: str = "queue") -> QueueFilter:
    """A ``QueueFilter`` from query parameters; 400 with one clear line for a bad value."""

    def get(key: str) -> str | None:
        value = params.get(key, "")
        return value.strip() or None

    view = get("view") or default_view
    if view not in queue.VIEWS:
        raise bad(f"view = {view!r}: expected one of {', '.join(queue.VIEWS)}")
    status = get("status")
    if status and status not in queue.STATUSES:
        raise bad(f"status = {status!r}: expected one of {', '.join(queue.STATUSES)}")
    feed = get("feed")
    if feed and not feed.isdigit():
        raise bad(f"feed = {feed!r}: expected a feed id")
    until = get("to")
    return QueueFilter(
        view=view,
        country=country_code(c) if (c := get("country")) else None,
        partner=country_code(p, "partner") if (p := get("partner")) else None,
        language=(lang.lower()[:20] if (lang := get("lang")) else None),
        min_score=_score(v, "min_score") if (v := get("min_score")) else None,
        max_score=_score(v, "max_score") if (v := get("max_score")) else None,
        since=_day(v, "from") if (v := get("from")) else None,
        until=_day(until, "to") + timedelta(days=1) if until else None,
        feed_id=int(feed) if feed else None,
        status=status,
        query=(q[:200] if (q := get("q")) else None),
    )


@dataclass(frozen=True, slots=True)
class EventGroup:
    """An event of the queue: the items of one page that cover the same meeting."""

    key: str
    countries: tuple[str, str]
    headline: str
    status: str
    score: float
    latest: datetime
    items: tuple[ItemView, ...]


def group_page(views: Sequence[ItemView]) -> list[EventGroup]:
    """Group a page of items into events as the digest does, newest event first."""
    from alerts import group_events
    from summitwatch.digest_steps import to_digest_item

    by_id = {v.id: v for v in views}
    groups = [
        EventGroup(
            e.key,
            e.countries,
            e.headline,
            e.status,
            e.score,
            e.latest,
            tuple(by_id[i.item_id] for i in e.items),
        )
        for e in group_events([to_digest_item(v) for v in views])
    ]
    groups.sort(key=lambda g: (g.latest, g.score), reverse=True)
    return groups
