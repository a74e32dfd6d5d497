"""Exports: CSV and JSON of filtered items, and the Atom feed of confirmed events."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App
from summitwatch.storage import reviews as review_store

from .conftest import SCRIPT_TITLE, add_stories

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"kz-tj", "uz-cn", "kg-ru", "tm-tr"}),
        ("view=all&lang=ru", {"kg-ru"}),
        ("view=confirmed", {"kz-tj"}),
        ("view=rejected", {"wheat"}),
    ],
    ids=["flagged-default", "filtered", "confirmed", "rejected"],
)
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_exports_follow_the_filter(
    client: TestClient,
    application: App,
    stories: dict[str, int],
    query: str,
    expected: set[str],
    kind: str,
) -> None:
    review_store.add_review(application.db, stories["kz-tj"], "confirm", reviewer="t")
    review_store.add_review(application.db, stories["wheat"], "reject", reviewer="t")
    response = client.get(f"/export/items.{kind}?{query}")
    assert response.status_code == 200
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
    else:
        rows = json.loads(response.text)
    by_id = {str(v): k for k, v in stories.items()}
    assert {by_id[str(r["id"])] for r in rows} == expected


def test_csv_cells_cannot_become_formulas(client: TestClient, application: App) -> None:
    add_stories(
        application,
        [
            (
                "f",
                '=HYPERLINK("http://evil") Tokayev visits Bishkek',
                "President Tokayev held talks with President Japarov in Bishkek on a state visit.",
                "en",
                1,
            )
        ],
        feed="https://f/rss",
    )
    rows = list(csv.DictReader(io.StringIO(client.get("/export/items.csv?view=all").text)))
    assert rows[0]["title"].startswith("'=HYPERLINK")


def test_atom_feed_of_confirmed_events(
    client: TestClient, application: App, stories: dict[str, int]
) -> None:
    ids = add_stories(
        application,
        [
            (
                "x",
                SCRIPT_TITLE,
                "President Tokayev held talks with President Mirziyoyev in Tashkent.",
                "en",
                1,
            )
        ],
        feed="https://x/rss",
    )
    for item in (stories["kz-tj"], ids["x"]):
        review_store.add_review(application.db, item, "confirm", reviewer="t")
    response = client.get("/feeds/confirmed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]
    assert len(titles) == 2
    assert any(t.startswith("KZ – TJ") for t in titles)
    assert all("<script" not in t for t in titles)  # feed markup is reduced to text
