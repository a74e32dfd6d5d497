"""The server-rendered pages and their forms, in process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App
from summitwatch.storage import catalog
from summitwatch.storage import items as item_store
from summitwatch.storage import reviews as review_store

from .conftest import csrf_token


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/queue", "https://news.example.org/kz-tj"),
        ("/near", "Nothing to show"),
        ("/queue?view=all&country=TM", "https://news.example.org/tm-tr"),
        ("/queue?view=all&q=wheat", "https://news.example.org/wheat"),
        ("/settings/countries", "Kazakhstan"),
        ("/settings/countries?q=ouzb&lang=fr", "Ouzbékistan"),
        ("/settings/recipients", "No recipients"),
        ("/settings/feeds", "Example News"),
        ("/model", "Retrain from seeds and reviews"),
        ("/api-docs", "/api/items"),
    ],
    ids=[
        "queue",
        "near",
        "country-filter",
        "search",
        "countries",
        "country-search-fr",
        "recipients",
        "feeds",
        "model",
        "api-docs",
    ],
)
def test_pages_render(client: TestClient, stories: dict[str, int], path: str, needle: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert needle in response.text


def test_queue_hides_other_views_items(client: TestClient, stories: dict[str, int]) -> None:
    html = client.get("/queue").text
    assert "https://news.example.org/wheat" not in html
    assert "Keys:" in html and "<kbd>y</kbd> confirm" in html


def test_queue_highlights_the_evidence(client: TestClient, stories: dict[str, int]) -> None:
    html = client.get("/queue").text
    assert '<mark class="ev ev-leader" title="leader: KZ">Tokayev</mark>' in html


def test_item_page_shows_verdicts_and_reviews(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    item = stories["kg-ru"]
    review_store.add_review(application.db, item, "confirm", reviewer="amina", note="good catch")
    html = client.get(f"/items/{item}").text
    assert "Жапаров" in html and "amina" in html and "good catch" in html
    assert item_store.get_item(application.db, item).model_version in html  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/items/999999", 404),
        ("/queue?view=zzz", 400),
        ("/queue?cursor=zz", 400),
        ("/nowhere", 404),
    ],
    ids=["missing-item", "bad-view", "bad-cursor", "unknown-path"],
)
def test_page_errors_render_as_html(client: TestClient, path: str, status: int) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert 'class="error"' in response.text


def test_review_and_undo_forms(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    token = csrf_token(client)
    item = stories["tm-tr"]
    client.post(
        f"/items/{item}/review", data={"decision": "confirm", "csrf_token": token, "next": "/near"}
    )
    assert item_store.get_item(application.db, item).review_state == "confirmed"  # type: ignore[union-attr]
    client.post(f"/items/{item}/undo", data={"csrf_token": token})
    assert item_store.get_item(application.db, item).review_state is None  # type: ignore[union-attr]
    bad = client.post(f"/items/{item}/review", data={"decision": "perhaps", "csrf_token": token})
    assert bad.status_code == 400


def test_event_form_reviews_all_items(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    token = csrf_token(client)
    ids = [stories["kz-tj"], stories["uz-cn"]]
    client.post("/events/review", data={"decision": "reject", "item_ids": ids, "csrf_token": token})
    assert {item_store.get_item(application.db, i).review_state for i in ids} == {"rejected"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("code", "action", "status", "watched_after"),
    [("az", "add", 303, True), ("KZ", "remove", 303, False), ("KZZ", "add", 400, None)],
    ids=["add", "remove", "unknown-code"],
)
def test_country_form(
    client: TestClient,
    application: App,
    code: str,
    action: str,
    status: int,
    watched_after: bool | None,
) -> None:
    token = csrf_token(client)
    response = client.post(
        "/settings/countries",
        follow_redirects=False,
        data={"code": code, "action": action, "csrf_token": token},
    )
    assert response.status_code == status
    if watched_after is None:
        assert "did you mean KZ" in response.text
        assert application.watched == ["KG", "KZ", "TJ", "TM", "UZ"]
    else:
        assert (code.upper() in application.watched) is watched_after


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        (
            {
                "email": "desk@example.org",
                "countries": "uz tj",
                "schedule": "weekly mon 09:00",
                "timezone": "Asia/Tashkent",
                "lang": "fr",
                "send_empty": "true",
            },
            303,
            None,
        ),
        ({"email": "desk@", "countries": ""}, 400, "recipient.email"),
        ({"email": "desk@example.org", "timezone": "Nowhere/Town"}, 400, "recipient.timezone"),
        ({"email": "desk@example.org", "countries": "UZ, XQ"}, 400, "unknown country code"),
        ({"email": "desk@example.org", "min_score": "high"}, 400, "recipient.min_score"),
    ],
    ids=["valid", "bad-email", "bad-timezone", "bad-country", "bad-score"],
)
def test_recipient_form(
    client: TestClient, application: App, form: dict[str, str], status: int, message: str | None
) -> None:
    token = csrf_token(client)
    response = client.post(
        "/settings/recipients", follow_redirects=False, data={**form, "csrf_token": token}
    )
    assert response.status_code == status
    stored = catalog.list_recipients(application.db)
    if message is None:
        assert [(r.countries, r.schedule, r.lang, r.send_empty) for r in stored] == [
            (("UZ", "TJ"), "weekly mon 09:00", "fr", True)
        ]
        token = csrf_token(client, "/settings/recipients")
        client.post(
            "/settings/recipients/remove", data={"email": "desk@example.org", "csrf_token": token}
        )
        assert catalog.list_recipients(application.db) == []
    else:
        assert message in response.text and stored == []
        assert form["email"] in response.text  # what the user typed is kept


def test_feed_remove_form(client: TestClient, application: App, stories: dict[str, int]) -> None:
    [feed] = catalog.list_feeds(application.db)
    token = csrf_token(client, "/settings/feeds")
    client.post("/settings/feeds/remove", data={"feed_id": feed.id, "csrf_token": token})
    assert catalog.list_feeds(application.db) == []


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("/near?view=near", "/near?view=near"),
        ("https://evil.example/", "/queue"),
        ("//evil.example/", "/queue"),
        ("/\\evil.example/", "/queue"),
        ("queue", "/queue"),
        ("/x\r\nSet-Cookie: a=b", "/queue"),
        ("", "/queue"),
    ],
    ids=["local", "absolute", "protocol-relative", "backslash", "relative", "crlf", "empty"],
)
def test_redirect_targets_stay_on_the_site(raw: str, target: str) -> None:
    from summitwatch.web.routes_review import local_target

    assert local_target(raw) == target


def test_recipient_edit_form_is_prefilled(client: TestClient, application: App) -> None:
    catalog.upsert_recipient(
        application.db,
        "desk@example.org",
        {"countries": ["UZ"], "schedule": "immediate", "lang": "fr"},
    )
    html = client.get("/settings/recipients?edit=desk@example.org").text
    assert 'value="immediate"' in html and 'value="UZ"' in html
