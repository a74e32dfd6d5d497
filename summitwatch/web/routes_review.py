"""The reviewer's pages: the queue (and near misses, reviewed items), the item page, the review
forms that work without JavaScript, and login (throttled) and logout (which ends the account's
sessions everywhere)."""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from summitwatch.accounts import LoginThrottle, verify
from summitwatch.storage import accounts as account_store
from summitwatch.storage import items as item_store
from summitwatch.storage import queue
from summitwatch.storage import reviews as review_store
from summitwatch.web.deps import FILTER_KEYS, app_of, group_page, parse_filter, thresholds
from summitwatch.web.render import render
from summitwatch.web.security import csrf_protect, new_session, replace_session, reviewer

router = APIRouter(dependencies=[Depends(csrf_protect)])
log = logging.getLogger("summitwatch.web")
VIEW_TITLES = {
    "queue": "Review queue",
    "near": "Near misses",
    "reviewed": "Reviewed items",
    "confirmed": "Confirmed",
    "rejected": "Rejected",
    "flagged": "All flagged",
    "all": "All items",
}


def local_target(raw: str | None, default: str = "/queue") -> str:
    """A redirect target that stays on this site (no scheme, no host, starts with one slash).

    Browsers read a backslash as a slash, so "/\\evil.example" would leave the site too.
    """
    if not raw or "\\" in raw or any(ord(c) < 32 for c in raw):
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not raw.startswith("/") or raw.startswith("//"):
        return default
    return raw


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/queue", 303)


@router.get("/healthz", include_in_schema=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def _queue(request: Request, default_view: str) -> Response:
    application = app_of(request)
    flt = parse_filter(request.query_params, default_view)
    threshold, near = thresholds(application)
    cursor = request.query_params.get("cursor") or None
    try:
        page = queue.queue_page(
            application.db, flt, threshold=threshold, near_miss=near, cursor=cursor
        )
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    kept = {k: v for k in FILTER_KEYS if (v := request.query_params.get(k, "").strip())}
    next_url = (
        f"{request.url.path}?{urlencode({**kept, 'cursor': page.next_cursor})}"
        if page.next_cursor
        else None
    )
    return render(
        request,
        "queue.html",
        title=VIEW_TITLES[flt.view],
        flt=flt,
        view=flt.view,
        events=group_page(page.items),
        items=page.items,
        next_url=next_url,
        facets=queue.facets(application.db),
        watched=application.watched,
        params=kept,
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        export_query=urlencode(kept),
        threshold=threshold,
    )


@router.get("/queue", include_in_schema=False)
def queue_page(request: Request) -> Response:
    return _queue(request, "queue")


@router.get("/near", include_in_schema=False)
def near_page(request: Request) -> Response:
    return _queue(request, "near")


@router.get("/items/{item_id}", include_in_schema=False)
def item_page(request: Request, item_id: int) -> Response:
    application = app_of(request)
    view = item_store.get_item(application.db, item_id)
    extra = queue.item_extra(application.db, item_id)
    if view is None or extra is None:
        raise HTTPException(404, f"no item {item_id}")
    return render(
        request,
        "item.html",
        title=view.title or f"Item {item_id}",
        item=view,
        extra=extra,
        verdicts=list(reversed(item_store.verdicts_for(application.db, item_id))),
        reviews=list(reversed(review_store.reviews_for(application.db, item_id))),
    )


@router.post("/items/{item_id}/review", include_in_schema=False)
def review_form(
    request: Request,
    item_id: int,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    if decision not in ("confirm", "reject"):
        raise HTTPException(400, f"decision = {decision!r}: expected confirm or reject")
    try:
        review_store.add_review(
            app_of(request).db, item_id, decision, reviewer=reviewer(request), note=note.strip()
        )
    except KeyError:
        raise HTTPException(404, f"no item {item_id}") from None
    return RedirectResponse(local_target(next), 303)


@router.post("/events/review", include_in_schema=False)
def event_form(
    request: Request,
    decision: Annotated[str, Form()],
    item_ids: Annotated[list[int], Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    if decision not in ("confirm", "reject"):
        raise HTTPException(400, f"decision = {decision!r}: expected confirm or reject")
    db, who = app_of(request).db, reviewer(request)
    for item_id in item_ids[:500]:
        try:
            review_store.add_review(db, item_id, decision, reviewer=who, note=note.strip())
        except KeyError:
            raise HTTPException(404, f"no item {item_id}") from None
    return RedirectResponse(local_target(next), 303)


@router.post("/items/{item_id}/undo", include_in_schema=False)
def undo_form(request: Request, item_id: int, next: Annotated[str, Form()] = "") -> Response:
    if not review_store.undo_last_review(app_of(request).db, item_id):
        raise HTTPException(404, f"item {item_id} has no review to undo")
    return RedirectResponse(local_target(next, f"/items/{item_id}"), 303)


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/queue") -> Response:
    has_users = bool(account_store.user_names(app_of(request).db))
    return render(
        request,
        "login.html",
        title="Sign in",
        next=local_target(next),
        error=None,
        has_users=has_users,
    )


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    db, account = app_of(request).db, name.strip()
    address = request.client.host if request.client else "unknown"
    throttle: LoginThrottle = request.app.state.login_throttle
    # a locked account or address is refused before the password is looked at, so the right
    # password does not get through either (and a guesser costs no Argon2 time)
    refusal = throttle.locked(account, address)
    if refusal is None and verify(db, account, password):
        throttle.succeeded(account)
        generation = account_store.session_generation(db, account)
        replace_session(request, new_session(account, generation))  # a new CSRF token, too
        return RedirectResponse(local_target(next), 303)
    if refusal is not None:
        log.info("login refused, %s locked: account %r from %s", refusal.kind, account, address)
    elif (refusal := throttle.failed(account, address)) is not None:
        log.warning(
            "too many failed logins: %s locked for %d s (account %r from %s)",
            refusal.kind,
            refusal.seconds,
            account,
            address,
        )
    else:
        log.info("failed login: account %r from %s", account, address)
    response = render(
        request,
        "login.html",
        401 if refusal is None else 429,
        title="Sign in",
        next=local_target(next),
        error="Wrong name or password." if refusal is None else refusal.message,
        has_users=True,
    )
    if refusal is not None:
        response.headers["Retry-After"] = str(refusal.seconds)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    user = request.state.session.get("user")
    if user:
        # "log out everywhere": the cookie cannot be taken back, so its generation is retired;
        # a copy of it (another device, a stolen one) stops working at the same moment
        account_store.end_sessions(app_of(request).db, str(user))
    replace_session(request, new_session())
    return RedirectResponse("/login" if request.state.guard.login_required else "/queue", 303)
