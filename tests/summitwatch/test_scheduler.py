"""The embedded runner's jobs: one poll job, one cron job per scheduled recipient in the
recipient's own time zone, and schedule changes picked up without a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from summitwatch.app import App, open_app
from summitwatch.scheduler import build_scheduler, sync_digest_jobs
from summitwatch.storage import catalog


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
                "[[recipients]]",
                'email = "now@example.org"',
                'schedule = "immediate"',
            ]
        ),
        encoding="utf-8",
    )
    overrides = {
        "database.url": f"sqlite:///{tmp_path / 'sched.db'}",
        "classifier.cache_dir": str(model_cache),
    }
    return open_app(config, overrides, env={})


def test_jobs_per_recipient_in_their_time_zone(app: App) -> None:
    scheduler = build_scheduler(app, Console(quiet=True))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert {"poll", "immediate", "resync"} <= set(jobs)
    assert "digest:now@example.org" not in jobs  # served by the poll cycle's delivery
    almaty = jobs["digest:almaty@example.org"].trigger
    paris = jobs["digest:paris@example.org"].trigger
    assert str(almaty.timezone) == "Asia/Almaty" and str(paris.timezone) == "Europe/Paris"
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    # 07:00 in Almaty (UTC+5) is 02:00 UTC; Monday 08:30 in Paris (UTC+1 in winter) is 07:30 UTC
    assert almaty.get_next_fire_time(None, start).astimezone(UTC) == datetime(
        2026, 11, 29, 2, 0, tzinfo=UTC
    )
    assert paris.get_next_fire_time(None, start).astimezone(UTC) == datetime(
        2026, 11, 30, 7, 30, tzinfo=UTC
    )


def test_schedule_changes_apply_at_the_next_resync(app: App) -> None:
    scheduler = build_scheduler(app, Console(quiet=True))
    catalog.remove_recipient(app.db, "paris@example.org")
    sync_digest_jobs(scheduler, app, Console(quiet=True))
    assert "digest:paris@example.org" not in {job.id for job in scheduler.get_jobs()}
