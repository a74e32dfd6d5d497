"""A fast first pass for the two formats that make up most real feeds, well-formed RSS 2.0 and
Atom 1.0, read with the C-accelerated ElementTree. feedparser costs about 10 ms for a 20-item
feed, most of the CPU of a poll; this reader does the same job several times faster. It is
strict on purpose: anything unusual (ill-formed XML, undefined entities, XHTML content, an
unparseable date, another format) raises ``Unsupported`` and the caller falls back to
feedparser, so tolerance is never lost, only speed gained on clean feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from collectors.entries import RawItem, plain_to_html

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_URLISH = re.compile(r"^(?:https?:)?//|^/", re.I)


class Unsupported(Exception):
    """This body needs feedparser."""


def _text(node: ET.Element | None) -> str:
    return "".join(node.itertext()) if node is not None else ""


def _rfc822(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError) as exc:
        raise Unsupported(f"date {value!r}") from exc
    return _utc(moment)


def _iso(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return _utc(datetime.fromisoformat(value.strip()))
    except ValueError as exc:
        raise Unsupported(f"date {value!r}") from exc


def _utc(moment: datetime) -> datetime:
    # feedparser keeps whole seconds; match it so both readers give identical entries.
    moment = moment.replace(microsecond=0)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _person(value: str) -> str:
    match = _EMAIL_NAME.match(value)
    return (match.group(1) if match else value).strip()


def _rss_item(item: ET.Element) -> RawItem:
    guid_node = item.find("guid")
    guid = _text(guid_node).strip() or None
    link = _text(item.find("link")).strip() or None
    permalink = guid_node is not None and guid_node.get("isPermaLink", "true").lower() != "false"
    if link is None and guid and permalink and _URLISH.match(guid):
        link = guid
    summary = _text(item.find("description")) or _text(item.find(CONTENT_ENCODED))
    people = [_person(_text(n)) for n in (*item.findall("author"), *item.findall(DC + "creator"))]
    date_node = item.find("pubDate")
    published = (
        _rfc822(_text(date_node)) if date_node is not None else _iso(_text(item.find(DC + "date")))
    )
    return RawItem(
        guid=guid,
        link=link,
        title=_text(item.find("title")),
        title_is_html=True,
        summary_html=summary,
        published=published,
        updated=None,
        language=None,
        authors=tuple(dict.fromkeys(p for p in people if p)),
    )


def _atom_body(node: ET.Element | None) -> str | None:
    if node is None:
        return None
    kind = node.get("type", "text").lower()
    if kind in ("xhtml", "application/xhtml+xml") or node.get("src") or len(node):
        raise Unsupported("structured Atom content")
    value = node.text or ""
    return plain_to_html(value) if kind in ("text", "text/plain") else value


def _atom_entry(entry: ET.Element, feed_lang: str | None) -> RawItem:
    link = None
    for node in entry.findall(ATOM + "link"):
        if node.get("rel", "alternate") == "alternate" and node.get("href"):
            link = node.get("href")
            break
    title_node = entry.find(ATOM + "title")
    if title_node is not None and title_node.get("type", "text").lower() == "xhtml":
        raise Unsupported("XHTML title")
    summary = _atom_body(entry.find(ATOM + "summary"))
    if not summary:
        summary = _atom_body(entry.find(ATOM + "content")) or ""
    updated = _iso(_text(entry.find(ATOM + "updated")))
    people = [_text(a.find(ATOM + "name")).strip() for a in entry.findall(ATOM + "author")]
    return RawItem(
        guid=_text(entry.find(ATOM + "id")).strip() or None,
        link=link,
        title=_text(title_node),
        title_is_html=True,
        summary_html=summary,
        published=_iso(_text(entry.find(ATOM + "published"))),
        updated=updated,
        language=entry.get(XML_LANG) or feed_lang,
        authors=tuple(dict.fromkeys(p for p in people if p)),
    )


def read_clean_feed(data: bytes) -> tuple[str, str | None, str | None, str, list[RawItem]]:
    """(title, language, ttl text, format, items) of a clean RSS 2.0 or Atom 1.0 document."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise Unsupported("not well-formed") from exc
    if root.tag == "rss" and root.get("version", "").strip() == "2.0":
        channel = root.find("channel")
        if channel is None:
            raise Unsupported("no channel")
        language = _text(channel.find("language")) or _text(channel.find(DC + "language"))
        items = [_rss_item(item) for item in channel.iter("item")]
        return (
            _text(channel.find("title")),
            language or None,
            _text(channel.find("ttl")),
            "rss",
            items,
        )
    if root.tag == ATOM + "feed":
        lang = root.get(XML_LANG)
        entries = [_atom_entry(entry, lang) for entry in root.findall(ATOM + "entry")]
        return _text(root.find(ATOM + "title")), lang, None, "atom", entries
    raise Unsupported(f"root element {root.tag}")
