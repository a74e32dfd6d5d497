"""Sessions, login, CSRF and response hardening for the review UI.

A session is a small dict in a cookie signed with ``itsdangerous`` (the key comes from
``web.secret_key``, else a random one per process, which logs everyone out on restart). Each
session carries a random CSRF token: forms send it in a hidden field, the JavaScript in the
``X-CSRF-Token`` header, and every write is refused without it. A signed-in session also carries
the account's ``session_generation``, checked on every request: logout, a new password or removing
the account raises or drops it, so cookies issued before stop counting (a signed cookie cannot be
recalled). ``web.require_login`` decides whether pages need a signed-in user: ``auto`` when the
UI is bound beyond loopback, ``true`` always, ``false`` never (refused beyond loopback). On
loopback the Host header must name a loopback address or ``localhost``, which stops
DNS-rebinding pages from reaching the API. Failed logins are throttled by ``LoginThrottle``.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from summitwatch.settings import SettingsError

SESSION_COOKIE = "sw_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SESSION_AGE = 14 * 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PATHS = ("/login", "/static/", "/healthz", "/feeds/confirmed.atom")
REQUIRE_LOGIN = ("auto", "true", "false")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# a user name -> the account's current session generation, None when there is no such account
GenerationOf = Callable[[str], int | None]


@dataclass(frozen=True)
class Guard:
    """The security policy of one running UI."""

    secret_key: str
    login_required: bool
    loopback_only: bool  # the Host header must name loopback (bound to loopback)

    @classmethod
    def for_bind(cls, bind_host: str, secret_key: str, require_login: str = "auto") -> Guard:
        """The policy for a server listening on ``bind_host``; SettingsError for a policy that
        would leave a UI reachable from the network without a login."""
        if require_login not in REQUIRE_LOGIN:
            raise SettingsError(
                f"web.require_login = {require_login!r}: expected one of {', '.join(REQUIRE_LOGIN)}"
            )
        loopback = is_loopback(bind_host)
        if require_login == "false" and not loopback:
            raise SettingsError(
                f"web.require_login = false refused: the UI would listen on {bind_host}, beyond "
                "loopback, where anyone who reaches it could review and change settings; use "
                "auto or true, or bind to 127.0.0.1"
            )
        required = require_login == "true" or (require_login == "auto" and not loopback)
        return cls(secret_key or secrets.token_urlsafe(32), required, loopback)

    @property
    def serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt="summitwatch.session")

    def load(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=SESSION_AGE)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and isinstance(data.get("csrf"), str) else None

    def atom_key(self) -> str:
        """A stable key for the Atom feed URL, so feed readers need no cookie."""
        return hmac.new(self.secret_key.encode(), b"atom-feed", "sha256").hexdigest()[:32]

    def host_allowed(self, hostname: str | None) -> bool:
        # any loopback address: `serve --host 127.0.0.2` must answer to its own address, while
        # a rebinding page's Host (a public name) is still refused
        return not self.loopback_only or is_loopback(hostname or "")


def new_session(user: str | None = None, generation: int | None = None) -> dict[str, Any]:
    """A session with a fresh CSRF token; a signed-in one names the account's generation."""
    return {"csrf": secrets.token_urlsafe(32), "user": user, "gen": generation}


async def _current(
    guard: Guard, cookie: str | None, generation_of: GenerationOf
) -> dict[str, Any] | None:
    """The cookie's session, or None when it is missing, forged, expired or revoked."""
    session = guard.load(cookie)
    user = session.get("user") if session else None
    if session is None or not user:
        return session
    # one indexed lookup per request, in a worker thread: revocation must be immediate
    current = await run_in_threadpool(generation_of, str(user))
    return session if current is not None and session.get("gen") == current else None


def reviewer(request: Request) -> str:
    """The name recorded on reviews: the signed-in user, else "local" (loopback only)."""
    user = request.state.session.get("user")
    return str(user) if user else "local"


def _is_open(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in OPEN_PATHS)


def _harden(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def middleware(
    guard: Guard, generation_of: GenerationOf
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def guard_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not guard.host_allowed(request.url.hostname):
            return _harden(
                PlainTextResponse(
                    "Host header refused: this UI answers to loopback addresses "
                    "(127.0.0.0/8, ::1) and localhost only",
                    421,
                )
            )
        session = await _current(guard, request.cookies.get(SESSION_COOKIE), generation_of)
        fresh = session is None
        request.state.session = session or new_session()
        request.state.guard = guard
        if (
            guard.login_required
            and not request.state.session.get("user")
            and not _is_open(request.url.path)
        ):
            if request.url.path.startswith("/api/"):
                response: Response = JSONResponse({"detail": "login required"}, 401)
            else:
                target = quote(
                    request.url.path + ("?" + request.url.query if request.url.query else "")
                )
                response = RedirectResponse(f"/login?next={target}", 303)
        else:
            response = await call_next(request)
        if fresh or getattr(request.state, "session_changed", False):
            response.set_cookie(
                SESSION_COOKIE,
                guard.serializer.dumps(request.state.session),
                max_age=SESSION_AGE,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        return _harden(response)

    return guard_request


def replace_session(request: Request, session: dict[str, Any]) -> None:
    request.state.session = session
    request.state.session_changed = True


async def csrf_protect(request: Request) -> None:
    """Refuse a write whose token is missing or wrong, or that comes from another origin."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin.rstrip("/") != own:
            raise HTTPException(403, "cross-origin write refused")
    expected = str(request.state.session["csrf"])
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if not supplied or not hmac.compare_digest(supplied, expected):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")
