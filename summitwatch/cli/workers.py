"""Workers mode's commands: ``summitwatch worker``, ``summitwatch jobs`` and ``summitwatch
status`` (which reports on either mode).

The work is done in ``summitwatch.workers`` (engine, runner, scheduling) and
``summitwatch.status``; these functions parse the options, check that the job queue is there and
print the outcome.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, TypeVar

import procrastinate
import typer
from rich.console import Console
from rich.table import Table

from summitwatch import status as report
from summitwatch.app import App
from summitwatch.cli.context import get_app, get_context
from summitwatch.settings import SettingsError
from summitwatch.storage import jobqueue
from summitwatch.workers import deferral
from summitwatch.workers.engine import WorkerOptions, require_postgres, require_workers_mode
from summitwatch.workers.runner import run_worker
from summitwatch.workers.tasks import make_engine

console = Console()
jobs = typer.Typer(name="jobs", no_args_is_help=True, help="The job queue of workers mode.")
STATES = ("todo", "doing", "succeeded", "failed", "aborted", "cancelled")
T = TypeVar("T")

Heartbeat = Annotated[
    float,
    typer.Option(min=0.1, help="Seconds between heartbeats; silent 3x this long = dead."),
]


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs run at once.")] = 10,
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues (schedule,poll,fulltext,classify,digest).")
    ] = "",
    tick: Annotated[
        str, typer.Option(help="Cron of the scheduling tick; a 6th field counts seconds.")
    ] = "* * * * *",
    heartbeat: Heartbeat = 10.0,
    max_attempts: Annotated[int, typer.Option(min=1, help="Attempts before dead letter.")] = 5,
    graceful_timeout: Annotated[
        float, typer.Option(min=0, help="On stop, seconds running jobs get to finish.")
    ] = 30.0,
    name: Annotated[str, typer.Option(help="Name in logs (default host:pid).")] = "worker",
    verbose: Annotated[bool, typer.Option(help="Log every job.")] = False,
) -> None:
    """Run a procrastinate worker (workers mode): take jobs until stopped."""
    options = WorkerOptions(
        concurrency=concurrency,
        queues=tuple(q.strip() for q in queues.split(",") if q.strip()),
        name=name,
        tick_cron=tick,
        heartbeat=heartbeat,
        max_attempts=max_attempts,
        graceful_timeout=graceful_timeout,
    )
    root = get_context(ctx)
    run_worker(root.config, root.overrides, options, console, verbose=verbose)


async def _with_engine(
    application: App,
    options: WorkerOptions,
    work: Callable[[procrastinate.App], Awaitable[T]],
) -> T:
    engine: procrastinate.App = make_engine(application.settings, options)
    async with engine.open_async():
        return await work(engine)


def _ready(ctx: typer.Context) -> App:
    application = get_app(ctx)
    require_workers_mode(application.settings)
    if not jobqueue.installed(application.db):
        raise SettingsError("the job queue's tables are missing: run `summitwatch db upgrade`")
    return application


@jobs.command("list")
def jobs_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="todo, doing, succeeded, failed (dead letters), aborted.")
    ] = None,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    task: Annotated[str | None, typer.Option(help="Only this task, e.g. poll_feed.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many jobs.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Jobs, newest first, with their attempts, times and last error."""
    application = _ready(ctx)
    if status and status not in STATES:
        raise SettingsError(f"--status {status}: expected one of {', '.join(STATES)}")
    rows = jobqueue.list_jobs(application.db, status=status, queue=queue, task=task, limit=limit)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(asdict(r), default=str, ensure_ascii=False))
        return
    table = Table(title=f"Jobs ({status or 'all states'})", title_justify="left")
    for column in ("id", "task", "args", "status", "attempts", "deferred", "finished", "error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        args = ", ".join(f"{k}={v}" for k, v in r.args.items())
        finished = f"{r.finished_at:%Y-%m-%d %H:%M:%S}" if r.finished_at else "—"
        deferred = f"{r.deferred_at:%Y-%m-%d %H:%M:%S}" if r.deferred_at else "—"
        table.add_row(
            str(r.id), r.task, args[:60], r.status, str(r.attempts), deferred, finished,
            (r.error or "")[:120],
        )  # fmt: skip
    console.print(table)


@jobs.command("retry")
def jobs_retry(
    ctx: typer.Context,
    job_ids: Annotated[list[int], typer.Argument(help="Ids of failed jobs.")],
) -> None:
    """Give dead-lettered jobs one more attempt."""
    application = _ready(ctx)

    async def work(engine: procrastinate.App) -> dict[int, str]:
        return await deferral.requeue(application, engine, job_ids)

    outcome = asyncio.run(_with_engine(application, WorkerOptions(), work))
    for job_id, what in outcome.items():
        console.print(f"job {job_id}: {what}")


@jobs.command("tick")
def jobs_tick(ctx: typer.Context, heartbeat: Heartbeat = 10.0) -> None:
    """Defer what is due now and recover stalled jobs (what the periodic tick does)."""
    application = _ready(ctx)
    options = WorkerOptions(heartbeat=heartbeat)

    async def work(engine: procrastinate.App) -> deferral.TickReport:
        return await deferral.tick(application, engine, options)

    console.print(asyncio.run(_with_engine(application, options, work)).line())


def status(ctx: typer.Context, heartbeat: Heartbeat = 10.0) -> None:
    """Feeds due, jobs queued/running/failed, last digest per recipient, workers alive."""
    application = get_app(ctx)
    if application.settings["runner.mode"] == "workers":
        require_postgres(application.settings)
    report.render(report.gather(application, stalled_after=3 * heartbeat), console)
