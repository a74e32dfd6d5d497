"""Storage on real SQLite files and, when TEST_DATABASE_URL is set, real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from collectors import Entry, FetchResult
from summitwatch.storage import catalog, ingest, outbox
from summitwatch.storage import items as item_store
from summitwatch.storage import reviews as review_store
from summitwatch.storage.db import open_database
from summitwatch.storage.models import Base

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def entry(uid: str, kind: str = "guid", feed: str = "https://a.example/rss", **kw) -> Entry:
    fields = {
        "uid": uid,
        "uid_kind": kind,
        "title": f"Title {uid}",
        "summary": "Summary",
        "summary_html": "<p>Summary</p>",
        "link": f"https://a.example/{uid}",
        "published": NOW,
        "published_is_fallback": False,
        "updated": None,
        "language": "en",
        "feed_url": feed,
        "authors": ("A. Writer",),
    }
    fields.update(kw)
    return Entry(**fields)


def result(url: str, entries: tuple[Entry, ...], status: str = "ok", **kw) -> FetchResult:
    fields = {
        "url": url,
        "status": status,
        "http_status": 200,
        "new_url": None,
        "entries": entries,
        "feed_title": "Feed A",
        "feed_language": "en",
        "etag": '"v1"',
        "last_modified": None,
        "body_hash": "abc",
        "error_kind": None,
        "error_message": None,
        "bozo_message": None,
        "consecutive_failures": 0,
        "next_check_at": NOW + timedelta(minutes=30),
        "fetched_at": NOW,
        "latency_s": 0.25,
    }
    fields.update(kw)
    return FetchResult(**fields)


def test_migrations_match_the_models(db_url: str) -> None:
    db = open_database(db_url)
    open_database(db_url)  # a second upgrade is a no-op
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.dispose()


def test_0003_keeps_existing_accounts_with_generation_zero(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from summitwatch.storage.db import alembic_config, make_engine

    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0002")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO users (name, password_hash, created_at) VALUES (:n, :h, :t)"),
            {"n": "amina", "h": "argon2-hash", "t": NOW},
        )
    command.upgrade(alembic_config(engine), "0003")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, session_generation FROM users")).all()
    assert [tuple(r) for r in rows] == [("amina", 0)]
    command.downgrade(alembic_config(engine), "0002")
    command.upgrade(alembic_config(engine), "head")
    engine.dispose()


@pytest.mark.parametrize(
    ("first", "second", "stored"),
    [
        ([entry("https://a.example/1")], [entry("https://a.example/1")], 1),
        ([entry("1")], [entry("1", feed="https://b.example/rss")], 2),
        ([entry("https://x.example/a", "link")], [entry("https://x.example/a", "link")], 1),
        ([entry("h1", "hash")], [entry("h2", "hash")], 2),
    ],
    ids=["url-guid-global", "bare-guid-per-feed", "canonical-link", "different-hashes"],
)
def test_ingestion_deduplicates(db_url: str, first, second, stored: int) -> None:
    db = open_database(db_url)
    feed_a, _ = catalog.add_feed(db, "https://a.example/rss")
    feed_b, _ = catalog.add_feed(db, "https://b.example/rss")
    ingest.apply_fetch_result(db, feed_a.id, result(feed_a.url, tuple(first)))
    ingest.apply_fetch_result(db, feed_b.id, result(feed_b.url, tuple(second)))
    ingest.apply_fetch_result(db, feed_a.id, result(feed_a.url, tuple(first)))
    assert len(item_store.items_to_classify(db, "v0")) == stored
    db.dispose()


def test_concurrent_ingestion_stores_once(db_url: str) -> None:
    db = open_database(db_url)
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    batch = tuple(entry(f"https://a.example/{n}") for n in range(40))
    threads = [
        threading.Thread(
            target=ingest.apply_fetch_result, args=(db, feed.id, result(feed.url, batch))
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(item_store.items_to_classify(db, "v0")) == 40
    db.dispose()


def test_fetch_state_and_health_are_recorded(db_url: str) -> None:
    db = open_database(db_url)
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    ingest.apply_fetch_result(
        db,
        feed.id,
        result(
            feed.url,
            (),
            status="error",
            error_kind="http",
            error_message="HTTP 500",
            consecutive_failures=3,
            next_check_at=NOW + timedelta(hours=1),
        ),
    )
    [listed] = catalog.list_feeds(db)
    assert (listed.consecutive_failures, listed.last_error_kind) == (3, "http")
    assert catalog.due_feeds(db, NOW) == []
    assert [s.url for _, s in catalog.due_feeds(db, NOW + timedelta(hours=2))] == [feed.url]
    ingest.apply_fetch_result(
        db, feed.id, result(feed.url, (), new_url="https://a.example/new-rss")
    )
    [listed] = catalog.list_feeds(db)
    assert listed.url == "https://a.example/new-rss" and listed.last_error is None
    assert catalog.due_feeds(db, NOW + timedelta(hours=2))[0][1].etag == '"v1"'
    db.dispose()


def test_removed_config_feed_stays_removed(db_url: str) -> None:
    db = open_database(db_url)
    feeds = [{"url": "https://a.example/rss", "name": "A"}]
    catalog.sync_from_settings(db, ["KZ"], feeds, [{"email": "a@b.org", "schedule": "immediate"}])
    assert catalog.remove_feed(db, "https://a.example/rss")
    assert catalog.set_country(db, "KZ", False)
    catalog.sync_from_settings(db, ["KZ"], feeds, [])
    assert catalog.list_feeds(db) == [] and catalog.watched_countries(db) == []
    assert [r.email for r in catalog.list_recipients(db)] == ["a@b.org"]
    db.dispose()


def test_outbox_is_unique_per_period_and_claims_are_exclusive(db_url: str) -> None:
    db = open_database(db_url)
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    [item_id] = ingest.apply_fetch_result(
        db, feed.id, result(feed.url, (entry("https://a.example/1"),))
    )
    args = {
        "recipient": "a@b.org",
        "period_key": "2026-11-27T07:00Z",
        "period_start": NOW,
        "period_end": NOW,
        "subject": "Digest",
        "message_id": "<m@x>",
        "raw": b"raw",
        "events": {"KZ-TJ:2026-11-27": [item_id]},
        "now": NOW,
    }
    first = outbox.enqueue(db, **args)
    assert first is not None and outbox.enqueue(db, **args) is None
    store = outbox.SqlOutbox(db)
    claimed = store.claim_pending(NOW + timedelta(minutes=1), 10)
    assert [m.id for m in claimed] == [first]
    assert store.claim_pending(NOW + timedelta(minutes=2), 10) == []  # leased
    store.mark_sent(first, NOW)
    store.mark_sent(first, NOW)  # idempotent
    assert outbox.sent_events(db, "a@b.org") == {"KZ-TJ:2026-11-27": frozenset({item_id})}
    assert store.claim_pending(NOW + timedelta(hours=1), 10) == []
    db.dispose()


def test_reviews_and_undo(db_url: str) -> None:
    db = open_database(db_url)
    feed, _ = catalog.add_feed(db, "https://a.example/rss")
    [item_id] = ingest.apply_fetch_result(
        db, feed.id, result(feed.url, (entry("https://a.example/1"),))
    )
    review_store.add_review(db, item_id, "reject", reviewer="ana")
    review_store.add_review(db, item_id, "confirm", reviewer="ana", countries=["KZ", "TJ"])
    assert item_store.get_item(db, item_id).review_state == "confirmed"
    [label] = review_store.review_labels(db)
    assert label.label == 1 and label.countries == ("KZ", "TJ")
    # the date lets a confirmation lift other reports of the same summit
    assert label.published == item_store.get_item(db, item_id).published.date()
    assert review_store.undo_last_review(db, item_id)
    assert item_store.get_item(db, item_id).review_state == "rejected"
    with pytest.raises(ValueError, match="confirm or reject"):
        review_store.add_review(db, item_id, "maybe")
    db.dispose()
