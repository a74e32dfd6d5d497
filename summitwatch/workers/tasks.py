"""The jobs of workers mode: thin shells that run one pipeline step for one id.

Each task takes the worker's ``Runtime`` (the application, the options and one ``FeedFetcher``
shared by the process's jobs, so connections and per-host limits are shared too) from the job
context, calls the step of ``summitwatch.pipeline``, and defers the follow-up: a poll defers the
extraction of its new items' full text (full-text feeds) or a classification run; an extraction
defers a classification run; a built digest defers its delivery. A classification run scores
every item waiting, a batch at a time, so runs are coalesced: one at a time, one more queued.
``make_engine`` builds the procrastinate ``App`` with these tasks registered.
A follow-up lost to a crash between a step's commit and its deferral is found again by the tick
(see ``scheduling``). Every failure is recorded in ``job_errors`` before procrastinate decides
on a retry.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import procrastinate

from collectors import FeedFetcher
from summitwatch import digest_steps, pipeline
from summitwatch.app import App
from summitwatch.settings import Settings
from summitwatch.storage import jobqueue
from summitwatch.workers import deferral
from summitwatch.workers.engine import (
    PRIORITY,
    Backoff,
    DeadLetter,
    RetryAt,
    WorkerOptions,
    require_postgres,
)

log = logging.getLogger(__name__)
Step = Callable[..., Awaitable[str]]


@dataclass
class Runtime:
    """What the jobs of one worker process share."""

    app: App
    options: WorkerOptions
    fetcher: FeedFetcher


def runtime(context: procrastinate.JobContext) -> Runtime:
    found: Runtime = context.additional_context["runtime"]
    return found


def _recorded(step: Step) -> Step:
    """Record a failing job's error (for the dead-letter view) and let procrastinate decide."""

    @functools.wraps(step)
    async def run(context: procrastinate.JobContext, **kwargs: Any) -> str:
        try:
            return await step(context, **kwargs)
        except Exception as exc:
            job = context.job
            assert job.id is not None
            await asyncio.to_thread(
                jobqueue.record_error,
                runtime(context).app.db,
                job.id,
                job.task_name,
                job.attempts + 1,
                f"{type(exc).__name__}: {exc}",
            )
            raise

    return run


async def poll_feed(context: procrastinate.JobContext, feed_id: int) -> str:
    rt = runtime(context)
    outcome = await pipeline.poll_feed(rt.app, rt.fetcher, feed_id)
    if outcome is None:
        return "not due (already polled)"
    if outcome.new_ids and outcome.full_text:
        specs = [deferral.JobSpec.extract(i) for i in outcome.new_ids]
        await deferral.defer_unique(context.app, specs)
    elif outcome.new_ids:
        await deferral.defer_classification(context.app)
    return f"{outcome.result.status}: {len(outcome.new_ids)} new items"


async def extract_full_text(context: procrastinate.JobContext, item_id: int) -> str:
    rt = runtime(context)
    if not await pipeline.extract_full_text(rt.app, rt.fetcher, item_id):
        return "not awaited (already extracted)"
    await deferral.defer_classification(context.app)
    return "extracted"


async def classify_pending(context: procrastinate.JobContext) -> str:
    # CPU-bound: in a thread, so the worker's other jobs and its heartbeat go on meanwhile
    scored, flagged = await asyncio.to_thread(pipeline.classify_pending, runtime(context).app)
    return f"{scored} scored, {flagged} flagged"


async def build_digest(context: procrastinate.JobContext, email: str) -> str:
    rt = runtime(context)
    plan = await asyncio.to_thread(digest_steps.build_digest_for, rt.app, email)
    if plan is None:
        return "not due (already built)"
    if plan.outbox_id is not None:
        await deferral.defer_unique(context.app, [deferral.JobSpec.deliver(plan.outbox_id)])
    return f"{plan.period}: {plan.events} events" + ("" if plan.subject else " (nothing to send)")


async def deliver_message(context: procrastinate.JobContext, message_id: int) -> str:
    rt = runtime(context)
    claimant = f"job:{context.job.id}"
    report, state = await asyncio.to_thread(
        digest_steps.deliver_message, rt.app, message_id, claimant
    )
    detail = "; ".join(d for _, _, d in report.details)
    if state is not None and state.status == "failed":
        raise DeadLetter(state.last_error or detail)
    if report.retry and state is not None and state.next_attempt_at is not None:
        raise RetryAt(state.next_attempt_at, detail)
    return "sent" if report.sent else f"nothing to send ({state.status if state else 'gone'})"


async def tick(context: procrastinate.JobContext, timestamp: int) -> str:
    rt = runtime(context)
    report = await deferral.tick(rt.app, context.app, rt.options)
    if report.deferred or report.recovered or report.dead:
        log.info("tick %s: %s", timestamp, report.line())
    return report.line()


async def cleanup(context: procrastinate.JobContext, timestamp: int) -> str:
    rt = runtime(context)
    removed = await deferral.cleanup(rt.app, context.app)
    return f"{removed} job errors of removed jobs forgotten"


def register(engine: procrastinate.App, options: WorkerOptions) -> None:
    """Register every task on ``engine``; the tick runs on ``options.tick_cron``."""
    retry = Backoff(options.max_attempts)
    table: list[tuple[Step, str, Backoff | None]] = [
        (poll_feed, "poll", retry),
        (extract_full_text, "fulltext", retry),
        # a failed classification is queued again by the next poll or tick: no retry, which
        # could meet the job queued meanwhile for the same (coalesced) work
        (classify_pending, "classify", None),
        (build_digest, "digest", retry),
        (deliver_message, "digest", retry),
        (tick, "schedule", None),
        (cleanup, "schedule", None),
    ]
    for step, queue, strategy in table:
        # one classification at a time, and one more queued while it runs: each run takes
        # every item waiting, so new items from many polls are scored in a few large batches
        single = deferral.CLASSIFY if step is classify_pending else None
        engine.task(
            name=step.__name__,
            queue=queue,
            priority=PRIORITY[queue] + (5 if step is deliver_message else 0),
            pass_context=True,
            retry=strategy or False,
            lock=single,
            queueing_lock=single,
        )(_recorded(step))
    engine.periodic(cron=options.tick_cron, periodic_id="tick")(engine.tasks["tick"])
    engine.periodic(cron="17 * * * *", periodic_id="cleanup")(engine.tasks["cleanup"])


def make_engine(settings: Settings, options: WorkerOptions | None = None) -> procrastinate.App:
    """A procrastinate App on the configured PostgreSQL database, tasks registered."""
    options = options or WorkerOptions()
    connector = procrastinate.PsycopgConnector(
        conninfo=require_postgres(settings),
        # jobs hold a connection only to fetch and finish; a few serve many concurrent jobs
        min_size=1,
        max_size=max(3, min(options.concurrency // 3, 6)),
    )
    engine = procrastinate.App(connector=connector)
    register(engine, options)
    return engine
