"""OPML 1.0/2.0 import and export of feed lists. Nested outlines are folders: a feed's category
is the path of its parent outlines joined with " / ", and export writes the same nesting back,
so a list survives a round trip. Input comes from other feed readers and hand edits, so every
problem is reported with what and where, and nothing is dropped silently."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

_SEPARATOR = " / "


class OpmlError(ValueError):
    """The OPML document cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None
    category: str | None


def _attribute(node: ET.Element, name: str) -> str:
    # Exporters disagree on case ("xmlUrl", "xmlurl", "XMLURL").
    wanted = name.lower()
    for key, value in node.attrib.items():
        if key.lower() == wanted:
            return value.strip()
    return ""


def _feed_url(raw: str, label: str) -> str:
    url = raw
    if url.lower().startswith("feed://"):
        url = "http://" + url[len("feed://") :]
    elif url.lower().startswith("feed:"):
        url = url[len("feed:") :]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise OpmlError(f"Outline {label!r} has xmlUrl {raw!r}, which is not an http(s) URL.")
    return url


def _walk(node: ET.Element, path: list[str], found: dict[str, OpmlFeed]) -> None:
    for outline in node:
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        label = _attribute(outline, "title") or _attribute(outline, "text")
        raw_url = _attribute(outline, "xmlUrl")
        if raw_url:
            url = _feed_url(raw_url, label or raw_url)
            category = _SEPARATOR.join(path) or _attribute(outline, "category").split(",")[0]
            found.setdefault(url, OpmlFeed(url, label or None, category.strip("/ ") or None))
        _walk(outline, [*path, label] if label and not raw_url else path, found)


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Feeds listed in an OPML document, in document order, duplicates removed."""
    if not data.strip():
        raise OpmlError("The OPML file is empty.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise OpmlError(
            f"The OPML file is not well-formed XML (line {line}, column {column + 1})."
        ) from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"Not an OPML file: the document starts with <{root.tag}>, not <opml>.")
    body = next((child for child in root if str(child.tag).lower() == "body"), None)
    if body is None:
        raise OpmlError("The OPML file has no <body> element, so it lists no feeds.")
    found: dict[str, OpmlFeed] = {}
    _walk(body, [], found)
    return list(found.values())


def export_opml(feeds: Sequence[OpmlFeed], title: str = "SummitWatch feeds") -> str:
    """An OPML 2.0 document with categories written as nested folder outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for feed in feeds:
        path = tuple(p.strip() for p in (feed.category or "").split(_SEPARATOR) if p.strip())
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                folders[path[:depth]] = ET.SubElement(
                    folders[path[: depth - 1]],
                    "outline",
                    text=path[depth - 1],
                    title=path[depth - 1],
                )
        name = feed.title or feed.url
        ET.SubElement(folders[path], "outline", type="rss", text=name, title=name, xmlUrl=feed.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
