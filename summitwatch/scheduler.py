"""The embedded runner: APScheduler 3 in one process.

One interval job polls the feeds that are due (the due times live in the database, so the job
itself runs often and cheaply), classifies what is new and delivers pending digests; one cron job
per recipient schedule builds that recipient's digest. Jobs never overlap (``max_instances=1``,
``coalesce``), and the recipient jobs are re-read every few minutes so that schedules changed in
the web UI take effect without a restart. The jobs only call ``summitwatch.pipeline``'s steps;
``[runner] mode = "workers"`` runs the same steps as procrastinate jobs (``summitwatch.workers``)
instead, since APScheduler 3's job stores cannot be shared between processes.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from rich.console import Console

from alerts import Schedule
from summitwatch import digests, pipeline
from summitwatch.app import App
from summitwatch.storage import catalog

log = logging.getLogger(__name__)
POLL_SECONDS = 60
RESYNC_SECONDS = 300


def poll_job(app: App, console: Console) -> None:
    try:
        report = pipeline.collect(app)
        scored, flagged = pipeline.classify_pending(app)
        delivery = digests.deliver(app)
        if report.feeds or scored:
            console.print(
                f"{datetime.now(UTC):%H:%M:%S} {report.line()}; {scored} scored, "
                f"{flagged} flagged; delivery {delivery}"
            )
    except Exception:  # one bad cycle must not stop the scheduler; the next one retries
        log.exception("poll cycle failed")


def digest_job(app: App, console: Console) -> None:
    try:
        plans = digests.build_digests(app)
        delivery = digests.deliver(app)
        for plan in plans:
            if plan.error is not None:
                console.print(f"digest for {plan.recipient} not built: {plan.error}", markup=False)
                continue
            console.print(
                f"digest for {plan.recipient} ({plan.period}): "
                f"{plan.events} events; delivery {delivery}"
            )
    except Exception:
        log.exception("digest job failed")


def sync_digest_jobs(scheduler: Any, app: App, console: Console) -> None:
    wanted = {}
    for r in catalog.list_recipients(app.db):
        schedule = Schedule.parse(r.schedule, r.timezone)
        fields = schedule.cron_fields()
        job_id = f"digest:{r.email}"
        wanted[job_id] = fields
        trigger = CronTrigger(**fields, timezone=r.timezone) if fields else None
        if trigger is None:
            continue  # "immediate" recipients are served by the poll job's delivery
        scheduler.add_job(
            digest_job,
            trigger,
            args=(app, console),
            id=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
    for job in scheduler.get_jobs():
        if job.id.startswith("digest:") and job.id not in wanted:
            job.remove()


def build_scheduler(app: App, console: Console) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=UTC)
    scheduler.add_job(
        poll_job,
        "interval",
        seconds=POLL_SECONDS,
        args=(app, console),
        id="poll",
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        immediate_job,
        "interval",
        seconds=POLL_SECONDS,
        args=(app, console),
        id="immediate",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        sync_digest_jobs,
        "interval",
        seconds=RESYNC_SECONDS,
        args=(scheduler, app, console),
        id="resync",
    )
    sync_digest_jobs(scheduler, app, console)
    return scheduler


def immediate_job(app: App, console: Console) -> None:
    """Recipients with the ``immediate`` schedule get a digest as soon as something is flagged."""
    digest_job(app, console)


def run_forever(app: App, console: Console) -> None:
    scheduler = build_scheduler(app, console)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    console.print(f"summitwatch running: polling every {POLL_SECONDS}s; Ctrl-C to stop")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        console.print("stopped")
