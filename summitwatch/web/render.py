"""Turning stored items into safe HTML: templates, highlighted evidence, sanitised markup.

Feed text is never trusted: templates autoescape everything, the highlighted text is assembled
from escaped segments around the classifier's evidence offsets, and the original HTML of a
summary is passed through nh3 with a short list of harmless tags and http(s) links only. The
page's Content-Security-Policy (see ``security``) forbids inline script as a second wall.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import nh3
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response

from alerts.sanitise import flag, safe_link
from summitwatch.evidence import spans

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
SAFE_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "blockquote", "a", "span"}
UI_LANGS = ("en", "fr", "ru", "de", "es", "tr", "uk")


def highlight(
    text: str, evidence: Iterable[Mapping[str, Any]], field: str, limit: int = 0
) -> Markup:
    """``text`` as HTML with evidence spans in <mark>; every piece of the text is escaped."""
    shown = text[:limit] if limit and len(text) > limit else text
    parts: list[str] = []
    pos = 0
    for start, end, kind, label in spans(shown, evidence, field):
        parts.append(str(escape(shown[pos:start])))
        parts.append(
            f'<mark class="ev ev-{kind}" title="{escape(kind)}: {escape(label)}">'
            f"{escape(shown[start:end])}</mark>"
        )
        pos = end
    parts.append(str(escape(shown[pos:])))
    if shown is not text:
        parts.append("…")
    return Markup("".join(parts))


def clean_html(value: str) -> Markup:
    """A feed's own HTML reduced to harmless formatting, links restricted to http(s)."""
    cleaned = nh3.clean(
        value,
        tags=SAFE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)


def ui_lang(request: Request) -> str:
    """The language for country names: ?lang=, else the browser's first supported language."""
    asked = request.query_params.get("lang", "")
    if asked in UI_LANGS:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in UI_LANGS:
            return tag
    return "en"


def country_name(code: str, lang: str = "en") -> str:
    from classifier.gazetteer import Gazetteer

    try:
        return Gazetteer.default().country_name(code, lang)
    except (ValueError, KeyError):
        return code


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    session = request.state.session
    base = {
        "request": request,
        "csrf": session["csrf"],
        "user": session.get("user"),
        "lang": ui_lang(request),
        "login_required": request.state.guard.login_required,
    }
    return TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status)


TEMPLATES.env.filters["flag"] = flag
TEMPLATES.env.filters["safe_link"] = safe_link
TEMPLATES.env.filters["when"] = when
TEMPLATES.env.globals["highlight"] = highlight
TEMPLATES.env.globals["clean_html"] = clean_html
TEMPLATES.env.globals["country_name"] = country_name
