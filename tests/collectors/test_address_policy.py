"""The address policy on the collector's one fetch path, against the real server on 127.0.0.1:
which addresses are refused, that names are vetted after resolution and before any connection,
that every redirect hop and every article link is vetted, that a refused redirect never moves
the stored URL, and that the setting lets private networks through. No test connects beyond
loopback: fake names resolve through an injected resolver, and the ``connections`` guard
(conftest) fails any test whose collector even tries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from collector_server import FeedServer, Reply, fixture_bytes

from collectors import FeedFetcher, FeedProbe, FeedState, FetchResult, FetchSettings
from collectors.addresses import Permit, refusal

FEED = fixture_bytes("rss20_agency_en.xml")
ARTICLE = fixture_bytes("article.html")
POLICY_ON = FetchSettings(parse_workers=0, connect_timeout=2, read_timeout=2, total_timeout=5)
POLICY_OFF = FetchSettings(
    parse_workers=0, connect_timeout=2, read_timeout=2, total_timeout=5, allow_private_networks=True
)
METADATA = "http://169.254.169.254/latest/meta-data/"


class FakeDns:
    """A resolver for made-up names; records each lookup so tests can count them."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return self.answers.get(host, [])


def only_127_0_0_1(address: str) -> bool:
    """The test server stands in for a public host; every other private address stays refused."""
    return address == "127.0.0.1"


def run_fetch(
    url: str,
    settings: FetchSettings = POLICY_ON,
    *,
    dns: FakeDns | None = None,
    permit: Permit | None = None,
) -> FetchResult:
    async def go() -> FetchResult:
        async with FeedFetcher(settings, resolver=dns, permit=permit) as fetcher:
            return await fetcher.fetch(FeedState(url=url))

    return asyncio.run(go())


# --- classification --------------------------------------------------------------------------

ADDRESS_CASES = [
    pytest.param("127.0.0.1", "a loopback address", id="v4-loopback"),
    pytest.param("127.8.9.10", "a loopback address", id="v4-loopback-not-.1"),
    pytest.param("::1", "a loopback address", id="v6-loopback"),
    pytest.param("10.1.2.3", "a private address", id="rfc1918-10/8"),
    pytest.param("172.16.5.4", "a private address", id="rfc1918-172.16/12"),
    pytest.param("192.168.1.1", "a private address", id="rfc1918-192.168/16"),
    pytest.param("fc00::1", "a private address", id="v6-ula-fc00"),
    pytest.param("fd12:3456::1", "a private address", id="v6-ula-fd00"),
    pytest.param("169.254.169.254", "a link-local address", id="cloud-metadata"),
    pytest.param("fe80::1", "a link-local address", id="v6-link-local"),
    pytest.param("0.0.0.0", "an unspecified address", id="v4-unspecified"),
    pytest.param("::", "an unspecified address", id="v6-unspecified"),
    pytest.param("224.0.0.1", "a multicast address", id="v4-multicast"),
    pytest.param("ff02::1", "a multicast address", id="v6-multicast"),
    pytest.param("240.0.0.1", "a reserved address", id="v4-reserved-240/4"),
    pytest.param("100.64.0.1", "a shared (CGNAT) address", id="cgnat-100.64/10"),
    pytest.param("100.127.255.254", "a shared (CGNAT) address", id="cgnat-top"),
    pytest.param("192.0.2.7", "a private address", id="documentation-test-net"),
    pytest.param("::ffff:10.0.0.1", "a private address", id="v4-mapped-private"),
    pytest.param("::ffff:127.0.0.1", "a loopback address", id="v4-mapped-loopback"),
    pytest.param("::ffff:169.254.169.254", "a link-local address", id="v4-mapped-metadata"),
    pytest.param("2002:a00:1::", "a private address", id="6to4-wrapping-10/8"),
    pytest.param("64:ff9b::a9fe:a9fe", "a link-local address", id="nat64-wrapping-metadata"),
    pytest.param("93.184.216.34", None, id="public-v4"),
    pytest.param("100.128.0.1", None, id="just-above-cgnat"),
    pytest.param("2606:4700::1111", None, id="public-v6"),
    pytest.param("::ffff:93.184.216.34", None, id="v4-mapped-public"),
    pytest.param("64:ff9b::5db8:d822", None, id="nat64-wrapping-public"),
]


@pytest.mark.parametrize(("address", "why"), ADDRESS_CASES)
def test_address_classification(address: str, why: str | None) -> None:
    assert refusal(address) == why


# --- names are vetted after resolution, before any connection --------------------------------


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        pytest.param(["10.0.0.5"], "10.0.0.5, a private address", id="private"),
        pytest.param(["169.254.169.254"], "169.254.169.254, a link-local", id="metadata"),
        pytest.param(["::ffff:192.168.0.9"], "a private address", id="v4-mapped-private"),
        pytest.param(["127.0.0.1", "10.0.0.5"], "10.0.0.5, a private", id="one-bad-answer-of-two"),
    ],
)
def test_name_resolving_to_a_private_address_is_refused_before_connecting(
    connections: list[str], answers: list[str], shown: str
) -> None:
    dns = FakeDns({"feeds.example.org": answers})
    result = run_fetch("http://feeds.example.org/rss", dns=dns, permit=only_127_0_0_1)
    assert (result.status, result.error_kind, result.http_status) == ("error", "blocked", None)
    assert result.error_message is not None
    assert result.error_message.startswith(f"Refused: feeds.example.org resolves to {answers[-1]}")
    assert (
        shown in result.error_message and "collector.allow_private_networks" in result.error_message
    )
    assert result.consecutive_failures == 1 and result.new_url is None
    assert connections == [] and dns.lookups == ["feeds.example.org"]


@pytest.mark.parametrize(
    ("settings", "status"),
    [
        pytest.param(POLICY_ON, "error", id="policy-on"),
        pytest.param(POLICY_OFF, "ok", id="setting"),
    ],
)
def test_fake_public_name_on_loopback_needs_the_setting(
    feed_server: FeedServer, connections: list[str], settings: FetchSettings, status: str
) -> None:
    feed_server.route("/rss", Reply(body=FEED))
    dns = FakeDns({"news.example.com": ["127.0.0.1"]})
    result = run_fetch(f"http://news.example.com:{feed_server.port}/rss", settings, dns=dns)
    assert result.status == status
    if status == "ok":
        assert len(result.entries) == 3
        # connected to the vetted address, not to the name: no second lookup could rebind it
        assert connections == ["127.0.0.1"] and dns.lookups == ["news.example.com"]
        assert feed_server.hits("/rss")[0].headers["host"] == f"news.example.com:{feed_server.port}"
    else:
        assert result.error_kind == "blocked" and connections == []
        assert "resolves to 127.0.0.1, a loopback address" in (result.error_message or "")


def test_literal_loopback_is_refused_without_the_setting(
    feed_server: FeedServer, connections: list[str]
) -> None:
    url = feed_server.route("/rss", Reply(body=FEED))
    result = run_fetch(url)
    assert result.error_kind == "blocked" and connections == [] and feed_server.requests == []
    assert "the URL points to 127.0.0.1, a loopback address" in (result.error_message or "")


def test_each_vetted_address_is_tried_in_turn(feed_server: FeedServer) -> None:
    feed_server.route("/rss", Reply(body=FEED))
    # nothing listens on 127.0.0.2 at this port: the fetch falls back to the next vetted answer
    dns = FakeDns({"news.example.com": ["127.0.0.2", "127.0.0.1"]})
    result = run_fetch(f"http://news.example.com:{feed_server.port}/rss", POLICY_OFF, dns=dns)
    assert result.status == "ok"


def test_a_name_without_address_is_a_connect_error() -> None:
    result = run_fetch("http://nowhere.example/rss", dns=FakeDns({}))
    assert result.error_kind == "connect"
    assert "nowhere.example: the name does not resolve" in (result.error_message or "")


# --- every redirect hop is vetted; a refused hop never moves the stored URL -----------------

REDIRECT_CASES = [
    pytest.param(
        301, "http://127.0.0.2:{port}/rss", "127.0.0.2, a loopback", id="301-other-loopback"
    ),
    pytest.param(
        302, "http://127.0.0.2:{port}/rss", "127.0.0.2, a loopback", id="302-other-loopback"
    ),
    pytest.param(308, "http://[::1]:{port}/rss", "::1, a loopback", id="308-v6-loopback"),
    pytest.param(302, METADATA, "169.254.169.254, a link-local", id="302-cloud-metadata"),
    pytest.param(301, METADATA, "169.254.169.254, a link-local", id="301-cloud-metadata"),
    pytest.param(
        301,
        "http://intranet.example/rss",
        "intranet.example, which resolves to 10.1.1.1",
        id="301-name-resolving-private",
    ),
    pytest.param(302, "file:///etc/passwd", "not a web address", id="302-file-scheme"),
    pytest.param(301, "http://u:secret@news.example.com/", "credentials", id="301-credentials"),
]


@pytest.mark.parametrize(("code", "target", "shown"), REDIRECT_CASES)
def test_redirect_to_a_refused_address_is_not_followed(
    feed_server: FeedServer, connections: list[str], code: int, target: str, shown: str
) -> None:
    target = target.format(port=feed_server.port)
    url = feed_server.route("/feed", Reply(code, headers={"Location": target}))
    feed_server.route("/rss", Reply(body=FEED))
    dns = FakeDns({"intranet.example": ["10.1.1.1"]})
    result = run_fetch(url, dns=dns, permit=only_127_0_0_1)
    assert (result.status, result.error_kind) == ("error", "blocked")
    assert shown in (result.error_message or "") and "secret" not in (result.error_message or "")
    # the feed keeps its URL: a permanent redirect moves it only to a vetted target
    assert result.url == url and result.new_url is None
    assert [seen.path for seen in feed_server.requests] == ["/feed"]
    assert set(connections) == {"127.0.0.1"}


def test_permanent_redirect_to_a_vetted_target_still_moves_the_feed(
    feed_server: FeedServer,
) -> None:
    url = feed_server.route("/old", Reply(301, headers={"Location": "/new"}))
    feed_server.route("/new", Reply(body=FEED))
    result = run_fetch(url, permit=only_127_0_0_1)
    assert result.status == "ok" and result.new_url == feed_server.url("/new")


# --- URLs refused before any lookup ----------------------------------------------------------

URL_CASES = [
    pytest.param("ftp://news.example.com/rss", "not a web address", id="ftp"),
    pytest.param("file:///etc/passwd", "not a web address", id="file"),
    pytest.param("http://reader:hunter2@news.example.com/rss", "credentials", id="user-password"),
    pytest.param("https://token@news.example.com/rss", "credentials", id="user-only"),
]


@pytest.mark.parametrize(("url", "shown"), URL_CASES)
def test_urls_refused_before_any_lookup(connections: list[str], url: str, shown: str) -> None:
    dns = FakeDns({"news.example.com": ["93.184.216.34"]})
    result = run_fetch(url, dns=dns)
    assert result.error_kind == "blocked" and shown in (result.error_message or "")
    assert "hunter2" not in (result.error_message or "")
    assert dns.lookups == [] and connections == []


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        pytest.param("http://feeds.example.org/rss", "10.0.0.5, a private", id="private-name"),
        pytest.param("http://10.9.9.9/rss", "10.9.9.9, a private", id="private-literal"),
        pytest.param("http://user:pw@news.example.com/", "credentials", id="credentials"),
        pytest.param("http://nowhere.example/", "does not resolve", id="no-address"),
        pytest.param("http://news.example.com/rss", None, id="public"),
    ],
)
def test_refusal_without_fetching(connections: list[str], url: str, refused: str | None) -> None:
    dns = FakeDns({"feeds.example.org": ["10.0.0.5"], "news.example.com": ["93.184.216.34"]})
    why = asyncio.run(FeedFetcher(POLICY_ON, resolver=dns).refusal(url))
    assert (why is None) if refused is None else (why is not None and refused in why)
    assert connections == []


# --- full text goes through the same path ----------------------------------------------------


@pytest.mark.parametrize(
    ("link", "text"),
    [
        pytest.param("http://127.0.0.1:{port}/article", True, id="vetted-article"),
        pytest.param("http://intranet.example:{port}/article", False, id="name-resolving-private"),
        pytest.param("http://127.0.0.1:{port}/to-metadata", False, id="redirect-to-metadata"),
        pytest.param("http://127.0.0.2:{port}/article", False, id="other-loopback"),
    ],
)
def test_full_text_link_to_a_private_address_is_refused(
    feed_server: FeedServer, connections: list[str], link: str, text: bool
) -> None:
    feed_server.route("/article", Reply(body=ARTICLE))
    feed_server.route("/to-metadata", Reply(302, headers={"Location": METADATA}))
    dns = FakeDns({"intranet.example": ["10.1.1.1"]})

    async def go() -> str | None:
        async with FeedFetcher(POLICY_ON, resolver=dns, permit=only_127_0_0_1) as fetcher:
            return await fetcher.fetch_full_text(link.format(port=feed_server.port))

    found = asyncio.run(go())
    assert (found is not None and "eight documents were signed" in found) if text else found is None
    assert set(connections) <= {"127.0.0.1"}


# --- the probe the web UI's check uses -------------------------------------------------------


def test_probe_reports_where_the_redirects_led(feed_server: FeedServer) -> None:
    url = feed_server.route("/a", Reply(302, headers={"Location": "/b"}))
    feed_server.route("/b", Reply(301, headers={"Location": "/rss"}))
    feed_server.route("/rss", Reply(body=FEED))

    async def go() -> FeedProbe:
        async with FeedFetcher(POLICY_OFF) as fetcher:
            return await fetcher.probe(url)

    probe = asyncio.run(go())
    assert probe.final_url == feed_server.url("/rss") and probe.error is None
    assert probe.redirects == (feed_server.url("/b"), feed_server.url("/rss"))
    assert probe.result.status == "ok" and len(probe.result.entries) == 3
