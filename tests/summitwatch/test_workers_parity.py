"""The same feeds through both runners give the same result: the embedded runner's jobs (one
process, SQLite) and three procrastinate workers (PostgreSQL) store the same items, with the same
full text, reach the same verdicts and build the same digest, because both call the same steps.
The feeds are the shipped demo feeds plus a full-text feed whose articles are served on 127.0.0.1
and whose summits only show in the article pages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from summitwatch.app import App, open_app
from summitwatch.embedded import digest_tick, poll_job
from summitwatch.storage import catalog

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make the harness importable

from workers_harness import (
    FAST,
    Site,
    Workers,
    demo_feeds,
    fresh_database,
    prepared,
    rows,
    rss,
    scalar,
    serve,
    wait_until,
    write_config,
)

EMAIL = "desk@example.org"
ARTICLES = {
    "mirziyoyev-bishkek": (
        "A visit to the neighbours",
        "President Shavkat Mirziyoyev of Uzbekistan arrived in Bishkek on Thursday on a state "
        "visit at the invitation of President Sadyr Japarov of Kyrgyzstan. The two presidents "
        "held talks in narrow and extended formats at the Ala-Archa state residence, discussed "
        "the border, water sharing and a railway through the Fergana valley, and signed a "
        "declaration on strategic partnership and a dozen intergovernmental agreements.",
    ),
    "tokayev-ashgabat": (
        "Talks on the Caspian shore",
        "Kazakh President Kassym-Jomart Tokayev held talks in Ashgabat with President Serdar "
        "Berdimuhamedov of Turkmenistan during an official visit on Friday. The leaders agreed "
        "to expand gas transit and signed documents on a joint trade house, the foreign "
        "ministries said after the meeting of the two heads of state.",
    ),
    "reservoir-levels": (
        "Water levels in the valley",
        "Engineers reported that the reservoir upstream of the dam rose by two metres after the "
        "spring floods. Farmers in the lower valley expect enough water for the cotton season, "
        "the regional water authority said in a statement on Tuesday.",
    ),
}


def full_text_feed(site: Site) -> str:
    items = []
    for slug, (title, text) in ARTICLES.items():
        page = (
            f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
            f"<article><h1>{title}</h1>"
            + "".join(f"<p>{sentence}.</p>" for sentence in text.split(". "))
            + "</article><footer>Copyright</footer></body></html>"
        )
        link = site.add(f"/articles/{slug}.html", page.encode(), "text/html; charset=utf-8")
        items.append((slug, title, "Read the whole story on our site.", link))
    return site.add("/teasers.xml", rss("Teasers", items))


def snapshot(db_url: str) -> dict[str, Any]:
    """Items with their text and verdict, and the digests, keyed by what both runs share."""
    items = {
        key: (title, content, round(score, 9), flagged, a, b, status)
        for key, title, content, score, flagged, a, b, status in rows(
            db_url,
            "SELECT i.dedup_key, i.title, i.content, i.score, i.flagged, i.country_a,"
            " i.country_b, v.status FROM items i JOIN verdicts v ON v.id = i.verdict_id",
        )
    }
    keys = dict(rows(db_url, "SELECT id, dedup_key FROM items"))
    digests = []
    for subject, status, events in rows(db_url, "SELECT subject, status, events FROM outbox"):
        grouped = json.loads(events) if isinstance(events, str) else events  # SQLite: text
        # an event's key ends with its founding item's id, which differs between databases
        members = sorted(
            (e.rsplit("-", 1)[0], sorted(keys[i] for i in ids)) for e, ids in grouped.items()
        )
        digests.append((subject, status, members))
    return {"items": items, "digests": sorted(digests)}


def embedded_run(folder: Path, model_cache: Path, urls: list[str], article_feed: str) -> App:
    """What `summitwatch run` does: its poll job, then (the recipient due) its digest tick."""
    config = write_config(folder, f"sqlite:///{folder / 'sw.db'}", model_cache, mode="embedded")
    app = open_app(config, env={})
    for url in urls:
        catalog.add_feed(app.db, url)
    catalog.add_feed(app.db, article_feed, full_text=True)
    quiet = Console(quiet=True)
    poll_job(app, quiet)
    catalog.upsert_recipient(app.db, EMAIL, {"schedule": "immediate"})
    digest_tick(app, quiet)
    return app


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database("parity") as url:
        yield url


@pytest.mark.slow
def test_embedded_runner_and_workers_give_the_same_items_verdicts_and_digest(
    tmp_path: Path, pg_url: str, model_cache: Path
) -> None:
    (tmp_path / "embedded").mkdir()
    (tmp_path / "workers").mkdir()
    with serve(Site()) as site:
        urls = demo_feeds(site)
        articles = full_text_feed(site)
        embedded = embedded_run(tmp_path / "embedded", model_cache, urls, articles)
        app = prepared(tmp_path / "workers", pg_url, model_cache, urls)
        catalog.add_feed(app.db, articles, full_text=True)
        total = scalar(str(embedded.db.engine.url), "SELECT count(*) FROM items")
        scored = "SELECT count(*) FROM items WHERE verdict_id IS NOT NULL"
        with Workers(app.settings.config_path, tmp_path / "workers") as workers:  # type: ignore[arg-type]
            for _ in range(3):
                workers.start(*FAST)
            wait_until(lambda: scalar(pg_url, scored) == total, "every item scored")
            catalog.upsert_recipient(app.db, EMAIL, {"schedule": "immediate"})
            wait_until(
                lambda: rows(pg_url, "SELECT DISTINCT status FROM outbox") == [("sent",)],
                "the digest delivered",
            )
    mine, theirs = snapshot(str(embedded.db.engine.url)), snapshot(pg_url)
    assert len(mine["items"]) == 63 and mine["items"] == theirs["items"]
    assert mine["digests"] == theirs["digests"] and len(mine["digests"]) == 1
    # the article pages were read, and one of their summits made the digest
    texts = [v[1] or "" for k, v in theirs["items"].items() if k.endswith("mirziyoyev-bishkek")]
    assert texts and "Ala-Archa" in texts[0]
    [(_, _, events)] = theirs["digests"]
    assert any(k.endswith("mirziyoyev-bishkek") for _, keys in events for k in keys)
    embedded.close()
    app.close()
