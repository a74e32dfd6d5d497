"""The embedded runner: one poll job and one digest tick at the start of every minute, which
asks the database which digests are due, as workers mode does. A recipient's digest is built at
its time in its own time zone, once, and a recipient added while the runner runs is picked up at
the next tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from rich.console import Console

from summitwatch.app import App, open_app
from summitwatch.embedded import build_scheduler, digest_tick
from summitwatch.storage import catalog

QUIET = Console(quiet=True)
# 07:00 in Almaty (UTC+5) is 02:00 UTC; Monday 08:30 in Paris (UTC+1 in winter) is 07:30 UTC
ALMATY_FIRE = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
PARIS_FIRE = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
LAST_SENT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path, model_cache: Path) -> App:
    config = tmp_path / "summitwatch.toml"
    config.write_text(
        "\n".join(
            [
                "[[recipients]]",
                'email = "almaty@example.org"',
                'schedule = "daily 07:00"',
                'timezone = "Asia/Almaty"',
                "[[recipients]]",
                'email = "paris@example.org"',
                'schedule = "weekly mon 08:30"',
                'timezone = "Europe/Paris"',
            ]
        ),
        encoding="utf-8",
    )
    overrides = {
        "database.url": f"sqlite:///{tmp_path / 'sched.db'}",
        "classifier.cache_dir": str(model_cache),
    }
    app = open_app(config, overrides, env={})
    for record in catalog.list_recipients(app.db):  # as if both had their last digest at noon
        catalog.set_last_period_end(app.db, record.email, LAST_SENT)
    return app


def built(app: App, now: datetime) -> list[tuple[str, str]]:
    return [(p.recipient, p.period) for p in digest_tick(app, QUIET, now) if p.error is None]


def test_two_jobs_the_tick_at_the_start_of_each_minute(app: App) -> None:
    jobs = {job.id: job for job in build_scheduler(app, QUIET).get_jobs()}
    assert set(jobs) == {"poll", "digests"}
    tick = jobs["digests"].trigger
    assert isinstance(tick, IntervalTrigger) and tick.interval == timedelta(minutes=1)
    assert tick.start_date.second == 0 and tick.start_date.microsecond == 0


TIMES = [
    pytest.param(ALMATY_FIRE - timedelta(minutes=1), [], id="before-almaty-time"),
    pytest.param(ALMATY_FIRE, ["almaty@example.org"], id="at-almaty-time"),
    pytest.param(PARIS_FIRE - timedelta(minutes=1), ["almaty@example.org"],
                 id="almaty-late-tick-paris-not-yet"),
    pytest.param(PARIS_FIRE, ["almaty@example.org", "paris@example.org"], id="both-due"),
]  # fmt: skip


@pytest.mark.parametrize(("now", "expected"), TIMES)
def test_digests_are_built_at_their_time_in_their_zone(
    app: App, now: datetime, expected: list[str]
) -> None:
    assert [email for email, _ in built(app, now)] == expected


def test_a_digest_is_built_once(app: App) -> None:
    assert built(app, ALMATY_FIRE) == [("almaty@example.org", "2026-11-29T02:00Z")]
    for later in (
        ALMATY_FIRE,
        ALMATY_FIRE + timedelta(minutes=1),
        ALMATY_FIRE + timedelta(hours=3),
    ):
        assert built(app, later) == []


def test_a_recipient_added_while_running_is_picked_up(app: App) -> None:
    assert built(app, ALMATY_FIRE + timedelta(minutes=1)) != []
    catalog.upsert_recipient(app.db, "now@example.org", {"schedule": "immediate"})
    assert [email for email, _ in built(app, ALMATY_FIRE + timedelta(minutes=2))] == [
        "now@example.org"
    ]
    catalog.remove_recipient(app.db, "almaty@example.org")
    assert built(app, ALMATY_FIRE + timedelta(days=1)) == [("now@example.org", "2026-11-30T02:00Z")]
