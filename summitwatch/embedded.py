"""The embedded runner: APScheduler 3 in one process, with two interval jobs that never overlap
(``max_instances=1``, ``coalesce``). The poll job collects the feeds that are due (their due
times live in the database, so it runs often and cheaply), classifies what is new and delivers
pending digests. The digest tick runs at the start of every minute and asks the database the
same question as workers mode's tick (``digest_steps.due_recipients``): it builds the digests
that are due and delivers them, so recipients added or schedules changed in the web UI apply at
the next minute without a restart. The jobs only call the pipeline's steps; ``[runner] mode =
"workers"`` runs the same steps as procrastinate jobs (``summitwatch.workers``) instead, since
APScheduler 3's job stores cannot be shared between processes."""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from rich.console import Console

from summitwatch import digest_steps, pipeline
from summitwatch.app import App

log = logging.getLogger(__name__)
POLL_SECONDS = 60
TICK_SECONDS = 60  # schedules are minute-precise (cron), so one look a minute is enough


def poll_job(app: App, console: Console) -> None:
    try:
        report = pipeline.collect(app)
        scored, flagged = pipeline.classify_pending(app)
        delivery = digest_steps.deliver(app)
        if report.feeds or scored:
            console.print(
                f"{datetime.now(UTC):%H:%M:%S} {report.line()}; {scored} scored, "
                f"{flagged} flagged; delivery {delivery}"
            )
    except Exception:  # one bad cycle must not stop the scheduler; the next one retries
        log.exception("poll cycle failed")


def digest_tick(
    app: App, console: Console, now: datetime | None = None
) -> list[digest_steps.DigestPlan]:
    """Build and deliver the digests due at ``now``; returns what was built."""
    try:
        now = now or datetime.now(UTC)
        due = digest_steps.due_recipients(app, now)
        if not due:
            return []
        plans = digest_steps.build_digests(app, now, records=due)
        delivery = digest_steps.deliver(app, now)
    except Exception:  # the next tick asks again: nothing is marked built unless it was
        log.exception("digest tick failed")
        return []
    for plan in plans:
        if plan.error is not None:
            console.print(f"digest for {plan.recipient} not built: {plan.error}", markup=False)
            continue
        console.print(
            f"digest for {plan.recipient} ({plan.period}): "
            f"{plan.events} events; delivery {delivery}"
        )
    return plans


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


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
    # aligned to the minute, so a 07:00 digest is built at 07:00:00 and not up to a minute late
    tick = IntervalTrigger(seconds=TICK_SECONDS, start_date=next_minute(datetime.now(UTC)))
    scheduler.add_job(
        digest_tick,
        tick,
        args=(app, console),
        id="digests",
        max_instances=1,
        coalesce=True,
    )
    return scheduler


def run_forever(app: App, console: Console) -> None:
    scheduler = build_scheduler(app, console)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    console.print(f"summitwatch running: polling every {POLL_SECONDS}s; Ctrl-C to stop")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        console.print("stopped")
