"""Workers that die, and jobs that fail for good, on real PostgreSQL with a real SMTP server.

A worker killed with SIGKILL in the middle of a poll (its request held open by the feed site)
or of a delivery (its message held in DATA by the SMTP server) stops beating; another worker's
tick puts the job back in the queue and runs it: no item is lost, none is stored twice, and no
digest reaches the inbox twice. A digest the server refuses (550) becomes a dead letter, shown
by ``summitwatch jobs list``, ``summitwatch status`` and the web UI, and ``summitwatch jobs
retry`` gives it another attempt.
"""

from __future__ import annotations

import email
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from summitwatch.storage import catalog
from summitwatch.web.server import create_app

sys.path.insert(0, str(Path(__file__).parent))  # importlib mode: make the harness importable

from workers_harness import (
    FAST,
    Inbox,
    Site,
    Workers,
    demo_feeds,
    fresh_database,
    prepared,
    rows,
    scalar,
    serve,
    smtp,
    summitwatch,
    wait_until,
)

DEMO_ITEMS, DEMO_SUMMITS = 60, 12
HELD_FEED = "/demo/steppe-wire.xml"


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database("recovery") as url:
        yield url


def all_delivered(pg_url: str) -> bool:
    """Every flagged item in a sent digest, and nothing left to do."""
    flagged = scalar(pg_url, "SELECT count(*) FROM items WHERE flagged")
    digested = scalar(pg_url, "SELECT count(*) FROM digested_items")
    unsent = scalar(pg_url, "SELECT count(*) FROM outbox WHERE status <> 'sent'")
    busy = scalar(
        pg_url,
        "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
        " AND task_name NOT IN ('tick', 'build_digest')",
    )
    return flagged == DEMO_SUMMITS and digested == flagged and unsent == 0 and busy == 0


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["poll", "delivery"])
def test_job_of_a_killed_worker_is_completed_by_another(
    tmp_path: Path, pg_url: str, model_cache: Path, phase: str
) -> None:
    inbox = Inbox(hold_first=phase == "delivery")
    with serve(Site()) as site, smtp(inbox) as port:
        app = prepared(tmp_path, pg_url, model_cache, demo_feeds(site), smtp_port=port)
        catalog.upsert_recipient(app.db, "desk@example.org", {"schedule": "immediate"})
        if phase == "poll":
            site.hold(HELD_FEED)
        held, task = (site, "poll_feed") if phase == "poll" else (inbox, "deliver_message")
        feed_id = scalar(pg_url, "SELECT id FROM feeds WHERE url = :u", u=site.base + HELD_FEED)
        with Workers(app.settings.config_path, tmp_path) as workers:  # type: ignore[arg-type]
            first = workers.start(*FAST, "--concurrency", "4")
            assert held.entered.wait(60), f"the first worker never reached the held {phase}"
            [(job_id,)] = rows(
                pg_url,
                "SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND task_name = :t"
                " AND (task_name <> 'poll_feed' OR args->>'feed_id' = :feed)",
                t=task,
                feed=str(feed_id),
            )
            workers.start(*FAST, "--concurrency", "4")
            wait_until(
                lambda: scalar(pg_url, "SELECT count(*) FROM procrastinate_workers") == 2,
                "the second worker registered",
            )
            workers.kill(first)
            held.released.set()  # the server now finds its client gone
            finished = "SELECT status::text, attempts FROM procrastinate_jobs WHERE id = :id"
            wait_until(
                lambda: rows(pg_url, finished, id=job_id) == [("succeeded", 2)],
                "the killed worker's job recovered and completed once more",
            )
            wait_until(lambda: all_delivered(pg_url), "every summit delivered")
        [(error,)] = rows(pg_url, "SELECT error FROM job_errors WHERE job_id = :id", id=job_id)
        assert "stopped beating" in error
        assert rows(pg_url, "SELECT count(*), count(DISTINCT dedup_key) FROM items") == [
            (DEMO_ITEMS, DEMO_ITEMS)
        ]
        assert rows(pg_url, "SELECT DISTINCT fetch_count FROM feeds") == [(1,)]
        if phase == "poll":
            assert site.hits[HELD_FEED] == 2  # asked again by the second worker
        ids = [email.message_from_bytes(raw)["Message-ID"] for _, raw in inbox.messages]
        sent = scalar(pg_url, "SELECT count(*) FROM outbox")
        assert len(ids) == len(set(ids)) == sent, "a digest reached the inbox twice"
        failed = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"
        assert scalar(pg_url, failed) == 0
        app.close()


@pytest.mark.slow
def test_refused_digest_is_a_dead_letter_until_retried(
    tmp_path: Path, pg_url: str, model_cache: Path
) -> None:
    inbox = Inbox(refuse=frozenset({"desk@example.org"}))
    with serve(Site()) as site, smtp(inbox) as port:
        app = prepared(tmp_path, pg_url, model_cache, demo_feeds(site), smtp_port=port)
        config = app.settings.config_path
        assert config is not None
        dead = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"
        scored = "SELECT count(*) FROM items WHERE verdict_id IS NOT NULL"
        with Workers(config, tmp_path) as workers:
            workers.start(*FAST)
            wait_until(lambda: scalar(pg_url, scored) == DEMO_ITEMS, "every item scored")
            # added now, the recipient gets one digest with every summit, for the last day (an
            # immediate schedule would offer the undelivered items again at every tick)
            catalog.upsert_recipient(app.db, "desk@example.org", {"schedule": "daily 00:00"})
            wait_until(lambda: scalar(pg_url, dead) >= 1, "a dead letter")
            listed = summitwatch(config, "jobs", "list", "--status", "failed", "--json")
            assert listed.returncode == 0, listed.stderr
            [letter] = [json.loads(line) for line in listed.stdout.splitlines()]
            assert letter["task"] == "deliver_message" and "550" in letter["error"]
            status = summitwatch(config, "status")
            assert "deliver_message" in status.stdout and "1 alive" in status.stdout
            page = TestClient(create_app(app), base_url="http://127.0.0.1:8765").get("/jobs")
            assert page.status_code == 200
            table = page.text.split('id="dead-letters"')[1].split("</table>")[0]
            assert "deliver_message" in table and "550 5.1.1 mailbox unavailable" in table
            inbox.refuse = frozenset()  # the mailbox is back
            retried = summitwatch(config, "jobs", "retry", str(letter["id"]))
            assert f"job {letter['id']}: queued again" in retried.stdout, retried.stderr
            wait_until(lambda: len(inbox.messages) == 1, "the retried digest delivered")
            again = summitwatch(config, "jobs", "retry", str(letter["id"]))
            assert "not retried: the job is" in again.stdout
        assert scalar(pg_url, dead) == 0
        assert rows(pg_url, "SELECT status FROM outbox") == [("sent",)]
        app.close()
