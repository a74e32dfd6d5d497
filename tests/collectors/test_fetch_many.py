"""fetch_many against the local server: every feed comes back, results stream as they finish,
the per-host and global limits hold, parsing works in real worker processes, and full-text
extraction goes through the same client."""

from __future__ import annotations

import asyncio
import time

import pytest
from collector_server import FeedServer, Reply, fixture_bytes

from collectors import FeedFetcher, FeedState, FetchResult, FetchSettings

FEED = fixture_bytes("rss20_agency_en.xml")


def collect(states: list[FeedState], settings: FetchSettings) -> list[tuple[float, FetchResult]]:
    async def run() -> list[tuple[float, FetchResult]]:
        start, seen = time.perf_counter(), []
        async with FeedFetcher(settings) as fetcher:
            async for result in fetcher.fetch_many(states):
                seen.append((time.perf_counter() - start, result))
        return seen

    return asyncio.run(run())


LIMIT_CASES = [
    pytest.param(
        FetchSettings(allow_private_networks=True, parse_workers=0, per_host_concurrency=2),
        2,
        id="per-host-2",
    ),
    pytest.param(
        FetchSettings(allow_private_networks=True, parse_workers=0, per_host_concurrency=5),
        5,
        id="per-host-5",
    ),
    pytest.param(
        FetchSettings(
            allow_private_networks=True, parse_workers=0, max_concurrency=3, per_host_concurrency=10
        ),
        3,
        id="global-3",
    ),
]


@pytest.mark.parametrize(("settings", "limit"), LIMIT_CASES)
def test_concurrency_limits_hold(
    feed_server: FeedServer, settings: FetchSettings, limit: int
) -> None:
    states = [
        FeedState(url=feed_server.route(f"/f{i}", Reply(body=FEED, delay=0.15))) for i in range(12)
    ]
    results = collect(states, settings)
    assert sorted(r.url for _, r in results) == sorted(s.url for s in states)
    assert all(r.status == "ok" for _, r in results)
    assert feed_server.max_active == limit


def test_results_stream_as_feeds_finish(feed_server: FeedServer) -> None:
    slow = feed_server.route("/slow", Reply(body=FEED, delay=1.0))
    fast = [feed_server.route(f"/fast{i}", Reply(body=FEED)) for i in range(5)]
    results = collect(
        [FeedState(url=slow), *(FeedState(url=u) for u in fast)],
        FetchSettings(allow_private_networks=True, parse_workers=0),
    )
    assert results[-1][1].url == slow
    assert all(at < 0.9 for at, r in results[:-1])


def test_failures_do_not_stop_the_run(feed_server: FeedServer) -> None:
    urls = {
        "ok": feed_server.route("/ok", Reply(body=FEED)),
        "error": feed_server.route("/broken", Reply(500)),
        "gone": feed_server.route("/gone", Reply(410)),
    }
    results = collect(
        [FeedState(url=u) for u in urls.values()],
        FetchSettings(allow_private_networks=True, parse_workers=0),
    )
    assert {r.url: r.status for _, r in results} == {u: s for s, u in urls.items()}


def test_parsing_in_worker_processes(feed_server: FeedServer) -> None:
    names = ["rss20_agency_en.xml", "atom10_fr.xml", "ru_cp1251_declared.xml", "jsonfeed11.json"]
    states = [
        FeedState(url=feed_server.route(f"/{name}", Reply(body=fixture_bytes(name))))
        for name in names
    ]
    results = {
        r.url: r
        for _, r in collect(states, FetchSettings(allow_private_networks=True, parse_workers=2))
    }
    titles = [results[s.url].feed_title for s in states]
    assert titles == [
        "Steppe Wire & Partners — Diplomacy",
        "Asie centrale en bref",
        "Восток Новости",
        "Silk Road Briefing",
    ]
    assert all(r.parse_s > 0 for r in results.values())


FULL_TEXT_CASES = [
    pytest.param(
        Reply(body=fixture_bytes("article.html")), "eight documents were signed", id="article"
    ),
    pytest.param(Reply(404), None, id="missing-page"),
    pytest.param(Reply(body=b"<html><body><p>Short.</p></body></html>"), None, id="no-main-text"),
    pytest.param(Reply(body=b"x" * 5000, delay=3), None, id="timeout"),
]


@pytest.mark.parametrize(("reply", "phrase"), FULL_TEXT_CASES)
@pytest.mark.parametrize("workers", [0, 1], ids=["in-process", "worker"])
def test_full_text(feed_server: FeedServer, reply: Reply, phrase: str | None, workers: int) -> None:
    url = feed_server.route("/article", reply)
    settings = FetchSettings(
        allow_private_networks=True, parse_workers=workers, read_timeout=0.5, total_timeout=1
    )

    async def run() -> str | None:
        async with FeedFetcher(settings) as fetcher:
            return await fetcher.fetch_full_text(url)

    text = asyncio.run(run())
    if phrase is None:
        assert text is None
    else:
        assert text is not None and phrase in text and "Copyright notice" not in text


def test_fetcher_outside_its_context_is_a_programming_error(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", Reply(body=FEED))
    with pytest.raises(RuntimeError, match="async with"):
        asyncio.run(
            FeedFetcher(FetchSettings(allow_private_networks=True, parse_workers=0)).fetch(
                FeedState(url=url)
            )
        )
