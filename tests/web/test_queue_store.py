"""The queue queries on their own: keyset pagination that never skips or repeats a row, even
when many items share a publication time, and cursors that are checked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from summitwatch.app import App
from summitwatch.storage import catalog, queue
from summitwatch.storage.queue import QueueFilter, decode_cursor, encode_cursor

from .conftest import NOW, add_entries, entry


@pytest.fixture
def many(application: App) -> list[tuple[object, int]]:
    feed, _ = catalog.add_feed(application.db, "https://many.example/rss")
    # 60 items on 12 distinct times: five share each timestamp, so ties need the id
    entries = [entry(f"m{n}", f"Item {n}", "text", "en", hours=n // 5) for n in range(60)]
    ids = add_entries(application, feed.id, entries)
    return sorted(
        ((NOW - timedelta(hours=n // 5), i) for n, i in zip(range(60), ids, strict=True)),
        reverse=True,
    )


@pytest.mark.parametrize("size", [1, 7, 25, 60, 500], ids=lambda n: f"page-{n}")
def test_pages_cover_every_item_once_in_order(
    application: App, many: list[tuple[object, int]], size: int
) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        page = queue.queue_page(
            application.db,
            QueueFilter(view="all"),
            threshold=0.5,
            near_miss=0.2,
            cursor=cursor,
            limit=size,
        )
        seen += [v.id for v in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [i for _, i in many]


def test_count_and_iteration_agree(application: App, many: list[tuple[object, int]]) -> None:
    flt = QueueFilter(view="all", query="Item 1")
    found = list(queue.iter_items(application.db, flt, threshold=0.5, near_miss=0.2, batch=3))
    assert len(found) == queue.count(application.db, flt, threshold=0.5, near_miss=0.2) == 11


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "bm90LWEtZGF0ZXwx", encode_cursor(NOW, 5)[:-3]],
    ids=["empty", "garbage", "not-a-date", "truncated"],
)
def test_bad_cursors_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor(bad)


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(NOW, 42)) == (NOW, 42)


def test_unknown_view_is_refused(application: App) -> None:
    with pytest.raises(ValueError, match="view"):
        queue.queue_page(
            application.db, QueueFilter(view="everything"), threshold=0.5, near_miss=0.2
        )
