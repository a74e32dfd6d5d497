"""Settings pages: watched countries, recipients, feeds. Forms post here (no JavaScript needed)
and go through the same operations as the JSON API; an error re-renders the page with a 400 and
the message, keeping what the user typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from summitwatch.storage import catalog
from summitwatch.web import ops
from summitwatch.web.deps import app_of
from summitwatch.web.render import country_name, render, ui_lang
from summitwatch.web.security import csrf_protect

router = APIRouter(
    prefix="/settings", dependencies=[Depends(csrf_protect)], include_in_schema=False
)
MAX_OPML = 5 * 1024 * 1024


def search_countries(query: str, lang: str) -> list[tuple[str, str]]:
    from classifier.gazetteer import Gazetteer

    return Gazetteer.default().search_countries(query, lang)[:30] if query.strip() else []


def _countries(request: Request, status: int = 200, **extra: Any) -> Response:
    application, lang = app_of(request), ui_lang(request)
    q = request.query_params.get("q", "")[:100]
    watched = [(c, country_name(c, lang)) for c in application.watched]
    return render(
        request,
        "countries.html",
        status,
        title="Watched countries",
        q=q,
        watched=watched,
        results=search_countries(q, lang),
        watched_set=set(application.watched),
        **{"error": None, "notice": None, **extra},
    )


@router.get("/countries")
def countries_page(request: Request) -> Response:
    return _countries(request)


@router.post("/countries")
def countries_change(
    request: Request,
    code: Annotated[str, Form(max_length=10)],
    action: Annotated[str, Form()] = "add",
) -> Response:
    if action not in ("add", "remove"):
        raise HTTPException(400, f"action = {action!r}: expected add or remove")
    try:
        ops.watch_country(app_of(request), code, action == "add")
    except ops.OpError as exc:
        return _countries(request, 400, error=str(exc))
    return RedirectResponse("/settings/countries", 303)


def _recipients(request: Request, status: int = 200, **extra: Any) -> Response:
    return render(
        request,
        "recipients.html",
        status,
        title="Recipients",
        recipients=catalog.list_recipients(app_of(request).db),
        **{"error": None, "form": {}, **extra},
    )


@router.get("/recipients")
def recipients_page(request: Request, edit: str = "") -> Response:
    """The list, and the form (filled with the recipient named by ``?edit=``)."""
    found = [r for r in catalog.list_recipients(app_of(request).db) if r.email == edit]
    if not found:
        return _recipients(request)
    r = found[0]
    form = {
        "email": r.email,
        "name": r.name or "",
        "schedule": r.schedule,
        "timezone": r.timezone,
        "countries": ", ".join(r.countries or ()),
        "lang": r.lang,
        "min_score": "" if r.min_score is None else str(r.min_score),
        "send_empty": r.send_empty,
    }
    return _recipients(request, form=form)


@router.post("/recipients")
def recipients_save(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    schedule: Annotated[str, Form(max_length=100)] = "daily 07:00",
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
    countries: Annotated[str, Form(max_length=300)] = "",
    lang: Annotated[str, Form(max_length=5)] = "en",
    name: Annotated[str, Form(max_length=200)] = "",
    min_score: Annotated[str, Form(max_length=10)] = "",
    send_empty: Annotated[bool, Form()] = False,
) -> Response:
    form = {
        "email": email,
        "schedule": schedule,
        "timezone": timezone,
        "countries": countries,
        "lang": lang,
        "name": name,
        "min_score": min_score.strip() or None,
        "send_empty": send_empty,
    }
    try:
        ops.save_recipient(app_of(request), form)
    except ops.OpError as exc:
        return _recipients(request, 400, error=str(exc), form=form)
    return RedirectResponse("/settings/recipients", 303)


@router.post("/recipients/remove")
def recipients_remove(request: Request, email: Annotated[str, Form(max_length=320)]) -> Response:
    try:
        ops.remove_recipient(app_of(request), email)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse("/settings/recipients", 303)


def _feeds(request: Request, status: int = 200, **extra: Any) -> Response:
    return render(
        request,
        "feeds.html",
        status,
        title="Feeds",
        feeds=catalog.list_feeds(app_of(request).db),
        **{"error": None, "notice": None, "form": {}, **extra},
    )


@router.get("/feeds")
def feeds_page(request: Request) -> Response:
    return _feeds(request)


@router.post("/feeds")
async def feeds_add(
    request: Request,
    url: Annotated[str, Form(max_length=2048)],
    name: Annotated[str, Form(max_length=300)] = "",
    full_text: Annotated[bool, Form()] = False,
    skip_check: Annotated[bool, Form()] = False,
) -> Response:
    options = request.app.state.feed_check_options
    try:
        record, created, check = await ops.add_feed(
            app_of(request),
            url,
            name=name,
            full_text=full_text,
            skip_check=skip_check,
            **options,
        )
    except ops.OpError as exc:
        form = {"url": url, "name": name, "full_text": full_text}
        return _feeds(request, 400, error=str(exc), form=form)
    found = f": {check.entries} entries, “{check.title or 'untitled'}”" if check else ""
    notice = f"{'Added' if created else 'Already present'} {record.url}{found}"
    return _feeds(request, notice=notice)


@router.post("/feeds/remove")
def feeds_remove(request: Request, feed_id: Annotated[int, Form()]) -> Response:
    try:
        ops.remove_feed(app_of(request), feed_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse("/settings/feeds", 303)


@router.post("/feeds/import")
async def feeds_import(request: Request, opml: Annotated[UploadFile, File()]) -> Response:
    data = await opml.read(MAX_OPML + 1)
    if len(data) > MAX_OPML:
        return _feeds(request, 400, error="OPML file: larger than 5 MB")
    try:
        total, added, refused = await ops.import_opml(
            app_of(request), data, **request.app.state.feed_check_options
        )
    except ops.OpError as exc:
        return _feeds(request, 400, error=str(exc))
    notice = f"{total} feeds in the file, {added} added"
    if refused:
        notice += f"; {len(refused)} refused: " + "; ".join(refused[:5])
    return _feeds(request, notice=notice)
