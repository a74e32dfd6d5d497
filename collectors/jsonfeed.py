"""Reader for JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). feedparser does not read
JSON, and the format is simple enough that the standard json module plus the shared entry
rules in ``entries`` cover it; unknown or malformed fields are skipped rather than fatal, the
same tolerance the XML formats get."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from collectors.entries import RawItem, build_entry, plain_to_html, unique_entries
from collectors.models import FeedParseError, ParsedFeed
from collectors.text import normalise_language


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _authors(node: dict[str, Any]) -> tuple[str, ...]:
    people = node.get("authors")
    if not isinstance(people, list):
        single = node.get("author")
        people = [single] if isinstance(single, dict) else []
    names = [_text(person.get("name")).strip() for person in people if isinstance(person, dict)]
    return tuple(dict.fromkeys(name for name in names if name))


def _raw_item(item: dict[str, Any], feed_authors: tuple[str, ...]) -> RawItem:
    raw_id = item.get("id")
    guid = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    if _text(item.get("content_html")).strip():
        summary_html = _text(item.get("content_html"))
    else:
        summary_html = plain_to_html(_text(item.get("content_text")) or _text(item.get("summary")))
    return RawItem(
        guid=guid,
        link=_text(item.get("url")) or _text(item.get("external_url")) or None,
        title=_text(item.get("title")),
        title_is_html=False,
        summary_html=summary_html,
        published=_date(item.get("date_published")),
        updated=_date(item.get("date_modified")),
        language=_text(item.get("language")) or None,
        authors=_authors(item) or feed_authors,
    )


def parse_json_feed(body: bytes, url: str, fetched_at: datetime, base_url: str) -> ParsedFeed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedParseError(
            "parse", f"The body looks like JSON but does not parse: {exc}."
        ) from None
    if not isinstance(document, dict) or "jsonfeed.org/version" not in _text(
        document.get("version")
    ):
        raise FeedParseError("not_a_feed", "The body is JSON but not a JSON Feed.")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("parse", 'The JSON Feed has no "items" list.')
    language = normalise_language(_text(document.get("language")) or None)
    feed_authors = _authors(document)
    entries = [
        build_entry(
            _raw_item(item, feed_authors),
            feed_url=url,
            base_url=base_url,
            feed_language=language,
            fetched_at=fetched_at,
        )
        for item in items
        if isinstance(item, dict)
    ]
    skipped = len(items) - len(entries)
    return ParsedFeed(
        title=" ".join(_text(document.get("title")).split()) or None,
        language=language,
        entries=unique_entries(entries),
        bozo_message=f"{skipped} items were not JSON objects and were skipped" if skipped else None,
    )
