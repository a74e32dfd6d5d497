"""One worker process: ``summitwatch worker`` starts here.

Start-up runs under a PostgreSQL advisory lock (``schema.startup_lock``), so that workers
starting together on several hosts migrate and seed the database one after the other; it then
installs or upgrades procrastinate's schema and loads the model, so the first job does not pay
for it. The process runs procrastinate's worker with the runtime every job shares. SIGTERM or
Ctrl-C stops it gracefully: no new job is taken, running jobs get ``graceful_timeout`` seconds
to finish, and those still running are aborted and put back in the queue for another worker.
A worker that dies without that (``kill -9``, a host lost) stops beating; the tick of another
worker retries its jobs once ``3 × heartbeat`` seconds have passed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from collectors import FeedFetcher, FetchSettings
from summitwatch import modelstore, pipeline
from summitwatch.app import App, country_problem, open_app
from summitwatch.settings import SettingsError, load_settings
from summitwatch.workers import schema
from summitwatch.workers.engine import QUEUES, WorkerOptions, require_workers_mode
from summitwatch.workers.tasks import Runtime, make_engine

log = logging.getLogger(__name__)


def check_queues(queues: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [q for q in queues if q not in QUEUES]
    if unknown:
        raise SettingsError(
            f"--queues {','.join(unknown)}: unknown queue (expected some of {', '.join(QUEUES)})"
        )
    return queues


def worker_fetch_settings(app: App) -> FetchSettings:
    """The collector's settings for a worker: parse in a thread unless a pool size is set,
    since worker processes (one or more per core) are already the parallelism."""
    settings = pipeline.fetch_settings(app)
    return replace(settings, parse_workers=settings.parse_workers or 0)


def open_worker_app(config: Path | None, overrides: Mapping[str, Any]) -> tuple[App, str]:
    """The application, migrated and with the job queue's schema; (app, schema line)."""
    settings = load_settings(config, overrides, validate_country=country_problem)
    require_workers_mode(settings)
    with schema.startup_lock(settings.database_url):
        app = open_app(config, overrides)
        return app, schema.upgrade(app.db)


async def serve(app: App, options: WorkerOptions) -> None:
    engine = make_engine(app.settings, options)
    async with engine.open_async(), FeedFetcher(worker_fetch_settings(app)) as fetcher:
        if options.queues:  # without the option a worker takes jobs from every queue
            engine.worker_defaults["queues"] = list(options.queues)
        await engine.run_worker_async(
            concurrency=options.concurrency,
            name=options.name,
            additional_context={"runtime": Runtime(app, options, fetcher)},
            update_heartbeat_interval=options.heartbeat,
            stalled_worker_timeout=options.stalled_after,
            shutdown_graceful_timeout=options.graceful_timeout,
            fetch_job_polling_interval=options.poll_interval,
            abort_job_polling_interval=max(1.0, options.poll_interval),
        )


def run_worker(
    config: Path | None,
    overrides: Mapping[str, Any],
    options: WorkerOptions,
    console: Console,
    *,
    verbose: bool = False,
) -> None:
    check_queues(options.queues)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("summitwatch").setLevel(logging.INFO)
    if verbose:  # one line per job: useful when debugging, costly at thousands of jobs a minute
        logging.getLogger("procrastinate").setLevel(logging.INFO)
    if options.name == "worker":
        options = replace(options, name=f"{socket.gethostname()}:{os.getpid()}")
    app, schema_line = open_worker_app(config, overrides)
    console.print(schema_line)
    modelstore.prepare_model(app, console.print)
    app.detector()
    queues = ",".join(options.queues) or "all queues"
    console.print(
        f"worker {options.name}: {queues}, {options.concurrency} jobs at once, "
        f"tick {options.tick_cron!r}, heartbeat {options.heartbeat:g}s; Ctrl-C to stop"
    )
    try:
        asyncio.run(serve(app, options))
    finally:
        app.close()
    console.print("worker stopped")
