"""Security in process: CSRF refusal, login when bound beyond loopback, Host checks, headers,
and feed content that must never become markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from summitwatch.accounts import add_user, verify
from summitwatch.app import App
from summitwatch.storage import items as item_store
from summitwatch.storage import reviews as review_store
from summitwatch.web.server import create_app

from .conftest import BASE, SCRIPT_TITLE, add_stories, csrf_token, make_app

WRITES = [
    ("post", "/api/items/{kz}/reviews", {"json": {"decision": "confirm"}}),
    ("post", "/api/events/reviews", {"json": {"item_ids": ["{kz}"], "decision": "confirm"}}),
    ("post", "/api/reviews/undo-last", {}),
    ("put", "/api/countries/AZ", {}),
    ("delete", "/api/countries/KZ", {}),
    ("post", "/api/recipients", {"json": {"email": "a@example.org"}}),
    ("post", "/api/feeds", {"json": {"url": "https://example.org/rss"}}),
    ("post", "/api/model/retrain", {}),
    ("post", "/items/{kz}/review", {"data": {"decision": "confirm"}}),
    ("post", "/settings/countries", {"data": {"code": "AZ"}}),
    ("post", "/settings/recipients", {"data": {"email": "a@example.org"}}),
    ("post", "/settings/feeds", {"data": {"url": "https://example.org/rss"}}),
    ("post", "/model/retrain", {}),
    ("post", "/logout", {}),
]
WRITE_IDS = [
    "api-review",
    "api-event",
    "api-undo",
    "api-watch",
    "api-unwatch",
    "api-recipient",
    "api-feed",
    "api-retrain",
    "form-review",
    "form-country",
    "form-recipient",
    "form-feed",
    "form-retrain",
    "form-logout",
]


def _fill(value: object, kz: int) -> object:
    """The table's value with the placeholder "{kz}" replaced by a real item id."""
    if value == "{kz}":
        return kz
    if isinstance(value, dict):
        return {k: _fill(v, kz) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, kz) for v in value]
    return value


@pytest.mark.parametrize("token", ["missing", "wrong"])
@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES, ids=WRITE_IDS)
def test_writes_without_the_csrf_token_are_refused(
    client: TestClient,
    application: App,
    stories: dict[str, int],
    method: str,
    path: str,
    kwargs: dict[str, object],
    token: str,
) -> None:
    csrf_token(client)  # a session exists; only the token is absent or wrong
    headers = {"X-CSRF-Token": "forged"} if token == "wrong" else {}
    data = _fill(kwargs, stories["kz-tj"])
    assert isinstance(data, dict)
    response = client.request(
        method.upper(), path.replace("{kz}", str(stories["kz-tj"])), headers=headers, **data
    )
    assert response.status_code == 403
    assert item_store.get_item(application.db, stories["kz-tj"]).review_state is None  # type: ignore[union-attr]
    assert application.watched == ["KG", "KZ", "TJ", "TM", "UZ"]


def test_form_write_with_the_token_in_the_form_works(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    token = csrf_token(client)
    response = client.post(
        f"/items/{stories['kz-tj']}/review",
        follow_redirects=False,
        data={
            "decision": "reject",
            "note": "minister",
            "csrf_token": token,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    [review] = review_store.reviews_for(application.db, stories["kz-tj"])
    assert (review.decision, review.reviewer, review.note) == ("reject", "local", "minister")


def test_cross_origin_write_is_refused_even_with_the_token(
    client: TestClient, stories: dict[str, int]
) -> None:
    token = csrf_token(client)
    response = client.post(
        f"/api/items/{stories['kz-tj']}/reviews",
        json={"decision": "confirm"},
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_a_session_from_another_key_is_not_trusted(application: App) -> None:
    other = TestClient(create_app(application), base_url=BASE)
    token = csrf_token(other)
    mine = TestClient(create_app(application), base_url=BASE)  # random key per process/app
    mine.cookies.update(other.cookies)
    response = mine.put("/api/countries/AZ", headers={"X-CSRF-Token": token})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "rebind.example:8765",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "127.0.0.2.nip.example:8765",
    ],
)
def test_loopback_server_refuses_foreign_host_headers(client: TestClient, host: str) -> None:
    assert client.get("/queue", headers={"Host": host}).status_code == 421


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/queue")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.fixture
def exposed(tmp_path: Path, model_cache: Path) -> App:
    application = make_app(tmp_path, model_cache, **{"web.host": "0.0.0.0"})
    add_user(application.db, "amina", "correct horse battery")
    return application


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/queue", 303),
        ("/items/1", 303),
        ("/settings/feeds", 303),
        ("/model", 303),
        ("/api/items", 401),
        ("/api/countries", 401),
        ("/export/items.csv", 303),
        ("/feeds/confirmed.atom", 404),
        ("/login", 200),
        ("/static/app.js", 200),
        ("/healthz", 200),
    ],
    ids=[
        "queue",
        "item",
        "feeds",
        "model",
        "api-items",
        "api-countries",
        "export",
        "atom",
        "login",
        "static",
        "health",
    ],
)
def test_beyond_loopback_every_page_needs_a_login(exposed: App, path: str, status: int) -> None:
    with TestClient(create_app(exposed), base_url="http://203.0.113.9") as c:
        response = c.get(path, follow_redirects=False)
        assert response.status_code == status
        if status == 303:
            assert response.headers["location"].startswith("/login?next=")


def test_login_records_the_reviewer_and_logout_ends_it(exposed: App) -> None:
    item = add_stories(exposed)["kz-tj"]
    with TestClient(create_app(exposed), base_url="http://203.0.113.9") as c:
        token = csrf_token(c, "/login")
        wrong = c.post("/login", data={"name": "amina", "password": "nope", "csrf_token": token})
        assert wrong.status_code == 401 and "Wrong name or password" in wrong.text
        ok = c.post(
            "/login",
            data={
                "name": "amina",
                "password": "correct horse battery",
                "csrf_token": token,
                "next": "/queue",
            },
            follow_redirects=False,
        )
        assert ok.status_code == 303 and ok.headers["location"] == "/queue"
        assert (
            c.post(
                f"/api/items/{item}/reviews",
                json={"decision": "confirm"},
                headers={"X-CSRF-Token": token},
            ).status_code
            == 403
        )  # token rotated
        fresh = csrf_token(c)
        made = c.post(
            f"/api/items/{item}/reviews",
            json={"decision": "confirm"},
            headers={"X-CSRF-Token": fresh},
        )
        assert made.status_code == 201 and made.json()["reviewer"] == "amina"
        c.post("/logout", data={"csrf_token": fresh})
        assert c.get("/api/items").status_code == 401


def test_atom_feed_opens_with_its_key_beyond_loopback(exposed: App) -> None:
    app = create_app(exposed)
    with TestClient(app, base_url="http://203.0.113.9") as c:
        token = csrf_token(c, "/login")
        c.post(
            "/login",
            data={"name": "amina", "password": "correct horse battery", "csrf_token": token},
        )
        page = c.get("/model").text
        url = re.search(r"(/feeds/confirmed\.atom\?key=\w+)", page)
        assert url is not None
    with TestClient(app, base_url="http://203.0.113.9") as anonymous:
        assert anonymous.get(url.group(1)).status_code == 200
        assert anonymous.get("/feeds/confirmed.atom?key=guess").status_code == 404


@pytest.mark.parametrize(
    ("name", "password", "ok"),
    [
        ("amina", "correct horse battery", True),
        ("amina", "correct horse batter", False),
        ("nobody", "correct horse battery", False),
        ("amina'--", "x", False),
    ],
    ids=["right", "wrong-password", "unknown-user", "odd-name"],
)
def test_verify(exposed: App, name: str, password: str, ok: bool) -> None:
    assert verify(exposed.db, name, password) is ok


def test_add_user_refuses_weak_input(application: App) -> None:
    from summitwatch.settings import SettingsError

    with pytest.raises(SettingsError, match="at least 10"):
        add_user(application.db, "short", "tiny")
    with pytest.raises(SettingsError, match="user name"):
        add_user(application.db, "bad name", "long enough password")


def test_feed_text_is_shown_as_text_never_as_markup(client: TestClient, application: App) -> None:
    ids = add_stories(
        application,
        [
            (
                "xss",
                SCRIPT_TITLE,
                'President Tokayev <b onmouseover="alert(2)">arrived</b> in Tashkent for talks '
                "with President Mirziyoyev. javascript:alert(3)",
                "en",
                1,
            )
        ],
    )
    for path in ("/queue?view=all", f"/items/{ids['xss']}"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert 'onmouseover="alert' not in html
