"""The review web application: ``create_app`` assembles pages, JSON API, exports and security.

Pages are rendered on the server (Jinja2) and enhanced by one small hand-written script
(``static/app.js``: keyboard shortcuts, reviews without a reload); everything works without it.
The JSON API under ``/api/`` is the same set of operations, documented at ``/docs``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from summitwatch.accounts import LoginThrottle
from summitwatch.app import App
from summitwatch.storage import accounts as account_store
from summitwatch.web import (
    api,
    api_config,
    exports,
    routes_jobs,
    routes_model,
    routes_review,
    routes_settings,
)
from summitwatch.web.render import render
from summitwatch.web.retraining import Trainer
from summitwatch.web.security import Guard, middleware

STATIC = Path(__file__).parent / "static"


def create_app(
    app: App,
    *,
    bind_host: str | None = None,
    feed_check_options: dict[str, Any] | None = None,
) -> FastAPI:
    """The FastAPI application for ``app``.

    ``bind_host`` is the address the server listens on (default: ``web.host``); with
    ``web.require_login = auto`` anything but loopback makes every page require a login.
    Raises SettingsError when ``web.require_login = false`` meets a bind beyond loopback.
    ``feed_check_options`` passes a resolver or an address permit to the feed check (tests
    stand a local server in for a public host).
    """
    host = bind_host or str(app.settings["web.host"])
    guard = Guard.for_bind(
        host, str(app.settings["web.secret_key"]), str(app.settings["web.require_login"])
    )
    web = FastAPI(
        title="SummitWatch review API",
        description="Review flagged items, configure what is watched, and retrain the model. "
        "Writes need the session's CSRF token in the X-CSRF-Token header.",
        version="1",
        docs_url=None,  # Swagger UI loads from a CDN: /api-docs renders the schema locally
        redoc_url=None,
    )
    web.state.summit = app
    web.state.trainer = Trainer(app)
    web.state.feed_check_options = dict(feed_check_options or {})
    web.state.login_throttle = LoginThrottle()  # one per app: a `serve` process has one app
    web.middleware("http")(middleware(guard, partial(account_store.session_generation, app.db)))
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        routes_review,
        routes_settings,
        routes_model,
        routes_jobs,
        api,
        api_config,
        exports,
    ):
        web.include_router(module.router)

    _add_api_docs(web)
    _add_error_pages(web)
    return web


def _add_api_docs(web: FastAPI) -> None:
    @web.get("/api-docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        schema = web.openapi()
        operations = [
            (path, method.upper(), op)
            for path, methods in schema["paths"].items()
            for method, op in methods.items()
        ]
        return render(request, "api_docs.html", title="JSON API", operations=operations)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/export/")) and "text/html" in (
        request.headers.get("accept", "")
    )


def _add_error_pages(web: FastAPI) -> None:
    """Errors as a page for browsers and as JSON for the API and exports."""

    @web.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_html(request):
            return render(
                request,
                "error.html",
                exc.status_code,
                title="Error",
                code=exc.status_code,
                message=str(exc.detail),
            )
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @web.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        ]
        if _wants_html(request):
            return render(
                request,
                "error.html",
                422,
                title="Invalid input",
                code=422,
                message="; ".join(problems),
            )
        return JSONResponse({"detail": problems}, 422)
