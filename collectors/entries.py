"""Builds the application's ``Entry`` records from the loosely structured items that feedparser
and the JSON Feed reader produce. This is where an entry gets its stable identity (GUID, else
canonical link, else a hash of its content), its plain-text title and summary, absolute link,
UTC dates with the first-seen fallback, and language. Keeping it separate from the format
readers means RSS, Atom and JSON Feed items are normalised by one set of rules."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from collectors.links import canonical_link, resolve_link
from collectors.models import Entry
from collectors.text import detect_language, html_to_text, normalise_language, one_line

_TITLE_FROM_SUMMARY = 120


@dataclass(slots=True)
class RawItem:
    """One item as a format reader found it, before normalisation."""

    guid: str | None
    link: str | None
    title: str
    title_is_html: bool
    summary_html: str
    published: datetime | None
    updated: datetime | None
    language: str | None
    authors: tuple[str, ...]


def plain_to_html(text: str) -> str:
    """Escape plain text so that it can sit where HTML is expected."""
    return html.escape(text).replace("\n", "<br>\n")


def _identity(item: RawItem, link: str | None, title: str, summary: str) -> tuple[str, str]:
    guid = (item.guid or "").strip()
    if guid:
        return guid, "guid"
    if link:
        return canonical_link(link), "link"
    stamp = item.published.isoformat() if item.published else ""
    digest = hashlib.sha256(f"{title}\n{summary}\n{stamp}".encode()).hexdigest()
    return digest, "hash"


def build_entry(
    item: RawItem,
    *,
    feed_url: str,
    base_url: str,
    feed_language: str | None,
    fetched_at: datetime,
) -> Entry:
    link = resolve_link(item.link, base_url)
    summary = html_to_text(item.summary_html)
    title = one_line(item.title) if item.title_is_html else " ".join(item.title.split())
    if not title:
        title = summary.split("\n", 1)[0][:_TITLE_FROM_SUMMARY] or (link or "(untitled)")
    uid, uid_kind = _identity(item, link, title, summary)
    language = normalise_language(item.language) or feed_language
    if language is None:
        language = detect_language(f"{title}\n{summary}")
    published = item.published or item.updated
    return Entry(
        uid=uid,
        uid_kind=uid_kind,
        title=title,
        summary=summary,
        summary_html=item.summary_html,
        link=link,
        published=published or fetched_at,
        published_is_fallback=published is None,
        updated=item.updated,
        language=language,
        feed_url=feed_url,
        authors=item.authors,
    )


def unique_entries(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Entries with repeated ids dropped; feeds list newest first, so the first copy wins."""
    seen: set[str] = set()
    kept: list[Entry] = []
    for entry in entries:
        if entry.uid not in seen:
            seen.add(entry.uid)
            kept.append(entry)
    return tuple(kept)
