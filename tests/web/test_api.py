"""The JSON API in process: every operation, its status codes and its validation errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App
from summitwatch.storage import catalog
from summitwatch.storage import items as item_store

from .conftest import csrf_token


def writer(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_token(client)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("view=queue", {"kz-tj", "uz-cn", "kg-ru", "tm-tr"}),
        ("view=all", {"kz-tj", "uz-cn", "kg-ru", "tm-tr", "min", "wheat"}),
        ("view=all&country=TJ", {"kz-tj"}),
        ("view=all&country=KZ&partner=TJ", {"kz-tj"}),
        ("view=all&partner=CN", {"uz-cn"}),
        ("view=all&lang=ru", {"kg-ru"}),
        ("view=all&q=ankara", {"tm-tr"}),
        ("view=all&min_score=0.5&max_score=1", {"kz-tj", "uz-cn", "kg-ru", "tm-tr"}),
        ("view=all&max_score=0.1", {"min", "wheat"}),
        ("view=all&status=unknown", {"wheat"}),
        ("view=queue&q=100%25", set()),
    ],
    ids=[
        "queue",
        "all",
        "country",
        "country-partner",
        "partner-only",
        "language",
        "search",
        "score-range",
        "low-scores",
        "status",
        "percent-is-literal",
    ],
)
def test_item_filters(
    client: TestClient, stories: dict[str, int], query: str, expected: set[str]
) -> None:
    response = client.get(f"/api/items?{query}")
    assert response.status_code == 200
    by_id = {v: k for k, v in stories.items()}
    assert {by_id[i["id"]] for i in response.json()["items"]} == expected


def test_items_are_newest_first_and_paginate(client: TestClient, stories: dict[str, int]) -> None:
    seen, cursor = [], ""
    for _ in range(10):
        body = client.get(f"/api/items?view=all&limit=4&cursor={cursor}").json()
        seen += [i["id"] for i in body["items"]]
        if body["next_cursor"] is None:
            break
        cursor = body["next_cursor"]
    order = ["kz-tj", "uz-cn", "kg-ru", "tm-tr", "min", "wheat"]  # by hours ago
    assert seen == [stories[k] for k in order]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("view=nope", "view = 'nope'"),
        ("country=KZZ", "did you mean KZ"),
        ("min_score=2", "min_score = '2'"),
        ("from=yesterday", "from = 'yesterday'"),
        ("status=maybe", "status = 'maybe'"),
        ("feed=abc", "feed = 'abc'"),
        ("cursor=!!!", "cursor"),
        ("limit=0", "limit = 0"),
    ],
    ids=["view", "country", "score", "date", "status", "feed", "cursor", "limit"],
)
def test_bad_filters_are_400_with_a_clear_message(
    client: TestClient, query: str, message: str
) -> None:
    response = client.get(f"/api/items?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_events_group_the_page(client: TestClient, application: App) -> None:
    from .conftest import add_stories

    ids = add_stories(
        application,
        [
            (
                "a1",
                "Tokayev and Rahmon hold talks in Astana",
                "President Tokayev of Kazakhstan received President Rahmon of Tajikistan in "
                "Astana for a state visit; the two leaders held talks.",
                "en",
                1,
            ),
            (
                "a2",
                "Токаев и Рахмон провели переговоры в Астане",
                "Президент Казахстана Касым-Жомарт Токаев провел переговоры с президентом "
                "Таджикистана Эмомали Рахмоном в Астане в ходе государственного визита.",
                "ru",
                3,
            ),
        ],
    )
    events = client.get("/api/events?view=queue").json()["events"]
    together = [e for e in events if set(e["item_ids"]) == {ids["a1"], ids["a2"]}]
    assert len(together) == 1 and together[0]["countries"] == ["KZ", "TJ"]


def test_item_detail_verdicts_and_reviews(client: TestClient, stories: dict[str, int]) -> None:
    item = stories["kz-tj"]
    headers = writer(client)
    made = client.post(
        f"/api/items/{item}/reviews",
        json={"decision": "confirm", "note": "state visit"},
        headers=headers,
    )
    assert made.status_code == 201
    assert made.json()["reviewer"] == "local" and made.json()["note"] == "state visit"
    detail = client.get(f"/api/items/{item}").json()
    assert detail["item"]["review_state"] == "confirmed"
    assert [v["model_version"] for v in detail["verdicts"]] == [detail["item"]["model_version"]]
    assert client.get(f"/api/items/{item}/verdicts").json()[0]["label"] is True
    assert client.get(f"/api/items/{item}/reviews").json()[0]["decision"] == "confirm"
    queue_ids = [i["id"] for i in client.get("/api/items?view=queue").json()["items"]]
    assert item not in queue_ids


def test_undo_last_and_undo_item(client: TestClient, stories: dict[str, int]) -> None:
    headers = writer(client)
    client.post(
        f"/api/items/{stories['uz-cn']}/reviews", json={"decision": "reject"}, headers=headers
    )
    undone = client.post("/api/reviews/undo-last", headers=headers).json()
    assert undone == {"undone": True, "item_id": stories["uz-cn"]}
    assert client.post("/api/reviews/undo-last", headers=headers).json()["undone"] is False
    client.post(
        f"/api/items/{stories['uz-cn']}/reviews", json={"decision": "confirm"}, headers=headers
    )
    assert (
        client.post(f"/api/items/{stories['uz-cn']}/reviews/undo", headers=headers).json()["undone"]
        is True
    )
    assert client.get(f"/api/items/{stories['uz-cn']}").json()["item"]["review_state"] is None


def test_event_review_confirms_every_item(client: TestClient, stories: dict[str, int]) -> None:
    ids = [stories["kz-tj"], stories["kg-ru"]]
    response = client.post(
        "/api/events/reviews", json={"item_ids": ids, "decision": "confirm"}, headers=writer(client)
    )
    assert response.status_code == 201 and len(response.json()) == 2
    assert all(
        client.get(f"/api/items/{i}").json()["item"]["review_state"] == "confirmed" for i in ids
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/items/999999", None, 404),
        ("get", "/api/items/999999/verdicts", None, 404),
        ("get", "/api/items/999999/reviews", None, 404),
        ("post", "/api/items/999999/reviews", {"decision": "confirm"}, 404),
        ("post", "/api/items/999999/reviews/undo", None, 404),
        ("post", "/api/items/{kz}/reviews", {"decision": "maybe"}, 422),
        ("post", "/api/items/{kz}/reviews", {"decision": "confirm", "note": "x" * 2001}, 422),
        ("post", "/api/events/reviews", {"item_ids": [], "decision": "confirm"}, 422),
        ("post", "/api/events/reviews", {"item_ids": [999999], "decision": "confirm"}, 404),
        ("delete", "/api/feeds/999999", None, 404),
        ("delete", "/api/recipients/nobody@example.org", None, 404),
        ("put", "/api/countries/XX", None, 400),
        ("post", "/api/model/activate/sw-none", None, 404),
    ],
    ids=[
        "item",
        "verdicts",
        "reviews",
        "review-missing",
        "undo-missing",
        "bad-decision",
        "long-note",
        "empty-event",
        "event-missing",
        "feed-missing",
        "recipient-missing",
        "bad-country",
        "no-candidate",
    ],
)
def test_errors(
    client: TestClient, stories: dict[str, int], method: str, path: str, body: object, status: int
) -> None:
    headers = writer(client)
    url = path.format(kz=stories["kz-tj"])
    response = client.request(method.upper(), url, json=body, headers=headers)
    assert response.status_code == status, response.text


def test_countries_watch_unwatch_and_search(client: TestClient, application: App) -> None:
    headers = writer(client)
    added = client.put("/api/countries/az", headers=headers)
    assert added.status_code == 200 and added.json() == {
        "code": "AZ",
        "name": "Azerbaijan",
        "watched": True,
    }
    assert "AZ" in application.watched
    assert {"code": "AZ", "name": "Azerbaïdjan", "watched": True} in client.get(
        "/api/countries?lang=fr"
    ).json()
    client.delete("/api/countries/AZ", headers=headers)
    assert "AZ" not in application.watched
    found = client.get("/api/countries/search?q=Казахстан").json()
    assert found[0]["code"] == "KZ" and found[0]["watched"] is True


def test_recipients_create_update_remove(client: TestClient, application: App) -> None:
    headers = writer(client)
    body = {
        "email": "desk@example.org",
        "countries": ["uz", "TJ"],
        "schedule": "daily 08:00",
        "timezone": "Asia/Tashkent",
        "lang": "fr",
    }
    saved = client.post("/api/recipients", json=body, headers=headers)
    assert saved.status_code == 200 and saved.json()["countries"] == ["UZ", "TJ"]
    client.post("/api/recipients", json={**body, "schedule": "immediate"}, headers=headers)
    [stored] = catalog.list_recipients(application.db)
    assert stored.schedule == "immediate" and stored.timezone == "Asia/Tashkent"
    assert client.delete("/api/recipients/desk@example.org", headers=headers).status_code == 204
    assert catalog.list_recipients(application.db) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-address"}, "recipient.email"),
        ({"timezone": "Mars/Olympus"}, "recipient.timezone"),
        ({"schedule": "every full moon"}, "recipient.schedule"),
        ({"lang": "xx"}, "recipient.lang"),
        ({"min_score": 3}, "recipient.min_score"),
        ({"countries": ["KZZ"]}, "did you mean KZ"),
    ],
    ids=["email", "timezone", "schedule", "lang", "min-score", "country"],
)
def test_recipient_validation(
    client: TestClient, application: App, change: dict[str, object], message: str
) -> None:
    body = {"email": "desk@example.org", **change}
    response = client.post("/api/recipients", json=body, headers=writer(client))
    assert response.status_code == 400 and message in response.json()["detail"]
    assert catalog.list_recipients(application.db) == []


def test_feed_list_and_remove(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    [feed] = client.get("/api/feeds").json()
    assert feed["name"] == "Example News"
    assert client.delete(f"/api/feeds/{feed['id']}", headers=writer(client)).status_code == 204
    assert catalog.list_feeds(application.db) == []
    assert item_store.get_item(application.db, stories["kz-tj"]) is not None  # items stay


def test_model_info_and_job_state(client: TestClient) -> None:
    info = client.get("/api/model").json()
    assert info["version"].startswith("sw-") and info["reviews_since_training"] == 0
    assert info["job"] is None
    assert client.get("/api/model/job").json() == {"started": False, "job": None}


def test_openapi_documents_every_operation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/items",
        "/api/items/{item_id}/reviews",
        "/api/feeds",
        "/api/countries",
        "/api/recipients",
        "/api/model/retrain",
        "/export/items.csv",
    ):
        assert path in paths
    page = client.get("/api-docs")
    assert page.status_code == 200 and "/api/events/reviews" in page.text
