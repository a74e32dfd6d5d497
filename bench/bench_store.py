"""Benchmark: store the outcome of a first poll of 500 feeds × 20 new items, as the collector
hands it over (one ``FetchResult`` per feed), on SQLite and, when ``BENCH_DATABASE_URL`` or
``TEST_DATABASE_URL`` names one, on PostgreSQL (its schema is dropped and created).

Prints wall and CPU time of this process (the database server's CPU is not counted) and CPU per
new item, against the target of 0.2 ms per item, then stores the same results again (every item
already known) to show what an unchanged re-poll costs; once with one feed per transaction and
once with 50 (as the collector's writer batches them).

Run: .venv/bin/python bench/bench_store.py [--feeds 500] [--items 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from collectors import Entry, FetchResult
from summitwatch.storage import catalog, ingest
from summitwatch.storage.db import open_database

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TARGET_MS = 0.2


def _results(urls: list[str], per_feed: int) -> list[FetchResult]:
    out = []
    for n, url in enumerate(urls):
        entries = tuple(
            Entry(
                uid=f"{url}/item/{k}",
                uid_kind="guid",
                title=f"Feed {n} report {k}: talks in Astana on trade and water",
                summary="The two presidents discussed trade, transit and water. " * 4,
                summary_html="<p>The two presidents discussed trade, transit and water.</p>",
                link=f"{url}/item/{k}",
                published=NOW - timedelta(minutes=k),
                published_is_fallback=False,
                updated=None,
                language="en",
                feed_url=url,
                authors=("Desk",),
            )
            for k in range(per_feed)
        )
        out.append(
            FetchResult(
                url=url,
                status="ok",
                http_status=200,
                new_url=None,
                entries=entries,
                feed_title=f"Feed {n}",
                feed_language="en",
                etag='"v1"',
                last_modified=None,
                body_hash=f"h{n}",
                error_kind=None,
                error_message=None,
                bozo_message=None,
                consecutive_failures=0,
                next_check_at=NOW + timedelta(minutes=30),
                fetched_at=NOW,
                latency_s=0.05,
            )
        )
    return out


def _run(label: str, url: str, feeds: int, per_feed: int, batch: int) -> None:
    db = open_database(url)
    urls = [f"https://feeds{n % 50}.example/{n}.xml" for n in range(feeds)]
    ids = [catalog.add_feed(db, u)[0].id for u in urls]
    polls = list(zip(ids, _results(urls, per_feed), strict=True))
    for rounds, kind in ((1, "new"), (2, "known")):
        wall, cpu = time.perf_counter(), time.process_time()
        stored = 0
        for start in range(0, len(polls), batch):
            written = ingest.apply_fetch_results(db, polls[start : start + batch])
            stored += sum(len(new) for new in written.values())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        count = feeds * per_feed
        per_item = cpu / count * 1000
        verdict = "" if rounds == 2 else (" [met]" if per_item <= TARGET_MS else " [NOT met]")
        print(
            f"{label:10} {batch:3} feeds/txn {kind:5}: {count} offered, {stored:5} stored;"
            f" wall {wall:5.2f} s, CPU {cpu:5.2f} s = {per_item:.3f} ms/item{verdict}"
        )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    pg = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    print(f"target: {TARGET_MS} ms of this process's CPU per new item")
    for batch in (1, 50):
        with tempfile.TemporaryDirectory() as tmp:
            _run("sqlite", f"sqlite:///{tmp}/bench.db", args.feeds, args.items, batch)
        if pg:
            engine = create_engine(pg)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
            _run("postgresql", pg, args.feeds, args.items, batch)
    if not pg:
        print("postgresql: skipped (set BENCH_DATABASE_URL)")


if __name__ == "__main__":
    main()
