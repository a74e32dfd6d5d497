"""Text the database cannot take: control characters are stripped at the storage boundary on
SQLite and PostgreSQL alike, and one entry the database refuses costs that entry only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from summitwatch.storage import catalog, ingest
from summitwatch.storage.db import _json_serializer, clean_text, open_database
from summitwatch.storage.models import Feed, Item
from tests.summitwatch.test_storage import entry, result


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        pytest.param("Summit\x00 in Astana", "Summit in Astana", id="nul"),
        pytest.param("a\x01b\x07c\x1fd", "abcd", id="c0-controls"),
        pytest.param("line\tone\nline two\r\n", "line\tone\nline two\r\n", id="tab-newlines-kept"),
        pytest.param("bad \ud800 half", "bad \ufffd half", id="lone-surrogate"),
        pytest.param("Тоқаев — Рахмон", "Тоқаев — Рахмон", id="plain-unicode-untouched"),
    ],
)
def test_clean_text(raw: str, stored: str) -> None:
    assert clean_text(raw) == stored


def test_control_characters_are_stripped_from_every_stored_text(db_url: str) -> None:
    db = open_database(db_url)
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    dirty = entry(
        "https://a.example/1",
        title="Tokayev\x00 meets Rahmon",
        summary="Talks\x0b held",
        authors=("A.\x00 Writer",),
        language="en-x-" + "private" * 5,
    )
    clean = entry("https://a.example/2", title="Second item")
    outcome = result(feed.url, (dirty, clean), feed_title="Feed\x00 A", bozo_message="bad\x00")
    assert len(ingest.apply_fetch_result(db, feed.id, outcome)) == 2
    with db.session() as s:
        titles = sorted(s.scalars(select(Item.title)))
        first = s.scalars(select(Item).where(Item.uid == "https://a.example/1")).one()
        stored_feed = s.get(Feed, feed.id)
        assert stored_feed is not None
        assert (stored_feed.title, stored_feed.bozo_message) == ("Feed A", "bad")
    assert titles == ["Second item", "Tokayev meets Rahmon"]
    assert (first.summary, first.authors, first.language) == (
        "Talks held",
        ["A. Writer"],
        "en-x-privateprivatep",
    )
    db.dispose()


_REFUSE_POISON = {
    "sqlite": [
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON items WHEN NEW.title = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'poison refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
        "IF NEW.title = 'poison' THEN RAISE EXCEPTION 'poison refused'; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON items "
        "FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
    ],
}


def test_one_refused_entry_costs_that_entry_only(db_url: str) -> None:
    """A row the database refuses (here a trigger) is skipped; the feed's other entries and the
    feed's own poll record are stored."""
    db = open_database(db_url)
    with db.engine.begin() as conn:
        for statement in _REFUSE_POISON[db.engine.dialect.name]:
            conn.execute(text(statement))
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    batch = (
        entry("https://a.example/1"),
        entry("https://a.example/2", title="poison"),
        entry("https://a.example/3"),
    )
    new_ids = ingest.apply_fetch_result(db, feed.id, result(feed.url, batch))
    assert len(new_ids) == 2
    with db.session() as s:
        uids = sorted(s.scalars(select(Item.uid)))
        stored_feed = s.get(Feed, feed.id)
        assert stored_feed is not None and stored_feed.items_total == 2
    assert uids == ["https://a.example/1", "https://a.example/3"]
    db.dispose()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param(["A.\x00 Writer"], ["A. Writer"], id="nul-in-list"),
        pytest.param({"reason": "a\x0bb\x0cc"}, {"reason": "abc"}, id="vt-and-ff-in-dict"),
        pytest.param(["tab\tkept\n"], ["tab\tkept\n"], id="tab-newline-kept"),
        pytest.param(["bad \ud800"], ["bad \ufffd"], id="surrogate"),
        pytest.param(["back\\u0000slash"], ["back\\u0000slash"], id="escaped-backslash-untouched"),
    ],
)
def test_json_values_are_cleaned_as_they_are_serialised(value: object, stored: object) -> None:
    assert json.loads(_json_serializer(value)) == stored
