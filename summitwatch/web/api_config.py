"""JSON API for what is watched and for the model: feeds, countries, recipients, retraining."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from summitwatch.storage import catalog
from summitwatch.web import ops
from summitwatch.web.deps import app_of, country_code
from summitwatch.web.feedcheck import FeedCheck, FeedCheckError, check_feed
from summitwatch.web.render import country_name, ui_lang
from summitwatch.web.routes_model import trainer_of
from summitwatch.web.routes_settings import search_countries
from summitwatch.web.schemas import (
    CheckIn,
    CountryOut,
    FeedAdded,
    FeedCheckOut,
    FeedIn,
    FeedOut,
    JobOut,
    RecipientIn,
    RecipientOut,
)
from summitwatch.web.security import csrf_protect

router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)])


def _check_out(check: FeedCheck) -> FeedCheckOut:
    return FeedCheckOut(
        url=check.url,
        title=check.title,
        entries=check.entries,
        language=check.language,
        redirects=list(check.redirects),
        problem=check.problem,
    )


@router.get("/feeds", response_model=list[FeedOut], tags=["feeds"])
def list_feeds(request: Request) -> list[FeedOut]:
    return [FeedOut.model_validate(f) for f in catalog.list_feeds(app_of(request).db)]


@router.post("/feeds", response_model=FeedAdded, status_code=201, tags=["feeds"])
async def add_feed(request: Request, body: FeedIn) -> FeedAdded:
    """Add a feed after vetting its address and checking it parses (see ``skip_check``)."""
    try:
        record, created, check = await ops.add_feed(
            app_of(request),
            body.url,
            name=body.name,
            full_text=body.full_text,
            skip_check=body.skip_check,
            **request.app.state.feed_check_options,
        )
    except ops.OpError as exc:
        raise HTTPException(400, str(exc)) from None
    return FeedAdded(
        feed=FeedOut.model_validate(record),
        created=created,
        check=_check_out(check) if check else None,
    )


@router.post("/feeds/check", response_model=FeedCheckOut, tags=["feeds"])
async def check(request: Request, body: CheckIn) -> FeedCheckOut:
    """Fetch and parse a feed URL without storing anything."""
    try:
        found = await check_feed(app_of(request), body.url, **request.app.state.feed_check_options)
    except FeedCheckError as exc:
        raise HTTPException(400, str(exc)) from None
    return _check_out(found)


@router.delete("/feeds/{feed_id}", status_code=204, tags=["feeds"])
def remove_feed(request: Request, feed_id: int) -> Response:
    try:
        ops.remove_feed(app_of(request), feed_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(status_code=204)


@router.get("/countries", response_model=list[CountryOut], tags=["countries"])
def watched(request: Request) -> list[CountryOut]:
    """Watched countries, named in ?lang= (or the browser's language)."""
    lang = ui_lang(request)
    return [
        CountryOut(code=c, name=country_name(c, lang), watched=True)
        for c in app_of(request).watched
    ]


@router.get("/countries/search", response_model=list[CountryOut], tags=["countries"])
def search(request: Request, q: str) -> list[CountryOut]:
    """Countries whose code or name in any language fits ``q``."""
    lang, current = ui_lang(request), set(app_of(request).watched)
    return [
        CountryOut(code=c, name=n, watched=c in current) for c, n in search_countries(q[:100], lang)
    ]


@router.put("/countries/{code}", response_model=CountryOut, tags=["countries"])
def watch(request: Request, code: str) -> CountryOut:
    checked = country_code(code)
    ops.watch_country(app_of(request), checked, True)
    return CountryOut(code=checked, name=country_name(checked, ui_lang(request)), watched=True)


@router.delete("/countries/{code}", response_model=CountryOut, tags=["countries"])
def unwatch(request: Request, code: str) -> CountryOut:
    checked = country_code(code)
    ops.watch_country(app_of(request), checked, False)
    return CountryOut(code=checked, name=country_name(checked, ui_lang(request)), watched=False)


@router.get("/recipients", response_model=list[RecipientOut], tags=["recipients"])
def recipients(request: Request) -> list[RecipientOut]:
    return [RecipientOut.model_validate(r) for r in catalog.list_recipients(app_of(request).db)]


@router.post("/recipients", response_model=RecipientOut, tags=["recipients"])
def save_recipient(request: Request, body: RecipientIn) -> RecipientOut:
    """Create or update a recipient (keyed by email)."""
    try:
        record = ops.save_recipient(app_of(request), body.model_dump())
    except ops.OpError as exc:
        raise HTTPException(400, str(exc)) from None
    return RecipientOut.model_validate(record)


@router.delete("/recipients/{email}", status_code=204, tags=["recipients"])
def remove_recipient(request: Request, email: str) -> Response:
    try:
        ops.remove_recipient(app_of(request), email)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(status_code=204)


@router.get("/model", tags=["model"])
def model(request: Request) -> dict[str, Any]:
    """The active model, its metrics, reviews since training and the background job."""
    from summitwatch import modelstore

    trainer = trainer_of(request)
    return {**modelstore.model_info(app_of(request)), "job": trainer.snapshot()}


@router.post("/model/retrain", response_model=JobOut, status_code=202, tags=["model"])
def retrain(request: Request) -> JobOut:
    """Train from seeds plus reviews in the background; the new model waits for activation."""
    trainer = trainer_of(request)
    if not trainer.start_training():
        raise HTTPException(409, "a model job is already running")
    return JobOut(started=True, job=trainer.snapshot())


@router.post("/model/activate/{version}", response_model=JobOut, status_code=202, tags=["model"])
def activate(request: Request, version: str) -> JobOut:
    """Activate the trained candidate and rescore the stored items in the background."""
    trainer = trainer_of(request)
    try:
        started = trainer.start_activation(version)
    except KeyError as exc:
        raise HTTPException(404, str(exc.args[0])) from None
    if not started:
        raise HTTPException(409, "a model job is already running")
    return JobOut(started=True, job=trainer.snapshot())


@router.get("/model/job", response_model=JobOut, tags=["model"])
def job(request: Request) -> JobOut:
    return JobOut(started=False, job=trainer_of(request).snapshot())
