"""Benchmark of the review queue: pagination, filters and exports over 100,000 items.

Fills a fresh SQLite file (or the database given with --url) with synthetic items and verdicts
(a third of them flagged, spread over two years and 200 feeds), then times what a reviewer's
clicks cost: the first page of the queue, a page 90 % deep (reached by its cursor, as the UI
does), a country filter, a text search, the total count, and streaming a CSV export.
Run: `make bench-review` (or `python bench/bench_review.py --items 100000`).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from classifier.verdict import Verdict
from collectors import Entry
from summitwatch.storage import catalog, ingest, queue
from summitwatch.storage import items as item_store
from summitwatch.storage.db import open_database

PAIRS = [("KZ", "UZ"), ("KG", "TJ"), ("TM", "TR"), ("KZ", "CN"), ("UZ", "RU"), ("TJ", "IR")]
START = datetime(2025, 1, 1, tzinfo=UTC)


def fill(url: str, n: int) -> None:
    db = open_database(url)
    rng = random.Random(7)
    feeds = [catalog.add_feed(db, f"https://feeds{k}.example/rss")[0].id for k in range(200)]
    batch = 5000
    for first in range(0, n, batch):
        entries: dict[int, list[Entry]] = {}
        for k in range(first, min(n, first + batch)):
            published = START + timedelta(minutes=k * 7 + rng.randint(0, 5))
            entry = Entry(
                uid=f"item-{k}",
                uid_kind="guid",
                title=f"Item {k}: leaders meet in capital {k % 97}",
                summary=f"Summary of item {k} about regional news.",
                summary_html="",
                link=f"https://news.example/{k}",
                published=published,
                published_is_fallback=False,
                updated=None,
                language=rng.choice(["en", "ru", "fr"]),
                feed_url="",
                authors=(),
            )
            entries.setdefault(feeds[k % len(feeds)], []).append(entry)
        ids: list[int] = []
        with db.session() as s:
            for feed_id, group in entries.items():
                ids += ingest.insert_entries(s, feed_id, group, datetime.now(UTC))
        verdicts = []
        for item_id in ids:
            flagged = rng.random() < 0.33
            score = rng.uniform(0.5, 1.0) if flagged else rng.uniform(0.0, 0.5)
            verdicts.append(
                (
                    item_id,
                    Verdict(
                        score=score,
                        label=flagged,
                        countries=rng.choice(PAIRS) if flagged else (),
                        visitor=None,
                        host=None,
                        status="held",
                        event_date=None,
                        place=None,
                        language="en",
                        model_version="bench",
                        summary="",
                        reasons=(),
                        evidence=(),
                    ),
                )
            )
        item_store.save_verdicts(db, verdicts)
    db.dispose()


def timed(label: str, action: Callable[[], Any], repeat: int = 5) -> Any:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<44} {best * 1000:9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sw-bench-review-"))
    url = args.url or f"sqlite:///{folder / 'review.db'}"
    t0 = time.perf_counter()
    fill(url, args.items)
    print(f"filled {args.items:,} items in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
    db = open_database(url)
    opts = {"threshold": 0.5, "near_miss": 0.2}
    flagged = queue.QueueFilter(view="flagged")
    total = timed("count flagged", lambda: queue.count(db, flagged, **opts), repeat=3)
    timed("queue: first page (50)", lambda: queue.queue_page(db, queue.QueueFilter(), **opts))
    # the cursor of the row 90 % down the flagged list, as a reviewer paging that far would hold
    deep = next(
        v for k, v in enumerate(queue.iter_items(db, flagged, **opts)) if k == total * 9 // 10
    )
    cursor = queue.encode_cursor(deep.published, deep.id)
    timed(
        "flagged: page at 90 % depth", lambda: queue.queue_page(db, flagged, cursor=cursor, **opts)
    )
    timed(
        "filter: country TJ, first page",
        lambda: queue.queue_page(db, queue.QueueFilter(view="flagged", country="TJ"), **opts),
    )
    timed(
        "search: 'capital 42', first page",
        lambda: queue.queue_page(db, queue.QueueFilter(view="all", query="capital 42"), **opts),
    )

    def export() -> int:
        out = io.StringIO()
        writer = csv.writer(out)
        rows = 0
        for view in queue.iter_items(db, flagged, **opts):
            writer.writerow([view.id, view.published.isoformat(), view.title, view.score])
            rows += 1
        return rows

    t0 = time.perf_counter()
    rows = export()
    print(
        f"{'CSV export of the flagged items':<44} {time.perf_counter() - t0:9.2f} s ({rows:,} rows)"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    db.dispose()


if __name__ == "__main__":
    main()
