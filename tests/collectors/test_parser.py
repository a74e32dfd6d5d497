"""parse_feed on the fixture feeds: each supported format, identities, dates, languages,
text extraction and the clear errors for bodies that are not feeds."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest
from collector_server import fixture_bytes

from collectors import FeedParseError, parse_feed

SEEN = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)
URL = "https://feeds.example/sub/feed.xml"

FORMAT_CASES = [
    pytest.param(
        "rss091_old.xml", "Old Press Office", "en",
        ("http://press-office.example/item.php?n=42", "link", "Minister receives ambassador", None),
        id="rss-0.91",
    ),
    pytest.param(
        "rss10_rdf.xml", "Caspian Digest", "de",
        ("https://caspian-digest.example/a/1", "guid", "Gipfeltreffen in Aschgabat",
         datetime(2026, 5, 10, 3, 0, tzinfo=UTC)),
        id="rss-1.0-rdf",
    ),
    pytest.param(
        "rss20_agency_en.xml", "Steppe Wire & Partners — Diplomacy", "en",
        ("sw-2026-0512-001", "guid", "Presidents of Kazakhstan and Uzbekistan meet in Tashkent",
         datetime(2026, 5, 12, 4, 30, tzinfo=UTC)),
        id="rss-2.0",
    ),
    pytest.param(
        "atom03.xml", "Legacy Atom Desk", "en",
        ("tag:legacy-atom.example,2026:77", "guid",
         "Tajik and Afghan officials discuss the CASA-1000 line",
         datetime(2026, 5, 9, 10, 0, tzinfo=UTC)),
        id="atom-0.3",
    ),
    pytest.param(
        "atom10_fr.xml", "Asie centrale en bref", "fr",
        ("tag:asie-centrale.example,2026:1001", "guid", "Visite d'État du président kazakh à Paris",
         datetime(2026, 5, 12, 5, 15, tzinfo=UTC)),
        id="atom-1.0",
    ),
    pytest.param(
        "jsonfeed11.json", "Silk Road Briefing", "en",
        ("srb-501", "guid", "Uzbek and Turkish leaders hold talks in Samarkand",
         datetime(2026, 5, 12, 1, 0, tzinfo=UTC)),
        id="json-feed-1.1",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("fixture", "title", "language", "first"), FORMAT_CASES)
def test_formats(
    fixture: str, title: str, language: str, first: tuple[str, str, str, datetime | None]
) -> None:
    parsed = parse_feed(fixture_bytes(fixture), URL, fetched_at=SEEN)
    entry = parsed.entries[0]
    assert (parsed.title, parsed.language) == (title, language)
    assert (entry.uid, entry.uid_kind, entry.title) == first[:3]
    assert entry.published == (first[3] or SEEN)
    assert entry.published_is_fallback is (first[3] is None)
    assert entry.feed_url == URL and entry.published.tzinfo is UTC


def test_rss_entry_fields_in_detail() -> None:
    parsed = parse_feed(fixture_bytes("rss20_agency_en.xml"), URL, fetched_at=SEEN)
    first, second, third = parsed.entries
    assert first.summary == "The two leaders signed eleven agreements on water & energy."
    assert "<b>eleven</b>" in first.summary_html and "track()" not in first.summary
    assert first.authors == ("Aigerim Sadykova",)
    assert first.link and "utm_source" in first.link  # the link is kept as published
    # without a GUID the canonical link is the id: trackers and fragments removed
    assert (second.uid, second.uid_kind) == (
        "https://steppe-wire.example/news/2026/05/11/visit",
        "link",
    )
    assert third.uid_kind == "hash" and third.link is None
    assert parsed.ttl is not None and parsed.ttl.total_seconds() == 90 * 60


def test_atom_plain_text_content_is_escaped_not_parsed() -> None:
    parsed = parse_feed(fixture_bytes("atom10_fr.xml"), URL, fetched_at=SEEN)
    entry = parsed.entries[1]
    assert entry.summary == "Texte brut, <pas du HTML>."
    assert entry.summary_html == "Texte brut, &lt;pas du HTML&gt;."
    assert entry.published == datetime(2026, 5, 11, 18, 0, tzinfo=UTC)
    assert not entry.published_is_fallback
    assert parsed.entries[0].authors == ("Claire Martin", "Timur Akhmetov")


LANGUAGE_CASES = [
    pytest.param(
        b'<rss version="2.0"><channel><title>t</title><item><title>The foreign ministers of '
        b"Kazakhstan and Turkey met on Monday to discuss transit routes</title></item>"
        b"</channel></rss>",
        "en", id="english-detected",
    ),
    pytest.param(fixture_bytes("ru_cp1251_undeclared.xml"), "ru", id="russian-detected"),
    pytest.param(
        b'<rss version="2.0"><channel><language>kk-KZ</language><item><title>Short</title>'
        b"</item></channel></rss>",
        "kk", id="declared-region-tag-reduced",
    ),
    pytest.param(
        b'<rss version="2.0"><channel><language>rus</language><item><title>x</title>'
        b"</item></channel></rss>",
        "ru", id="declared-three-letter-code",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("body", "language"), LANGUAGE_CASES)
def test_entry_language(body: bytes, language: str) -> None:
    parsed = parse_feed(body, URL, fetched_at=SEEN)
    assert parsed.entries[0].language == language


ERROR_CASES = [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b"\xef\xbb\xbf \n", "empty", id="bom-and-whitespace"),
    pytest.param(fixture_bytes("page.html"), "not_a_feed", id="html"),
    pytest.param(b"<!-- cms --><html><body>x</body></html>", "not_a_feed", id="html-after-comment"),
    pytest.param(fixture_bytes("illformed_nothing.xml"), "parse", id="truncated"),
    pytest.param(b"<note><to>nobody</to></note>", "not_a_feed", id="other-xml"),
    pytest.param(b'{"version": "https://jsonfeed.org/version/1.1"}', "parse", id="json-no-items"),
    pytest.param(b"{not json", "parse", id="broken-json"),
]


@pytest.mark.parametrize(("body", "kind"), ERROR_CASES)
def test_unusable_bodies(body: bytes, kind: str) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, URL, fetched_at=SEEN)
    assert caught.value.kind == kind
    assert str(caught.value).endswith(".") and len(str(caught.value)) > 20


def test_valid_feed_without_items_is_not_an_error() -> None:
    body = b'<rss version="2.0"><channel><title>Quiet ministry</title></channel></rss>'
    parsed = parse_feed(body, URL, fetched_at=SEEN)
    assert (parsed.title, parsed.entries, parsed.bozo_message) == ("Quiet ministry", (), None)


def test_results_and_errors_cross_process_boundaries() -> None:
    parsed = parse_feed(fixture_bytes("atom10_fr.xml"), URL, fetched_at=SEEN)
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    error = FeedParseError("empty", "The server sent an empty body instead of a feed.")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.kind, str(copy)) == ("empty", str(error))
