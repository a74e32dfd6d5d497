"""The procrastinate application of workers mode: connection, options and retry strategy.

``summitwatch.workers.tasks.make_engine`` builds one procrastinate ``App`` per process from the
settings and the connection options here, with every task registered. Transient failures
(a database hiccup, a crashed parser) are retried with exponential backoff; a job that fails
``max_attempts`` times stays in the ``failed`` state, which is the dead letter that
``summitwatch jobs list --status failed`` and the web UI's jobs page show. Deliveries follow the
outbox's own schedule instead (``RetryAt``), so the outbox and the queue never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import procrastinate
from sqlalchemy.engine import make_url

from alerts import backoff_delay
from summitwatch.settings import Settings, SettingsError

# queues, so that hosts can specialise: `summitwatch worker --queues poll,fulltext`
QUEUES = ("schedule", "poll", "fulltext", "classify", "digest")
# higher runs first: the scheduler is never stuck behind a poll backlog, and a flagged item
# travels to the inbox before more feeds are polled
PRIORITY = {"schedule": 100, "digest": 30, "classify": 20, "fulltext": 10, "poll": 0}


@dataclass(frozen=True)
class WorkerOptions:
    """How a worker process runs; every host passes the same values in one deployment."""

    concurrency: int = 10
    queues: tuple[str, ...] = ()
    name: str = "worker"
    tick_cron: str = "* * * * *"
    heartbeat: float = 10.0
    max_attempts: int = 5
    graceful_timeout: float = 30.0

    @property
    def stalled_after(self) -> float:
        # three missed heartbeats: a busy but living worker is not mistaken for a dead one
        return 3 * self.heartbeat

    @property
    def poll_interval(self) -> float:
        # LISTEN/NOTIFY wakes workers at once; polling only catches jobs scheduled for later
        return min(5.0, max(0.2, self.heartbeat / 2))


class RetryAt(Exception):
    """Retry the job at ``when`` (the outbox's next attempt), whatever ``max_attempts`` says."""

    def __init__(self, when: datetime, detail: str) -> None:
        super().__init__(detail)
        self.when = when


class DeadLetter(Exception):
    """The job failed for good (e.g. the mail server refused the message): do not retry."""


class Backoff(procrastinate.BaseRetryStrategy):
    """Retry after ``base``·2ⁿ seconds following the n-th failure (at most ``cap``), until the
    job has failed ``max_attempts`` times; ``RetryAt`` and ``DeadLetter`` decide for themselves."""

    def __init__(self, max_attempts: int, base: float = 5.0, cap: float = 3600.0) -> None:
        self.max_attempts = max_attempts
        self.base, self.cap = timedelta(seconds=base), timedelta(seconds=cap)

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if isinstance(exception, DeadLetter):
            return None
        if isinstance(exception, RetryAt):
            return procrastinate.RetryDecision(retry_at=exception.when)
        if job.attempts + 1 >= self.max_attempts:
            return None
        # alerts' formula rather than the collector's: a failed job is retried like a failed
        # delivery (attempt count, base, cap), while the collector's backoff also reads a feed's
        # fetch settings; one formula for every retry inside summitwatch
        delay = backoff_delay(job.attempts + 1, self.base, self.cap)
        return procrastinate.RetryDecision(retry_at=datetime.now(UTC) + delay)


def require_postgres(settings: Settings) -> str:
    """The libpq connection string of the database; a clear error when it is not PostgreSQL."""
    url = settings.database_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SettingsError(
            f"runner.mode = workers needs PostgreSQL, but database.url is {url!r} "
            "(set database.url = postgresql+psycopg://user@host/dbname, or runner.mode = embedded)"
        )
    return str(parsed.set(drivername="postgresql").render_as_string(hide_password=False))


def require_workers_mode(settings: Settings) -> str:
    if settings["runner.mode"] != "workers":
        raise SettingsError(
            f"runner.mode = {settings['runner.mode']}: this command is for workers mode "
            "(set runner.mode = workers, or SUMMITWATCH_RUNNER_MODE=workers)"
        )
    return require_postgres(settings)
