"""Reviews teach the classifier: reject a pattern the seed model flags, retrain from the model
page's API, compare, activate, and watch the verdicts change. Trains one real model."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App

from .conftest import add_stories, csrf_token

# leaders' spouses meeting: the seed model mistakes it for a bilateral visit
PAIRS = [
    ("Tokayev", "Kazakhstan", "Mirziyoyev", "Tashkent"),
    ("Mirziyoyev", "Uzbekistan", "Rahmon", "Dushanbe"),
    ("Japarov", "Kyrgyzstan", "Tokayev", "Astana"),
    ("Rahmon", "Tajikistan", "Japarov", "Bishkek"),
    ("Berdimuhamedov", "Turkmenistan", "Tokayev", "Astana"),
    ("Tokayev", "Kazakhstan", "Japarov", "Bishkek"),
    ("Mirziyoyev", "Uzbekistan", "Berdimuhamedov", "Ashgabat"),
    ("Japarov", "Kyrgyzstan", "Mirziyoyev", "Tashkent"),
]


def spouse_story(n: int, a: str, country: str, b: str, city: str) -> tuple[str, str, str, str, int]:
    return (
        f"spouse-{n}",
        f"Spouse of President {a} visits {city}",
        f"The spouse of President {a} of {country} visited {city} and met the wife of "
        f"President {b} at a charity fair for children's hospitals.",
        "en",
        n + 1,
    )


def wait_job(client: TestClient, timeout: float = 240) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get("/api/model/job").json()["job"]
        if job and not job["running"]:
            assert job["error"] is None, job["error"]
            return dict(job)
        assert time.monotonic() < deadline, "model job did not finish"
        time.sleep(0.5)


@pytest.mark.slow
def test_reviews_retrain_and_change_the_verdict(client: TestClient, application: App) -> None:
    ids = add_stories(application, [spouse_story(n, *p) for n, p in enumerate(PAIRS)])
    reviewed, held_out = list(ids.values())[:6], list(ids.values())[6:]
    before = {i: client.get(f"/api/items/{i}").json()["item"] for i in ids.values()}
    assert all(item["flagged"] for item in before.values()), "the seed model should flag these"

    headers = {"X-CSRF-Token": csrf_token(client)}
    for item in reviewed:
        assert (
            client.post(
                f"/api/items/{item}/reviews",
                json={"decision": "reject", "note": "spouses, not leaders"},
                headers=headers,
            ).status_code
            == 201
        )
    assert client.get("/api/model").json()["reviews_since_training"] == 6

    assert client.post("/api/model/retrain", headers=headers).status_code == 202
    assert client.post("/api/model/retrain", headers=headers).status_code == 409  # one at a time
    trained = wait_job(client)
    assert trained["new_eval"]["f1"] is not None  # type: ignore[index]
    page = client.get("/model").text
    assert f"New model <code>{trained['version']}</code> waits for activation" in page
    assert 'id="comparison"' in page
    assert client.get("/api/model").json()["version"] == before[reviewed[0]]["model_version"]

    assert (
        client.post(f"/api/model/activate/{trained['version']}", headers=headers).status_code == 202
    )
    activated = wait_job(client)
    assert int(str(activated["rescored"])) >= len(ids)
    assert client.get("/api/model").json()["version"] == trained["version"]

    for item in reviewed:
        detail = client.get(f"/api/items/{item}").json()
        assert detail["item"]["model_version"] == trained["version"]
        assert detail["item"]["flagged"] is False
        assert [v["label"] for v in detail["verdicts"]] == [True, False]
    for item in held_out:
        after = client.get(f"/api/items/{item}").json()["item"]
        assert after["score"] < before[item]["score"] - 0.2
