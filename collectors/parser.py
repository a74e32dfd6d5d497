"""``parse_feed``: bytes in, ``ParsedFeed`` out. A pure function with picklable arguments and
result, so the fetcher can run it in worker processes. It sniffs what the body is (empty, an
HTML page, JSON Feed, or XML for feedparser), repairs the charset, and runs feedparser with
sanitising and URI rewriting off: sanitising happens where HTML is rendered, and doing it here
made parsing more than twice as slow. Ill-formed feeds that still yield entries are accepted
with their problem noted; a body that yields nothing raises ``FeedParseError``."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax import SAXParseException

import feedparser

from collectors.charset import to_utf8
from collectors.entries import RawItem, build_entry, plain_to_html, unique_entries
from collectors.fastparse import read_clean_feed
from collectors.jsonfeed import parse_json_feed
from collectors.links import resolve_link
from collectors.models import FeedParseError, ParsedFeed
from collectors.text import normalise_language, one_line

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_ALTERNATE = re.compile(
    r"<link\b(?=[^>]*\brel=[\"']?alternate)(?=[^>]*\btype=[\"']?application/(?:rss|atom)\+xml)"
    r"[^>]*\bhref=[\"']([^\"']+)",
    re.I,
)
_PLAIN_TYPES = ("text/plain",)
_URLISH = re.compile(r"^(?:https?:)?//|^/", re.I)


def _get(node: Any, key: str, default: Any = None) -> Any:
    # FeedParserDict.get remaps keys and warns (``updated`` silently becomes ``published``);
    # plain dict access gives what the feed actually said, and is faster.
    return dict.get(node, key, default)


def _utc(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except ValueError:
        return None


def _describe_bozo(exc: BaseException) -> str:
    if isinstance(exc, SAXParseException):
        return (
            f"ill-formed XML at line {exc.getLineNumber()}, column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}"
        )
    return str(exc) or type(exc).__name__


def _html_problem(body: bytes, url: str) -> FeedParseError:
    head = body[:65536].decode("utf-8", errors="replace")
    hint = ""
    match = _ALTERNATE.search(head)
    if match:
        found = resolve_link(match.group(1), url)
        if found:
            hint = f"; the page names a feed at {found}"
    return FeedParseError("not_a_feed", f"The server sent an HTML page, not a feed{hint}.")


def _authors(entry: Any) -> tuple[str, ...]:
    names = [
        (_get(person, "name") or _get(person, "email") or "").strip()
        for person in _get(entry, "authors") or []
        if isinstance(person, dict)
    ]
    if not any(names) and _get(entry, "author"):
        names = [str(_get(entry, "author")).strip()]
    return tuple(dict.fromkeys(name for name in names if name))


def _summary_html(entry: Any) -> str:
    summary = _get(entry, "summary")
    parts = _get(entry, "content") or []
    if summary:
        # feedparser copies an Atom <content> into "summary" without its type; take it back
        # from the content so plain text is not mistaken for markup.
        detail: Any = _get(entry, "summary_detail") or next(
            (part for part in parts if _get(part, "value") == summary), {}
        )
        return plain_to_html(summary) if _get(detail, "type") in _PLAIN_TYPES else str(summary)
    for part in parts:
        value = _get(part, "value")
        if value:
            return plain_to_html(value) if _get(part, "type") in _PLAIN_TYPES else str(value)
    return ""


def _raw_item(entry: Any) -> RawItem:
    detail = _get(entry, "summary_detail") or _get(entry, "title_detail") or {}
    guid, link = _get(entry, "id"), _get(entry, "link")
    if _get(entry, "guidislink") and link == guid and not _URLISH.match(link or ""):
        # feedparser promotes a permalink-by-default GUID to the link even when it is a bare
        # id such as "mfa-12"; resolving that against the feed URL would invent a page.
        link = None
    return RawItem(
        guid=guid,
        link=link,
        title=_get(entry, "title") or "",
        title_is_html=True,
        summary_html=_summary_html(entry),
        published=_utc(_get(entry, "published_parsed")) or _utc(_get(entry, "created_parsed")),
        updated=_utc(_get(entry, "updated_parsed")),
        language=_get(detail, "language"),
        authors=_authors(entry),
    )


def _ttl(value: Any) -> timedelta | None:
    try:
        minutes = int(str(value or "").strip())
    except ValueError:
        return None
    return timedelta(minutes=minutes) if 0 < minutes <= 7 * 24 * 60 else None


def _finish(
    title: str,
    language_tag: str | None,
    ttl: Any,
    items: list[RawItem],
    where: tuple[str, str, datetime],
    notes: list[str | None],
) -> ParsedFeed:
    url, base, fetched_at = where
    language = normalise_language(language_tag)
    entries = [
        build_entry(
            item, feed_url=url, base_url=base, feed_language=language, fetched_at=fetched_at
        )
        for item in items
    ]
    return ParsedFeed(
        title=one_line(title) or None,
        language=language,
        entries=unique_entries(entries),
        bozo_message="; ".join(note for note in notes if note) or None,
        ttl=_ttl(ttl),
    )


def parse_with_feedparser(
    data: bytes, where: tuple[str, str, datetime], charset_note: str | None = None
) -> ParsedFeed:
    """The tolerant path for UTF-8 ``data``: every format, recovers from ill-formed XML."""
    # A BytesIO, never the bytes themselves: feedparser treats a bytes argument that happens to
    # name an existing file as a path and would read it.
    parsed = feedparser.parse(
        io.BytesIO(data),
        # No content-location: feedparser would then "resolve" bare GUIDs into URLs, changing
        # entry ids; links are resolved in ``entries`` instead.
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = _describe_bozo(parsed.bozo_exception) if _get(parsed, "bozo") else None
    if not parsed.entries:
        if not _get(parsed, "version"):
            raise FeedParseError(
                "not_a_feed",
                "The body is not RSS, Atom or JSON Feed" + (f" ({problem})." if problem else "."),
            )
        if problem:
            raise FeedParseError(
                "parse", f"The feed is ill-formed and yielded no entries: {problem}."
            )
    feed = parsed.feed
    items = [_raw_item(item) for item in parsed.entries]
    return _finish(
        _get(feed, "title") or "", _get(feed, "language"), _get(feed, "ttl"), items, where,
        [problem, charset_note],
    )  # fmt: skip


def parse_clean(
    data: bytes, where: tuple[str, str, datetime], charset_note: str | None = None
) -> ParsedFeed:
    """The fast path for UTF-8 ``data``; raises ``Unsupported`` when feedparser is needed."""
    title, language, ttl, _, items = read_clean_feed(data)
    return _finish(title, language, ttl, items, where, [charset_note])


def _parse_xml(
    body: bytes, url: str, content_type: str | None, fetched_at: datetime, base: str
) -> ParsedFeed:
    data, charset_note = to_utf8(body, content_type)
    where = (url, base, fetched_at)
    try:
        return parse_clean(data, where, charset_note)
    except Exception:  # Unsupported, or any surprise: feedparser is the reference reader
        return parse_with_feedparser(data, where, charset_note)


def parse_feed(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    fetched_at: datetime,
    base_url: str | None = None,
) -> ParsedFeed:
    """Entries of an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.x body fetched from ``url``.

    ``url`` is the feed's identity (``Entry.feed_url``); relative links resolve against
    ``base_url`` when the body actually came from elsewhere (a redirect), else against ``url``.
    """
    base = base_url or url
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise FeedParseError("empty", "The server sent an empty body instead of a feed.")
    if start[:1] == b"{" or (content_type or "").split(";")[0].strip().endswith("json"):
        return parse_json_feed(start, url, fetched_at, base)
    if _HTML_START.match(start[:4096]):
        raise _html_problem(start, base)
    return _parse_xml(body, url, content_type, fetched_at, base)
