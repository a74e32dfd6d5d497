"""The fast RSS 2.0 / Atom 1.0 reader must give exactly what the feedparser path gives, and
hand everything unusual to feedparser rather than guess."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from collector_server import fixture_bytes

from collectors import parse_feed
from collectors.charset import to_utf8
from collectors.fastparse import Unsupported
from collectors.parser import parse_clean, parse_with_feedparser

WHERE = ("https://feeds.example/sub/feed.xml", "https://feeds.example/sub/feed.xml",
         datetime(2026, 5, 13, tzinfo=UTC))  # fmt: skip
CLEAN = [
    "rss20_agency_en.xml", "atom10_fr.xml", "relative_links.xml", "no_guid_no_link.xml",
    "duplicate_guids_a.xml", "ru_cp1251_declared.xml", "ru_cp1251_undeclared.xml",
    "ru_utf8_declared_latin1.xml",
]  # fmt: skip


@pytest.mark.parametrize("fixture", CLEAN)
def test_fast_path_matches_feedparser(fixture: str) -> None:
    data, note = to_utf8(fixture_bytes(fixture), None)
    fast = parse_clean(data, WHERE, note)
    assert fast.entries
    assert fast == parse_with_feedparser(data, WHERE, note)


NEEDS_FEEDPARSER = [
    pytest.param(fixture_bytes("rss091_old.xml"), id="rss-0.91"),
    pytest.param(fixture_bytes("rss10_rdf.xml"), id="rss-1.0"),
    pytest.param(fixture_bytes("atom03.xml"), id="atom-0.3"),
    pytest.param(fixture_bytes("illformed_recoverable.xml"), id="ill-formed"),
    pytest.param(
        b'<rss version="2.0"><channel><item><title>A&nbsp;B</title></item></channel></rss>',
        id="html-entity",
    ),
    pytest.param(
        b'<rss version="2.0"><channel><item><title>t</title><pubDate>yesterday-ish</pubDate>'
        b"</item></channel></rss>",
        id="odd-date",
    ),
    pytest.param(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><id>x</id>'
        b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div>'
        b"</content></entry></feed>",
        id="atom-xhtml",
    ),
]


@pytest.mark.parametrize("body", NEEDS_FEEDPARSER)
def test_unusual_feeds_fall_back_to_feedparser(body: bytes) -> None:
    data, note = to_utf8(body, None)
    with pytest.raises(Unsupported):
        parse_clean(data, WHERE, note)
    assert parse_feed(body, WHERE[0], fetched_at=WHERE[2]).entries
