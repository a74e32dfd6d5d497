"""The workers' scheduler: turn what the database says is due into jobs, one per piece of work.
Every worker process runs procrastinate's periodic deferrer, which defers one ``tick`` job per
period however many workers there are (the database deduplicates the period). A tick takes a
PostgreSQL advisory lock, so ticks never overlap; it then retries the jobs of workers that stopped
beating (killed, frozen, host gone), or dead-letters them after ``max_attempts``, and forgets
those workers; and it defers a poll for each due feed, a build for each recipient whose digest is
due (``digest_steps.due_recipients``, the question the embedded runner's tick asks too), a delivery
for each due outbox message, and the follow-ups a crash may have lost (full-text extractions, a
classification run for items left unscored). All deferring goes through ``defer_unique``: under a
second advisory lock it skips every job whose queueing lock ("poll:<feed id>", "deliver:<message
id>", ...) is held by a job waiting or running, so there is at most one pending job per feed,
however many ticks or schedulers run at once, and a job that procrastinate puts back in the queue
(a retry, a recovered job) never meets a second copy of itself. Classification is the exception:
one run at a time with one more queued (procrastinate's own lock and queueing lock), since each
run scores everything waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, ProcrastinateException
from procrastinate.jobs import Status

from summitwatch import digest_steps
from summitwatch.app import App
from summitwatch.storage import jobqueue, outbox, work
from summitwatch.workers.engine import WorkerOptions

log = logging.getLogger(__name__)
TICK_LOCK = 0x5357_7469_636B  # "SWtick": one tick at a time across all hosts
DEFER_LOCK = 0x5357_6466_7272  # "SWdfrr": check-then-insert of queueing locks is atomic
# a follow-up (classification, full text) not done this long after its item arrived was lost
LOST_AFTER = timedelta(minutes=2)
CLASSIFY = "classify"  # lock and queueing lock of the (coalesced) classification run
KEEP_HOURS = 24  # finished jobs stay listed this long; dead letters stay until retried
CHUNK = 1000


@dataclass(frozen=True)
class JobSpec:
    task: str
    args: dict[str, Any]
    queueing_lock: str
    # a lock also keeps two jobs for the same key from running at once; polls and extractions,
    # by far the most numerous, rely on their step's own "still due?" check instead
    exclusive: bool = False

    @classmethod
    def poll(cls, feed_id: int) -> JobSpec:
        return cls("poll_feed", {"feed_id": feed_id}, f"poll:{feed_id}")

    @classmethod
    def extract(cls, item_id: int) -> JobSpec:
        return cls("extract_full_text", {"item_id": item_id}, f"fulltext:{item_id}")

    @classmethod
    def digest(cls, email: str) -> JobSpec:
        return cls("build_digest", {"email": email}, f"digest:{email}", exclusive=True)

    @classmethod
    def deliver(cls, message_id: int) -> JobSpec:
        args = {"message_id": message_id}
        return cls("deliver_message", args, f"deliver:{message_id}", exclusive=True)


@dataclass
class TickReport:
    skipped: bool = False
    deferred: Counter[str] = field(default_factory=Counter)
    recovered: int = 0
    dead: int = 0

    def line(self) -> str:
        if self.skipped:
            return "skipped: another tick is running"
        jobs = ", ".join(f"{n} {task}" for task, n in sorted(self.deferred.items())) or "no jobs"
        return f"deferred {jobs}; {self.recovered} stalled jobs retried, {self.dead} dead-lettered"


def _pool(engine: procrastinate.App) -> Any:
    return cast(procrastinate.PsycopgConnector, engine.connector).pool


def _job(engine: procrastinate.App, spec: JobSpec) -> procrastinate.jobs.Job:
    lock = spec.queueing_lock if spec.exclusive else None
    deferrer = engine.configure_task(
        spec.task, queueing_lock=spec.queueing_lock, lock=lock, task_kwargs=spec.args
    )
    return deferrer.job


async def _still_due(conn: Any, specs: list[JobSpec]) -> list[JobSpec]:
    # work done by a job that finished since the due list was read is no longer due
    now = datetime.now(UTC)
    keep = []
    for task, key in (("poll_feed", "feed_id"), ("deliver_message", "message_id")):
        ids = [s.args[key] for s in specs if s.task == task]
        due = await jobqueue.still_due(conn, task, ids, now) if ids else set()
        keep += [s for s in specs if s.task == task and s.args[key] in due]
    return keep + [s for s in specs if s.task not in ("poll_feed", "deliver_message")]


async def defer_unique(engine: procrastinate.App, specs: Sequence[JobSpec]) -> list[JobSpec]:
    """Defer the jobs whose queueing lock is free; returns those deferred."""
    if not specs:
        return []
    async with _pool(engine).connection() as conn:
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (DEFER_LOCK,))
        seen = await jobqueue.taken_queueing_locks(conn, [s.queueing_lock for s in specs])
        free = []
        for spec in specs:
            if spec.queueing_lock not in seen:
                seen.add(spec.queueing_lock)
                free.append(spec)
        fresh = await _still_due(conn, free)
        manager = engine.job_manager
        deferred: list[JobSpec] = []
        for start in range(0, len(fresh), CHUNK):
            chunk = fresh[start : start + CHUNK]
            try:
                async with conn.transaction():  # a savepoint: a clash undoes this chunk only
                    await manager.batch_defer_jobs_async([_job(engine, s) for s in chunk], conn)
                deferred += chunk
            except AlreadyEnqueued:
                # a job deferred outside SummitWatch holds one of these locks: go one by one
                for spec in chunk:
                    try:
                        async with conn.transaction():
                            await manager.defer_job_async(_job(engine, spec), conn)
                        deferred.append(spec)
                    except AlreadyEnqueued:
                        continue
    return deferred


async def defer_classification(engine: procrastinate.App) -> bool:
    """Queue a classification run unless one is already waiting (one may be running: the
    waiting one takes what arrived meanwhile). Returns whether a run was queued."""
    try:
        await engine.configure_task("classify_pending").defer_async()
        return True
    except AlreadyEnqueued:
        return False


def due_work(app: App, now: datetime) -> list[JobSpec]:
    """Everything the database says is due at ``now``, as jobs."""
    specs = [JobSpec.poll(i) for i in work.due_feed_ids(app.db, now)]
    specs += [JobSpec.digest(r.email) for r in digest_steps.due_recipients(app, now)]
    specs += [JobSpec.deliver(i) for i in work.due_message_ids(app.db, now)]
    specs += [JobSpec.extract(i) for i in work.stale_full_text_ids(app.db, now - LOST_AFTER)]
    return specs


async def recover_stalled(
    app: App, engine: procrastinate.App, options: WorkerOptions
) -> tuple[int, int]:
    """Put the jobs of silent workers back in the queue; (retried, dead-lettered)."""
    manager = engine.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=options.stalled_after)
    retried = dead = 0
    for job in stalled:
        assert job.id is not None
        why = f"worker {job.worker_id} stopped beating during attempt {job.attempts + 1}"
        try:
            if job.task_name in ("tick", "cleanup", "classify_pending"):
                # periodic or coalesced: the next period, or the run queued meanwhile, does it
                await manager.finish_job(job, Status.ABORTED, delete_job=False)
                if job.task_name == "classify_pending":
                    await defer_classification(engine)
                continue
            final = job.attempts + 1 >= options.max_attempts
            await asyncio.to_thread(
                jobqueue.record_error,
                app.db,
                job.id,
                job.task_name,
                job.attempts + 1,
                why + ("; gave up" if final else "; retried"),
            )
            if final:
                await manager.finish_job(job, Status.FAILED, delete_job=False)
                dead += 1
            else:
                await manager.retry_job(job)
                retried += 1
        except ProcrastinateException as exc:  # the job moved on meanwhile (its worker woke)
            log.warning("stalled job %s not recovered: %s", job.id, exc)
    return retried, dead


async def tick(
    app: App, engine: procrastinate.App, options: WorkerOptions, now: datetime | None = None
) -> TickReport:
    """One scheduling pass (see the module docstring); skipped while another one runs."""
    report = TickReport()
    async with _pool(engine).connection() as guard:
        # held until this connection's transaction ends, i.e. when the pass is over; released
        # by PostgreSQL itself if this process dies
        cursor = await guard.execute("SELECT pg_try_advisory_xact_lock(%s)", (TICK_LOCK,))
        row = await cursor.fetchone()
        if not row or not row[0]:
            return TickReport(skipped=True)
        report.recovered, report.dead = await recover_stalled(app, engine, options)
        now = now or datetime.now(UTC)
        specs = await asyncio.to_thread(due_work, app, now)
        report.deferred.update(s.task for s in await defer_unique(engine, specs))
        # a run lost with its worker, or never queued because a poll's worker died first
        if await asyncio.to_thread(work.has_unscored, app.db, now - LOST_AFTER):
            report.deferred["classify_pending"] += await defer_classification(engine)
        await engine.job_manager.prune_stalled_workers(options.stalled_after)
    return report


async def cleanup(app: App, engine: procrastinate.App) -> int:
    """Forget finished jobs after ``KEEP_HOURS`` (dead letters stay) and their errors."""
    await engine.job_manager.delete_old_jobs(
        nb_hours=KEEP_HOURS, include_aborted=True, include_cancelled=True
    )
    return await asyncio.to_thread(jobqueue.forget_errors, app.db)


async def requeue(app: App, engine: procrastinate.App, job_ids: Sequence[int]) -> dict[int, str]:
    """Give dead-lettered (failed) jobs one more attempt; job id -> what happened. A delivery's
    outbox message, given up on with its job, is reopened too."""
    outcome: dict[int, str] = {}
    async with _pool(engine).connection() as conn:
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (DEFER_LOCK,))
        cursor = await conn.execute(
            "SELECT id, status::text, queueing_lock, task_name, args FROM procrastinate_jobs"
            " WHERE id = ANY(%s)",
            (list(job_ids),),
        )
        rows = {row[0]: row[1:] for row in await cursor.fetchall()}
        taken = await jobqueue.taken_queueing_locks(conn, [r[1] for r in rows.values() if r[1]])
        for job_id in job_ids:
            state, lock, task, args = rows.get(job_id, ("missing", None, "", {}))
            if state != "failed":
                outcome[job_id] = f"not retried: the job is {state}"
            elif lock in taken:
                outcome[job_id] = f"not retried: a newer job for {lock} is queued or running"
            else:
                if task == "deliver_message":
                    await asyncio.to_thread(outbox.reopen, app.db, int(args["message_id"]))
                await engine.job_manager.retry_job_by_id_async(job_id, datetime.now(UTC))
                outcome[job_id] = "queued again"
    return outcome
