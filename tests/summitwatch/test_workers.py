"""Workers mode at scale, on real PostgreSQL: three worker processes poll 500 feeds served on
127.0.0.1 exactly once per period and store every item once; two schedulers, or many deferrals
at once, still leave one pending job per feed. Also: the retry policy, the schema upgrade path,
and the clear errors and status of each mode through the real command line."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import procrastinate
import pytest
from fastapi.testclient import TestClient

from summitwatch.app import open_app
from summitwatch.web.server import create_app
from summitwatch.workers import deferral, schema
from summitwatch.workers.engine import (
    Backoff,
    DeadLetter,
    RetryAt,
    WorkerOptions,
)
from summitwatch.workers.tasks import make_engine

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make the harness importable

from workers_harness import (
    FAST,
    Site,
    Workers,
    fresh_database,
    prepared,
    rows,
    rss,
    scalar,
    serve,
    summitwatch,
    wait_until,
    write_config,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FEEDS = 500


def job(attempts: int) -> procrastinate.jobs.Job:
    return procrastinate.jobs.Job(
        id=1, queue="poll", lock=None, queueing_lock=None, task_name="poll_feed", attempts=attempts
    )


@pytest.mark.parametrize(
    ("error", "attempts", "expected"),
    [
        pytest.param(RuntimeError("db gone"), 0, 5.0, id="first-failure-waits-base"),
        pytest.param(RuntimeError("db gone"), 3, 40.0, id="doubles-each-time"),
        pytest.param(RuntimeError("db gone"), 4, None, id="fifth-failure-is-dead"),
        pytest.param(DeadLetter("550 refused"), 0, None, id="dead-letter-never-retried"),
        pytest.param(RetryAt(NOW + timedelta(hours=2), "421"), 9, NOW + timedelta(hours=2),
                     id="outbox-schedule-wins"),
    ],
)  # fmt: skip
def test_retry_policy(error: Exception, attempts: int, expected: Any) -> None:
    decision = Backoff(max_attempts=5).get_retry_decision(exception=error, job=job(attempts))
    if expected is None:
        assert decision is None
    elif isinstance(expected, datetime):
        assert decision is not None and decision.retry_at == expected
    else:
        assert decision is not None and decision.retry_at is not None
        wait = (decision.retry_at - datetime.now(UTC)).total_seconds()
        assert expected - 2 < wait <= expected


@pytest.mark.parametrize(
    ("applied", "target", "first", "count"),
    [
        ("3.10.0", "3.10.0", None, 0),
        ("3.3.0", "3.4.0", "03.04.00_01_pre_add_retry_failed_job_procedure.sql", 2),
        ("2.15.0", "3.0.0", "03.00.00_01_pre_cancel_notification.sql", 2),
    ],
)
def test_schema_upgrade_applies_the_migrations_in_between(
    applied: str, target: str, first: str | None, count: int
) -> None:
    files = schema.migrations_between(applied, target)
    assert len(files) == count
    assert (files[0].name if files else None) == first


@pytest.mark.parametrize(
    "command",
    [["worker"], ["jobs", "list"], ["jobs", "tick"], ["run"]],
    ids=lambda c: " ".join(c),
)
def test_workers_mode_on_sqlite_is_a_clear_error(
    tmp_path: Path, model_cache: Path, command: list[str]
) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'sw.db'}", model_cache)
    done = summitwatch(config, *command)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "needs PostgreSQL" in done.stderr or "runs in `summitwatch worker`" in done.stderr
    assert "Traceback" not in done.stderr


def test_status_in_embedded_mode(tmp_path: Path, model_cache: Path) -> None:
    config = tmp_path / "sw.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "sw.db"}"\n'
        f'[classifier]\ncache_dir = "{model_cache}"\n'
        '[[feeds]]\nurl = "http://127.0.0.1:9/rss"\n'
        '[[recipients]]\nemail = "desk@example.org"\n',
        encoding="utf-8",
    )
    done = summitwatch(config, "status")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "mode: embedded" in out and "feeds: 1, 1 due" in out
    assert "last feed check never" in out and "desk@example.org" in out
    app = open_app(config, env={})
    page = TestClient(create_app(app), base_url="http://127.0.0.1:8765").get("/jobs")
    work = page.text.split('id="work"')[1].split("</table>")[0]
    assert "poll (feeds due)</td><td>1</td>" in work and 'id="dead-letters"' not in page.text
    app.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database("workers") as url:
        yield url


def small_feeds(site: Site, n: int) -> list[str]:
    return [
        site.add(
            f"/feed/{i}.xml",
            rss(
                f"Feed {i}",
                [
                    (f"f{i}-{k}", f"Grain harvest report {i}.{k}", "Yields rose again.", "")
                    for k in range(2)
                ],
            ),
        )
        for i in range(n)
    ]


@pytest.mark.slow
def test_three_workers_poll_500_feeds_once_and_store_items_once(
    tmp_path: Path, pg_url: str, model_cache: Path
) -> None:
    with serve(Site()) as site:
        app = prepared(tmp_path, pg_url, model_cache, small_feeds(site, FEEDS))
        with Workers(app.settings.config_path, tmp_path) as workers:  # type: ignore[arg-type]
            for _ in range(3):
                workers.start(*FAST, "--heartbeat", "2", "--concurrency", "8")
            wait_until(
                lambda: (
                    scalar(pg_url, "SELECT count(*) FROM items WHERE verdict_id IS NOT NULL")
                    == 2 * FEEDS
                ),
                "every item stored and classified",
            )
            ticks = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'tick'"
            before = scalar(pg_url, ticks)
            # more ticks pass: nothing is polled again within the period
            wait_until(lambda: scalar(pg_url, ticks) >= before + 3, "three more ticks")
            # (before the workers stop: a stopped worker's jobs forget which worker ran them)
            ran_on = scalar(
                pg_url,
                "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs"
                " WHERE task_name = 'poll_feed'",
            )
        feeds = {p: n for p, n in site.hits.items() if p.startswith("/feed/")}
        assert len(feeds) == FEEDS and set(feeds.values()) == {1}
        assert rows(pg_url, "SELECT DISTINCT fetch_count, items_total FROM feeds") == [(1, 2)]
        assert scalar(pg_url, "SELECT count(DISTINCT dedup_key) FROM items") == 2 * FEEDS
        assert scalar(pg_url, "SELECT count(*) FROM verdicts") == 2 * FEEDS
        polls = rows(
            pg_url,
            "SELECT status::text, count(*), count(DISTINCT args->>'feed_id')"
            " FROM procrastinate_jobs WHERE task_name = 'poll_feed' GROUP BY status",
        )
        [(state, jobs, distinct_feeds)] = polls
        assert (state, jobs, distinct_feeds) == ("succeeded", FEEDS, FEEDS)
        assert ran_on >= 2, "the polls were spread over the workers"
        # one tick per period, however many workers deferred it
        assert (
            scalar(
                pg_url,
                "SELECT count(*) FROM (SELECT args->>'timestamp' FROM procrastinate_jobs"
                " WHERE task_name = 'tick' GROUP BY 1 HAVING count(*) > 1) AS doubles",
            )
            == 0
        )
        assert (
            scalar(pg_url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'") == 0
        )
        app.close()


def test_two_schedulers_at_once_defer_each_due_feed_once(
    tmp_path: Path, pg_url: str, model_cache: Path
) -> None:
    urls = [f"http://127.0.0.1:9/feed/{i}.xml" for i in range(FEEDS)]
    app = prepared(tmp_path, pg_url, model_cache, urls)
    with Workers(app.settings.config_path, tmp_path) as workers:  # type: ignore[arg-type]
        # schedulers only: nobody takes the polls, so every deferral stays visible
        for _ in range(2):
            workers.start(*FAST, "--queues", "schedule")
        ticks = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'tick'"
        wait_until(lambda: scalar(pg_url, ticks + " AND status = 'succeeded'") >= 5, "five ticks")
        assert (
            scalar(
                pg_url,
                "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs WHERE task_name = 'tick'",
            )
            == 2
        )
    per_feed = rows(
        pg_url,
        "SELECT count(*), count(DISTINCT queueing_lock), min(status::text), max(status::text)"
        " FROM procrastinate_jobs WHERE task_name = 'poll_feed'",
    )
    assert per_feed == [(FEEDS, FEEDS, "todo", "todo")]
    app.close()


@pytest.mark.parametrize("entry", ["tick", "defer_unique"])
def test_concurrent_deferrals_keep_one_pending_job_per_feed(
    tmp_path: Path, pg_url: str, model_cache: Path, entry: str
) -> None:
    urls = [f"http://127.0.0.1:9/feed/{i}.xml" for i in range(FEEDS)]
    app = prepared(tmp_path, pg_url, model_cache, urls)
    feed_ids = [int(i) for (i,) in rows(pg_url, "SELECT id FROM feeds")]
    start = threading.Barrier(4)
    outcomes: list[Any] = []

    async def one_scheduler() -> Any:
        engine = make_engine(app.settings, WorkerOptions())
        async with engine.open_async():
            await asyncio.to_thread(start.wait)
            if entry == "tick":
                return await deferral.tick(app, engine, WorkerOptions())
            specs = [deferral.JobSpec.poll(i) for i in feed_ids]
            return await deferral.defer_unique(engine, specs)

    threads = [
        threading.Thread(target=lambda: outcomes.append(asyncio.run(one_scheduler())))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 4
    assert rows(
        pg_url,
        "SELECT count(*), count(DISTINCT queueing_lock) FROM procrastinate_jobs"
        " WHERE task_name = 'poll_feed'",
    ) == [(FEEDS, FEEDS)]
    if entry == "defer_unique":
        assert sum(len(deferred) for deferred in outcomes) == FEEDS
    app.close()
