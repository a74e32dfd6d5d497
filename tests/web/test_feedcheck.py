"""Adding feeds through the UI: the address policy on every hop, and the live check, against a
real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App
from summitwatch.storage import catalog
from summitwatch.web.feedcheck import refusal
from summitwatch.web.server import create_app

from .conftest import BASE, csrf_token, make_app

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Dushanbe Wire</title><language>ru</language>
<item><title>One</title><link>https://example.org/1</link><guid>https://example.org/1</guid></item>
<item><title>Two</title><link>https://example.org/2</link><guid>https://example.org/2</guid></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    redirects: ClassVar[dict[str, str]] = {
        "/moved": "/rss",
        "/to-private": "http://10.20.30.40/rss",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-ipv6-loopback": "http://[::1]/rss",
        "/to-ftp": "ftp://example.org/rss",
        "/loop": "/loop",
    }

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        body, kind, status = {
            "/rss": (RSS, "application/rss+xml", 200),
            "/page": (b"<html><body>Hello</body></html>", "text/html", 200),
        }.get(self.path, (b"missing", "text/plain", 404))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


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


@pytest.fixture
def open_client(application: App) -> Iterator[TestClient]:
    web = create_app(application, feed_check_options={"permit": only_our_server})
    with TestClient(web, base_url=BASE) as c:
        yield c


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:10.0.0.1", "private"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not a public"),
        ("fc00::1", "private"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
    ids=[
        "v4-loopback",
        "v6-loopback",
        "10/8",
        "192.168/16",
        "172.16/12",
        "metadata",
        "v6-link-local",
        "unspecified",
        "v4-mapped",
        "multicast",
        "cgnat",
        "v6-ula",
        "public-v4",
        "public-v6",
    ],
)
def test_address_policy(address: str, why: str | None) -> None:
    found = refusal(address)
    assert (found is None) if why is None else (found is not None and why in found)


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
        ("/loop", 400, "more than 5 redirects"),
        ("/page", 400, "no feed found"),
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
        "not-a-feed",
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
