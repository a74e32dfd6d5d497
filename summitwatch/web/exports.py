"""Exports: CSV and JSON of the items a filter selects, and an Atom feed of confirmed events.

Exports stream page by page from the keyset queue, so a 100,000-row export never sits in memory.
The Atom feed carries a key derived from the session secret in its URL, so a feed reader can
follow it without a login cookie; anyone without the key gets a 404.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from alerts.sanitise import clean_text, safe_link
from summitwatch.records import ItemView
from summitwatch.storage import queue
from summitwatch.web.deps import app_of, group_page, parse_filter, thresholds

router = APIRouter(tags=["exports"])
MAX_EXPORT = 200_000
COLUMNS = (
    "id",
    "published",
    "title",
    "link",
    "source",
    "language",
    "score",
    "flagged",
    "countries",
    "visitor",
    "host",
    "status",
    "event_date",
    "place",
    "review_state",
    "model_version",
    "explanation",
)


def _row(v: ItemView) -> dict[str, object]:
    return {
        "id": v.id,
        "published": v.published.isoformat(),
        "title": v.title,
        "link": v.link,
        "source": v.source,
        "language": v.language,
        "score": v.score,
        "flagged": v.flagged,
        "countries": " ".join(v.countries),
        "visitor": v.visitor,
        "host": v.host,
        "status": v.status,
        "event_date": v.event_date.isoformat() if v.event_date else None,
        "place": v.place,
        "review_state": v.review_state,
        "model_version": v.model_version,
        "explanation": str(v.explanation.get("summary", "")),
    }


def _rows(request: Request) -> Iterator[ItemView]:
    application = app_of(request)
    flt = parse_filter(request.query_params, "flagged")
    threshold, near = thresholds(application)
    return queue.iter_items(
        application.db, flt, threshold=threshold, near_miss=near, limit=MAX_EXPORT, batch=2000
    )


def _csv_safe(value: object) -> object:
    # a cell starting with = + - @ is a formula in spreadsheets: keep it text
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/export/items.csv")
def export_csv(request: Request) -> StreamingResponse:
    """Items as CSV (default view: flagged; every queue filter applies)."""
    rows = _rows(request)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS)
        writer.writeheader()
        for view in rows:
            writer.writerow({k: _csv_safe(v) for k, v in _row(view).items()})
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="summitwatch-items.csv"'},
    )


@router.get("/export/items.json")
def export_json(request: Request) -> StreamingResponse:
    """Items as a JSON array (default view: flagged; every queue filter applies)."""
    rows = _rows(request)

    def chunks() -> Iterator[str]:
        yield "["
        for n, view in enumerate(rows):
            yield ("," if n else "") + json.dumps(_row(view), ensure_ascii=False)
        yield "]\n"

    return StreamingResponse(
        chunks(),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="summitwatch-items.json"'},
    )


@router.get("/feeds/confirmed.atom")
def atom(request: Request, key: str = "") -> Response:
    """Confirmed events as an Atom feed (the URL with its key is shown on the model page)."""
    guard = request.state.guard
    if (
        not hmac.compare_digest(key, guard.atom_key())
        and not request.state.session.get("user")
        and guard.login_required
    ):
        raise HTTPException(404, "Not Found")
    application = app_of(request)
    threshold, near = thresholds(application)
    views = list(
        queue.iter_items(
            application.db,
            queue.QueueFilter(view="confirmed"),
            threshold=threshold,
            near_miss=near,
            limit=500,
        )
    )
    base = str(request.base_url).rstrip("/")
    updated = max((v.published for v in views), default=datetime.now(UTC))
    entries = []
    for group in group_page(views)[:100]:
        top = group.items[0]
        sources = "".join(
            f"<li>{xml_escape(clean_text(v.source or '?'))}: "
            f"{xml_escape(clean_text(v.title, 300))}</li>"
            for v in group.items
        )
        link = safe_link(top.link) or f"{base}/items/{top.id}"
        entries.append(
            "<entry>"
            f"<id>{xml_escape(base)}/events/{xml_escape(group.key)}</id>"
            f"<title>{xml_escape(' – '.join(group.countries))}: "
            f"{xml_escape(clean_text(group.headline, 300))}</title>"
            f"<updated>{group.latest.isoformat()}</updated>"
            f"<link href={quoteattr(link)}/>"
            f'<content type="html">{xml_escape(f"<ul>{sources}</ul>")}</content>'
            "</entry>"
        )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{xml_escape(base)}/feeds/confirmed</id><title>SummitWatch: confirmed summits</title>"
        f"<updated>{updated.isoformat()}</updated><author><name>SummitWatch</name></author>"
        + "".join(entries)
        + "</feed>\n"
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
