"""Adding feeds through the UI: the address policy on every hop, and the live check, against a
real HTTP server on 127.0.0.1. The check is the collector's own poll (``FeedFetcher.probe``),
so a body the collector's parser rejects is rejected here, and the size cap holds; polling a
stored feed goes through the same policy, and a refused redirect never moves the stored URL.
The address classification itself is tested in tests/collectors/test_address_policy.py."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpcore
import pytest
from fastapi.testclient import TestClient

from collectors import FeedFetcher, FetchResult
from summitwatch import pipeline
from summitwatch.app import App
from summitwatch.storage import catalog
from summitwatch.web.feedcheck import check_settings
from summitwatch.web.server import create_app

from .conftest import BASE, csrf_token, make_app

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Dushanbe Wire</title><language>ru</language>
<item><title>One</title><link>https://example.org/1</link><guid>https://example.org/1</guid></item>
<item><title>Two</title><link>https://example.org/2</link><guid>https://example.org/2</guid></item>
</channel></rss>"""
# A body that is a path to a feed on this machine: feedparser given bytes opens such a path.
LOCAL_FEED = Path(__file__).parents[1] / "collectors" / "fixtures" / "rss20_agency_en.xml"


def _bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


BOMB = _bomb(64)  # 64 MB of zeros in about 64 KB of gzip; the cap is collector.max_body_mb


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    redirects: ClassVar[dict[str, str]] = {
        "/moved": "/rss",
        "/to-private": "http://10.20.30.40/rss",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-ipv6-loopback": "http://[::1]/rss",
        "/to-ftp": "ftp://example.org/rss",
        "/loop": "/loop",
        **{f"/hop{n}": f"/hop{n + 1}" for n in range(6)},
        "/moved-to-private": "http://10.20.30.40/rss",
        "/moved-permanently": "/rss",
    }

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        if self.path in self.redirects:
            self.send_response(301 if self.path.startswith("/moved-") else 302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        body, kind, status = {
            "/rss": (RSS, "application/rss+xml", 200),
            "/page": (b"<html><body>Hello</body></html>", "text/html", 200),
            "/names-a-file": (str(LOCAL_FEED).encode(), "text/plain", 200),
            "/bomb": (BOMB, "application/rss+xml", 200),
        }.get(self.path, (b"missing", "text/plain", 404))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if self.path == "/bomb":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:
        # the collector hangs up on an oversized body (the bomb) mid-write
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def only_our_server(address: str) -> bool:
    """Our test server stands in for a public host; every other private address stays refused."""
    return address == "127.0.0.1"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if the collector so much as tries to connect beyond loopback."""
    stray: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def guarded(
        self: httpcore.AnyIOBackend, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        if not ipaddress.ip_address(host).is_loopback:
            stray.append(host)
            raise httpcore.ConnectError(f"test guard: no connections to {host}")
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", guarded)
    yield
    assert stray == []


@pytest.fixture
def open_client(application: App) -> Iterator[TestClient]:
    web = create_app(application, feed_check_options={"permit": only_our_server})
    with TestClient(web, base_url=BASE) as c:
        yield c


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_feed_is_refused_before_any_request(
    client: TestClient, application: App, server: str, host: str
) -> None:
    Handler.hits.clear()
    url = server.replace("127.0.0.1", host) + "/rss"
    response = client.post(
        "/api/feeds", json={"url": url}, headers={"X-CSRF-Token": csrf_token(client)}
    )
    assert response.status_code == 400
    assert "loopback" in response.json()["detail"]
    assert Handler.hits == [] and catalog.list_feeds(application.db) == []


def test_skip_check_does_not_skip_the_address_policy(
    client: TestClient, application: App, server: str
) -> None:
    response = client.post(
        "/api/feeds",
        json={"url": server + "/page", "skip_check": True},
        headers={"X-CSRF-Token": csrf_token(client)},
    )
    assert response.status_code == 400 and catalog.list_feeds(application.db) == []


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/rss", 201, None),
        ("/moved", 201, None),
        ("/to-private", 400, "10.20.30.40, a private address"),
        ("/to-metadata", 400, "169.254.169.254, a link-local address"),
        ("/to-ipv6-loopback", 400, "::1, a loopback address"),
        ("/to-ftp", 400, "expected an http:// or https:// URL"),
        ("/loop", 400, "redirect loop"),
        ("/hop0", 400, "more than 5 redirects"),
        ("/page", 400, "no feed found"),
        ("/names-a-file", 400, "no feed found"),
        ("/bomb", 400, "larger than the 10 MB limit"),
        ("/gone", 400, "HTTP 404"),
    ],
    ids=[
        "feed",
        "redirect-ok",
        "redirect-private",
        "redirect-metadata",
        "redirect-v6-loopback",
        "redirect-ftp",
        "redirect-loop",
        "too-many-redirects",
        "not-a-feed",
        "body-naming-a-local-feed-file",
        "gzip-bomb",
        "404",
    ],
)
def test_add_feed_checks_every_hop(
    open_client: TestClient,
    application: App,
    server: str,
    path: str,
    status: int,
    message: str | None,
) -> None:
    response = open_client.post(
        "/api/feeds", json={"url": server + path}, headers={"X-CSRF-Token": csrf_token(open_client)}
    )
    assert response.status_code == status, response.text
    stored = [f.url for f in catalog.list_feeds(application.db)]
    if message is None:
        body = response.json()
        assert body["check"]["entries"] == 2 and body["feed"]["name"] == "Dushanbe Wire"
        assert stored == [server + path]
    else:
        assert message in response.json()["detail"] and stored == []


def test_check_without_storing(open_client: TestClient, application: App, server: str) -> None:
    response = open_client.post(
        "/api/feeds/check",
        json={"url": server + "/moved"},
        headers={"X-CSRF-Token": csrf_token(open_client)},
    )
    assert response.status_code == 200
    assert response.json()["redirects"] == [server + "/rss"]
    assert response.json()["language"] == "ru"
    assert catalog.list_feeds(application.db) == []


def test_setting_allows_private_feeds(tmp_path: Path, model_cache: Path, server: str) -> None:
    application = make_app(tmp_path, model_cache, **{"collector.allow_private_networks": "true"})
    with TestClient(create_app(application), base_url=BASE) as c:
        token = csrf_token(c, "/settings/feeds")
        page = c.post("/settings/feeds", data={"url": server + "/rss", "csrf_token": token})
    assert page.status_code == 200 and "Added" in page.text and "2 entries" in page.text
    assert [f.name for f in catalog.list_feeds(application.db)] == ["Dushanbe Wire"]
    application.close()


def test_feed_form_shows_the_refusal_and_keeps_the_input(client: TestClient, server: str) -> None:
    token = csrf_token(client, "/settings/feeds")
    page = client.post(
        "/settings/feeds", data={"url": server + "/rss", "name": "Mine", "csrf_token": token}
    )
    assert page.status_code == 400 and "loopback" in page.text
    assert f'value="{server}/rss"' in page.text


def test_opml_import_vets_each_url(open_client: TestClient, application: App, server: str) -> None:
    opml = f"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
    <outline text="Tajikistan"><outline type="rss" text="Wire" xmlUrl="{server}/rss"/>
    <outline type="rss" text="Intranet" xmlUrl="http://10.9.9.9/rss"/></outline></body></opml>"""
    token = csrf_token(open_client, "/settings/feeds")
    page = open_client.post(
        "/settings/feeds/import",
        data={"csrf_token": token},
        files={"opml": ("feeds.opml", opml.encode(), "text/xml")},
    )
    assert page.status_code == 200
    assert "2 feeds in the file, 1 added; 1 refused" in page.text
    assert [f.url for f in catalog.list_feeds(application.db)] == [server + "/rss"]
    broken = open_client.post(
        "/settings/feeds/import",
        data={"csrf_token": token},
        files={"opml": ("bad.opml", b"<opml", "text/xml")},
    )
    assert broken.status_code == 400 and "OPML file" in broken.text


# --- polling a stored feed goes through the same policy -------------------------------------


def poll_stored(application: App, url: str) -> tuple[FetchResult, str]:
    """Store ``url`` as a feed, poll it as the application does; (result, stored URL after)."""
    record, _ = catalog.add_feed(application.db, url)
    settings = check_settings(application)

    async def go() -> FetchResult:
        async with FeedFetcher(settings, permit=only_our_server) as fetcher:
            outcome = await pipeline.poll_feed(application, fetcher, record.id)
        assert outcome is not None
        return outcome.result

    result = asyncio.run(go())
    (stored,) = catalog.list_feeds(application.db)
    assert stored.id == record.id
    assert (stored.last_error_kind, stored.last_error) == (result.error_kind, result.error_message)
    return result, stored.url


def test_permanent_redirect_to_a_private_address_keeps_the_stored_url(
    application: App, server: str
) -> None:
    Handler.hits.clear()
    result, stored = poll_stored(application, server + "/moved-to-private")
    assert (result.status, result.error_kind, result.new_url) == ("error", "blocked", None)
    assert "10.20.30.40, a private address" in (result.error_message or "")
    assert stored == server + "/moved-to-private" and Handler.hits == ["/moved-to-private"]


def test_permanent_redirect_to_a_vetted_address_moves_the_stored_url(
    application: App, server: str
) -> None:
    result, stored = poll_stored(application, server + "/moved-permanently")
    assert result.status == "ok" and stored == server + "/rss"


@pytest.mark.parametrize(
    ("allow", "status"),
    [
        pytest.param("false", "error", id="default-refuses"),
        pytest.param("true", "ok", id="setting"),
    ],
)
def test_collect_builds_the_policy_from_the_setting(
    tmp_path: Path, model_cache: Path, server: str, allow: str, status: str
) -> None:
    application = make_app(
        tmp_path,
        model_cache,
        **{"collector.allow_private_networks": allow, "collector.parse_workers": "0"},
    )
    catalog.add_feed(application.db, server + "/rss")
    report = pipeline.collect(application)
    (feed,) = catalog.list_feeds(application.db)
    assert (report.feeds, feed.last_status) == (1, status)
    if status == "error":
        assert feed.last_error_kind == "blocked" and "loopback" in (feed.last_error or "")
    application.close()


async def news_example_on_loopback(host: str, port: int) -> list[str]:
    """DNS for the tests: news.example.com stands on our server; nothing else resolves."""
    return ["127.0.0.1"] if host == "news.example.com" else []


@pytest.mark.parametrize(
    ("options", "status", "message"),
    [
        pytest.param({}, 400, "resolves to 127.0.0.1, a loopback address", id="resolver-only"),
        pytest.param({"permit": only_our_server}, 201, None, id="resolver-and-permit"),
    ],
)
def test_the_check_resolves_through_the_collector(
    application: App, server: str, options: dict[str, Any], status: int, message: str | None
) -> None:
    url = server.replace("127.0.0.1", "news.example.com") + "/rss"
    web = create_app(
        application, feed_check_options={"resolver": news_example_on_loopback, **options}
    )
    with TestClient(web, base_url=BASE) as c:
        response = c.post("/api/feeds", json={"url": url}, headers={"X-CSRF-Token": csrf_token(c)})
    assert response.status_code == status, response.text
    if message is None:
        assert [f.url for f in catalog.list_feeds(application.db)] == [url]
    else:
        assert message in response.json()["detail"]
