"""FeedFetcher against a real HTTP server on 127.0.0.1: conditional GET, redirects, error
statuses and backoff, size caps, broken bodies, charsets and formats, as listed in issue 3."""

from __future__ import annotations

import asyncio
import gzip
import socket
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from collector_server import FeedServer, Reply, fixture_bytes

from collectors import FeedFetcher, FeedState, FetchResult, FetchSettings

NOW = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)
FAST = FetchSettings(
    allow_private_networks=True, parse_workers=0, connect_timeout=2, read_timeout=2, total_timeout=5
)
FEED = fixture_bytes("rss20_agency_en.xml")
RU_TITLE = "Президенты Казахстана и Узбекистана провели переговоры в Ташкенте"


def poll(url: str, state: FeedState | None = None, settings: FetchSettings = FAST) -> FetchResult:
    async def run() -> FetchResult:
        async with FeedFetcher(settings) as fetcher:
            return await fetcher.fetch(state or FeedState(url=url), now=NOW)

    return asyncio.run(run())


def remembered(result: FetchResult) -> FeedState:
    """What the application stores after a poll, as the next poll's starting point."""
    return FeedState(
        url=result.new_url or result.url,
        etag=result.etag,
        last_modified=result.last_modified,
        body_hash=result.body_hash,
        consecutive_failures=result.consecutive_failures,
    )


# --- conditional GET -------------------------------------------------------------------------

LAST_MODIFIED = "Tue, 12 May 2026 08:00:00 GMT"
CONDITIONAL_CASES = [
    pytest.param(
        [Reply(body=FEED, etag='"v1"')], "not_modified", "if-none-match", id="200-then-304-etag"
    ),
    pytest.param(
        [Reply(body=FEED, last_modified=LAST_MODIFIED)],
        "not_modified",
        "if-modified-since",
        id="last-modified-only",
    ),
    pytest.param([Reply(body=FEED)], "unchanged", None, id="no-validators-unchanged-body"),
    pytest.param(
        [Reply(body=FEED), Reply(body=fixture_bytes("atom10_fr.xml"))],
        "ok",
        None,
        id="no-validators-changed-body",
    ),
]


@pytest.mark.parametrize(("replies", "second_status", "conditional_header"), CONDITIONAL_CASES)
def test_second_poll_uses_stored_validators(
    feed_server: FeedServer,
    replies: list[Reply],
    second_status: str,
    conditional_header: str | None,
) -> None:
    url = feed_server.route("/feed", *replies)
    first = poll(url)
    assert first.status == "ok" and len(first.entries) == 3
    second = poll(url, remembered(first))
    assert second.status == second_status
    sent = feed_server.hits("/feed")[1].headers
    if conditional_header:
        assert conditional_header in sent
        assert second.entries == () and second.parse_s == 0.0
        assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    else:
        assert "if-none-match" not in sent and "if-modified-since" not in sent
    if second_status == "unchanged":
        assert second.entries == () and second.body_hash == first.body_hash
    assert second.consecutive_failures == 0


# --- redirects -------------------------------------------------------------------------------


def _redirect(status: int, to: str) -> Reply:
    return Reply(status, headers={"Location": to})


REDIRECT_CASES = [
    pytest.param({"/a": _redirect(301, "/b")}, "ok", "/b", None, id="301-then-200-url-updated"),
    pytest.param({"/a": _redirect(308, "/b")}, "ok", "/b", None, id="308-url-updated"),
    pytest.param({"/a": _redirect(302, "/b")}, "ok", None, None, id="302-followed-not-stored"),
    pytest.param({"/a": _redirect(307, "/b")}, "ok", None, None, id="307-followed-not-stored"),
    pytest.param(
        {"/a": _redirect(301, "/m"), "/m": _redirect(302, "/b")},
        "ok",
        "/m",
        None,
        id="permanent-then-temporary-stores-first-hop",
    ),
    pytest.param(
        {"/a": _redirect(302, "/m"), "/m": _redirect(301, "/b")},
        "ok",
        None,
        None,
        id="temporary-then-permanent-not-stored",
    ),
    pytest.param(
        {"/a": _redirect(301, "/m"), "/m": _redirect(302, "/a")},
        "error",
        None,
        "redirect_loop",
        id="redirect-loop",
    ),
    pytest.param(
        {
            "/a": _redirect(302, "/r1"),
            **{f"/r{i}": _redirect(302, f"/r{i + 1}") for i in range(1, 6)},
            "/r6": _redirect(302, "/b"),
        },
        "error",
        None,
        "too_many_redirects",
        id="more-than-5-redirects",
    ),
    pytest.param(
        {
            "/a": _redirect(302, "/r1"),
            **{f"/r{i}": _redirect(302, f"/r{i + 1}") for i in range(1, 4)},
            "/r4": _redirect(302, "/b"),
        },
        "ok",
        None,
        None,
        id="exactly-5-redirects",
    ),
]


@pytest.mark.parametrize(("routes", "status", "new_path", "error_kind"), REDIRECT_CASES)
def test_redirects(
    feed_server: FeedServer,
    routes: dict[str, Reply],
    status: str,
    new_path: str | None,
    error_kind: str | None,
) -> None:
    for path, reply in routes.items():
        feed_server.route(path, reply)
    feed_server.route("/b", Reply(body=FEED))
    result = poll(feed_server.url("/a"))
    assert (result.status, result.error_kind) == (status, error_kind)
    assert result.new_url == (feed_server.url(new_path) if new_path else None)
    assert result.url == feed_server.url("/a")
    if status == "ok":
        assert len(result.entries) == 3
        assert {e.feed_url for e in result.entries} == {feed_server.url("/a")}
    else:
        assert result.error_message and result.consecutive_failures == 1


# --- HTTP error statuses and scheduling ------------------------------------------------------

IN_3H = format_datetime(NOW + timedelta(hours=3), usegmt=True)
STATUS_CASES = [
    pytest.param(Reply(410), "gone", "gone", timedelta(hours=24), id="410-gone"),
    pytest.param(
        Reply(429, headers={"Retry-After": "7200"}),
        "error",
        "http",
        timedelta(hours=2),
        id="429-retry-after-seconds",
    ),
    pytest.param(
        Reply(429, headers={"Retry-After": IN_3H}),
        "error",
        "http",
        timedelta(hours=3),
        id="429-retry-after-http-date",
    ),
    pytest.param(
        Reply(503, headers={"Retry-After": "5400"}),
        "error",
        "http",
        timedelta(minutes=90),
        id="503-retry-after-seconds",
    ),
    pytest.param(
        Reply(429, headers={"Retry-After": "60"}),
        "error",
        "http",
        timedelta(minutes=15),
        id="429-short-retry-after-still-backs-off",
    ),
    pytest.param(Reply(404), "error", "http", timedelta(minutes=15), id="404-first-failure"),
]


@pytest.mark.parametrize(("reply", "status", "kind", "delay"), STATUS_CASES)
def test_error_statuses_schedule_the_retry(
    feed_server: FeedServer, reply: Reply, status: str, kind: str, delay: timedelta
) -> None:
    url = feed_server.route("/feed", reply)
    state = FeedState(url=url, etag='"kept"', body_hash="abc")
    result = poll(url, state)
    assert (result.status, result.error_kind, result.http_status) == (status, kind, reply.status)
    assert abs(result.next_check_at - (NOW + delay)) <= timedelta(seconds=1)
    assert result.consecutive_failures == 1
    assert (result.etag, result.body_hash) == ('"kept"', "abc")
    assert result.error_message and str(reply.status) in result.error_message
    if "Retry-After" in reply.headers:
        assert "Retry-After" in result.error_message


def test_500_repeatedly_backs_off_up_to_the_cap_and_keeps_polling(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", Reply(500, b"boom"))
    state = FeedState(url=url)
    delays = []
    for _ in range(9):
        result = poll(url, state)
        assert result.status == "error" and result.error_kind == "http"
        delays.append(result.next_check_at - NOW)
        state = remembered(result)
    assert delays == [timedelta(minutes=15 * 2**n) for n in range(7)] + [timedelta(hours=24)] * 2
    assert state.consecutive_failures == 9
    assert len(feed_server.hits("/feed")) == 9
    feed_server.route("/feed", Reply(body=FEED))
    recovered = poll(url, state)
    assert recovered.status == "ok" and recovered.consecutive_failures == 0


# --- transport failures and body limits ------------------------------------------------------


def test_timeout_is_reported_quickly(feed_server: FeedServer) -> None:
    url = feed_server.route("/slow", Reply(body=FEED, delay=3))
    settings = FetchSettings(
        allow_private_networks=True,
        parse_workers=0,
        connect_timeout=1,
        read_timeout=0.3,
        total_timeout=1,
    )
    result = poll(url, settings=settings)
    assert (result.status, result.error_kind) == ("error", "timeout")
    assert result.latency_s < 1.5
    assert "127.0.0.1" in (result.error_message or "")


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = poll(f"http://127.0.0.1:{port}/feed")
    assert (result.status, result.error_kind) == ("error", "connect")


def _bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(size >> 20)) + packer.flush()


CAP = 256 * 1024
BOMB = _bomb(256 << 20)
SIZE_CASES = [
    pytest.param(Reply(body=b"<rss>" + b" " * (CAP + 10)), id="plain-body-over-cap"),
    pytest.param(
        Reply(
            body=gzip.compress(b"<rss>" + b" " * (CAP * 3)), headers={"Content-Encoding": "gzip"}
        ),
        id="gzip-over-cap-after-decompression",
    ),
    pytest.param(Reply(body=BOMB, headers={"Content-Encoding": "gzip"}), id="gzip-bomb-256mb"),
]


@pytest.mark.parametrize("reply", SIZE_CASES)
def test_body_over_cap_is_refused_without_reading_it_all(
    feed_server: FeedServer, reply: Reply
) -> None:
    url = feed_server.route("/big", reply)
    settings = FetchSettings(allow_private_networks=True, parse_workers=0, max_body_bytes=CAP)
    tracemalloc.start()
    try:
        result = poll(url, settings=settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.status, result.error_kind) == ("error", "too_large")
    assert "0.25 MB" in (result.error_message or "")
    # The server thread holds the compressed body; the client never holds much beyond the cap.
    assert peak < len(reply.body) + 8 * CAP + 4 * 1024 * 1024


ENCODED_CASES = [
    pytest.param({"Content-Encoding": "gzip"}, gzip.compress(FEED), id="gzip"),
    pytest.param({"Content-Encoding": "deflate"}, zlib.compress(FEED), id="deflate-zlib"),
    pytest.param(
        {"Content-Encoding": "deflate"},
        (lambda c: c.compress(FEED) + c.flush())(zlib.compressobj(6, zlib.DEFLATED, -15)),
        id="deflate-raw",
    ),
]


@pytest.mark.parametrize(("headers", "body"), ENCODED_CASES)
def test_compressed_bodies(feed_server: FeedServer, headers: dict[str, str], body: bytes) -> None:
    url = feed_server.route("/feed", Reply(body=body, headers=headers))
    result = poll(url)
    assert result.status == "ok" and len(result.entries) == 3
    assert result.body_bytes == len(FEED)
    sent = feed_server.hits("/feed")[0].headers
    assert "gzip" in sent["accept-encoding"] and sent["user-agent"].startswith("SummitWatch/")


# --- bodies that are not (quite) feeds -------------------------------------------------------

BODY_ERROR_CASES = [
    pytest.param(
        fixture_bytes("page.html"), "text/html", "not_a_feed", "/en/rss.xml", id="html-page"
    ),
    pytest.param(b"", "application/rss+xml", "empty", "empty", id="empty-body"),
    pytest.param(b"  \r\n ", "text/xml", "empty", "empty", id="whitespace-body"),
    pytest.param(
        fixture_bytes("illformed_nothing.xml"), "text/xml", "parse", "line 2", id="truncated-xml"
    ),
    pytest.param(
        b"/etc/hostname", "text/plain", "not_a_feed", "not RSS", id="body-naming-a-local-file"
    ),
    pytest.param(
        b'{"hello": "world"}', "application/json", "not_a_feed", "JSON", id="json-not-a-feed"
    ),
]


@pytest.mark.parametrize(("body", "content_type", "kind", "phrase"), BODY_ERROR_CASES)
def test_unusable_bodies_are_clear_errors(
    feed_server: FeedServer, body: bytes, content_type: str, kind: str, phrase: str
) -> None:
    url = feed_server.route("/feed", Reply(body=body, headers={"Content-Type": content_type}))
    result = poll(url, FeedState(url=url, body_hash="previous"))
    assert (result.status, result.error_kind, result.http_status) == ("error", kind, 200)
    assert phrase in (result.error_message or "")
    assert result.entries == () and result.body_hash == "previous"
    assert result.next_check_at == NOW + timedelta(minutes=15)


CHARSET_CASES = [
    pytest.param("ru_cp1251_declared.xml", "application/rss+xml", None, id="windows-1251-declared"),
    pytest.param(
        "ru_cp1251_declared.xml",
        "text/xml; charset=ISO-8859-1",
        None,
        id="windows-1251-declared-header-says-latin-1",
    ),
    pytest.param(
        "ru_cp1251_undeclared.xml", "text/xml", "windows-1251", id="windows-1251-undeclared"
    ),
    pytest.param(
        "ru_utf8_declared_latin1.xml",
        "application/rss+xml",
        "UTF-8",
        id="utf-8-declared-latin-1-in-xml",
    ),
    pytest.param(
        "ru_utf8_plain.xml",
        "application/rss+xml; charset=iso-8859-1",
        "UTF-8",
        id="utf-8-declared-latin-1-in-http-header",
    ),
]


@pytest.mark.parametrize(("fixture", "content_type", "note"), CHARSET_CASES)
def test_cyrillic_survives_wrong_or_missing_charset(
    feed_server: FeedServer, fixture: str, content_type: str, note: str | None
) -> None:
    url = feed_server.route(
        "/ru", Reply(body=fixture_bytes(fixture), headers={"Content-Type": content_type})
    )
    result = poll(url)
    assert result.status == "ok"
    assert result.feed_title == "Восток Новости"
    assert result.entries[0].title == RU_TITLE
    assert result.entries[1].summary == "Ожидается продолжение переговоров о делимитации границы."
    assert {e.language for e in result.entries} == {"ru"}
    if note:
        assert note in (result.bozo_message or "")


def test_ill_formed_feed_is_ingested_with_its_problem_recorded(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", Reply(body=fixture_bytes("illformed_recoverable.xml")))
    result = poll(url)
    assert result.status == "ok"
    assert [e.title for e in result.entries] == ["Talks in Astana & Baku", "Second item"]
    assert "ill-formed XML at line" in (result.bozo_message or "")


def test_json_feed_over_http(feed_server: FeedServer) -> None:
    headers = {"Content-Type": "application/feed+json"}
    url = feed_server.route(
        "/feed.json", Reply(body=fixture_bytes("jsonfeed11.json"), headers=headers)
    )
    result = poll(url)
    assert result.status == "ok" and result.feed_title == "Silk Road Briefing"
    first, second = result.entries
    assert (first.uid, first.summary, first.authors) == (
        "srb-501",
        "Trade target raised to $10bn.",
        ("Dilnoza Karimova",),
    )
    assert second.link == feed_server.url("/2026/05/relative-item")
    assert (second.language, second.authors) == ("ru", ("Briefing Desk",))


def test_relative_links_resolve_against_the_feed_url(feed_server: FeedServer) -> None:
    url = feed_server.route("/sub/feed.xml", Reply(body=fixture_bytes("relative_links.xml")))
    result = poll(url)
    assert [e.link for e in result.entries] == [
        feed_server.url("/press/2026/05/statement-12"),
        feed_server.url("/sub/statement-13.html"),
        "http://cdn.ministry.example/statement-14",
    ]
    assert [e.uid for e in result.entries] == ["mfa-12", "mfa-13", "mfa-14"]


def test_duplicate_guids_across_two_feeds(feed_server: FeedServer) -> None:
    url_a = feed_server.route("/a.xml", Reply(body=fixture_bytes("duplicate_guids_a.xml")))
    url_b = feed_server.route("/b.xml", Reply(body=fixture_bytes("duplicate_guids_b.xml")))
    a, b = poll(url_a), poll(url_b)
    assert [(e.uid, e.title) for e in a.entries] == [
        ("story-1", "First copy"),
        ("story-2", "Other story"),
    ]
    assert [(e.uid, e.feed_url) for e in b.entries] == [("story-1", url_b)]
    assert {e.feed_url for e in a.entries} == {url_a}


def test_entries_without_guid_or_link_get_stable_hash_ids(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", Reply(body=fixture_bytes("no_guid_no_link.xml")))
    first, again = poll(url), poll(url)
    assert [e.uid_kind for e in first.entries] == ["hash"] * 3
    assert len({e.uid for e in first.entries}) == 3
    assert [e.uid for e in first.entries] == [e.uid for e in again.entries]
    assert all(e.published == NOW and e.published_is_fallback for e in first.entries)
