"""Reading procrastinate's job tables, and the two small tables that go with them.

procrastinate owns ``procrastinate_jobs``, ``procrastinate_events`` and ``procrastinate_workers``
(see ``summitwatch.workers.schema``); these queries read them for ``summitwatch jobs``,
``summitwatch status`` and the web UI, and find which queueing locks are taken when the
scheduler defers work. ``job_errors`` keeps the last error of each failed job, since the queue
records states but not exceptions; ``engine_schema`` remembers which procrastinate schema is
installed. Everything here is PostgreSQL: workers mode requires it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text

from summitwatch.storage.db import Database
from summitwatch.storage.models import EngineSchema, JobError

FINAL = ("succeeded", "failed", "aborted", "cancelled")


@dataclass(frozen=True)
class JobRow:
    id: int
    queue: str
    task: str
    args: dict[str, Any]
    status: str
    attempts: int
    scheduled_at: datetime | None
    worker_id: int | None
    deferred_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class WorkerRow:
    id: int
    last_heartbeat: datetime
    running: int


def installed(db: Database) -> bool:
    """Whether procrastinate's tables exist in this database."""
    if db.engine.dialect.name != "postgresql":
        return False
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None


def counts(db: Database) -> list[tuple[str, str, str, int]]:
    """(queue, task, status, jobs) for every combination present."""
    query = text(
        "SELECT queue_name, task_name, status::text, count(*) FROM procrastinate_jobs"
        " GROUP BY queue_name, task_name, status ORDER BY queue_name, task_name, status"
    )
    with db.engine.connect() as conn:
        return [(q, t, s, int(n)) for q, t, s, n in conn.execute(query)]


def list_jobs(
    db: Database,
    *,
    status: str | None = None,
    queue: str | None = None,
    task: str | None = None,
    ids: Sequence[int] = (),
    limit: int = 50,
) -> list[JobRow]:
    """Newest jobs first, with their deferred/started/finished times and last error."""
    where: list[str] = ["TRUE"]
    params: dict[str, Any] = {"limit": limit}
    filters = {"status": ("j.status::text", status), "queue": ("j.queue_name", queue)}
    for name, (column, value) in {**filters, "task": ("j.task_name", task)}.items():
        if value:
            where.append(f"{column} = :{name}")
            params[name] = value
    if ids:
        where.append("j.id = ANY(:ids)")
        params["ids"] = list(ids)
    query = text(
        "SELECT j.id, j.queue_name, j.task_name, j.args, j.status::text, j.attempts,"
        " j.scheduled_at, j.worker_id, e.deferred_at, e.started_at, e.finished_at, x.error"
        " FROM procrastinate_jobs j"
        " LEFT JOIN LATERAL (SELECT"
        "   min(at) FILTER (WHERE type = 'deferred') AS deferred_at,"
        "   max(at) FILTER (WHERE type = 'started') AS started_at,"
        "   max(at) FILTER (WHERE type::text = ANY(:final)) AS finished_at"
        "   FROM procrastinate_events WHERE job_id = j.id) e ON TRUE"
        " LEFT JOIN job_errors x ON x.job_id = j.id"
        f" WHERE {' AND '.join(where)} ORDER BY j.id DESC LIMIT :limit"
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query, {**params, "final": list(FINAL)}).all()
    return [JobRow(*row) for row in rows]


def workers(db: Database) -> list[WorkerRow]:
    """Registered workers with their last heartbeat and how many jobs each is running."""
    query = text(
        "SELECT w.id, w.last_heartbeat, count(j.id) FROM procrastinate_workers w"
        " LEFT JOIN procrastinate_jobs j ON j.worker_id = w.id AND j.status = 'doing'"
        " GROUP BY w.id, w.last_heartbeat ORDER BY w.id"
    )
    with db.engine.connect() as conn:
        return [WorkerRow(int(i), beat, int(n)) for i, beat, n in conn.execute(query)]


async def taken_queueing_locks(conn: Any, locks: Sequence[str]) -> set[str]:
    """Those of ``locks`` held by a job waiting or running (``conn``: a psycopg AsyncConnection).

    Called inside the transaction that defers new jobs, so that at most one job per lock is ever
    waiting or running: a retried job then never collides with a newer copy of itself.
    """
    if not locks:
        return set()
    cursor = await conn.execute(
        "SELECT queueing_lock FROM procrastinate_jobs"
        " WHERE status IN ('todo', 'doing') AND queueing_lock = ANY(%s)",
        (list(locks),),
    )
    return {row[0] for row in await cursor.fetchall()}


async def still_due(conn: Any, task: str, ids: Sequence[int], now: datetime) -> set[int]:
    """Those of ``ids`` (feeds for ``poll_feed``, outbox messages for ``deliver_message``) still
    due at ``now``, read after :func:`taken_queueing_locks` in the same transaction.

    A job that finished after the scheduler listed the due work committed its outcome before
    it left the queue, so reading the jobs first and the work second never misses it.
    """
    if task == "poll_feed":
        sql = (
            "SELECT id FROM feeds WHERE id = ANY(%s) AND removed_at IS NULL"
            " AND (next_check_at IS NULL OR next_check_at <= %s)"
        )
    elif task == "deliver_message":
        sql = (
            "SELECT id FROM outbox WHERE id = ANY(%s)"
            " AND status IN ('pending', 'sending') AND next_attempt_at <= %s"
        )
    else:
        return set(ids)
    cursor = await conn.execute(sql, (list(ids), now))
    return {row[0] for row in await cursor.fetchall()}


def record_error(db: Database, job_id: int, task: str, attempts: int, error: str) -> None:
    """Keep the latest error of a job (one row per job, replaced on each failure)."""
    with db.session() as s:
        s.merge(
            JobError(
                job_id=job_id,
                task_name=task,
                attempts=attempts,
                error=error[:4000],
                failed_at=datetime.now(UTC),
            )
        )


def forget_errors(db: Database) -> int:
    """Drop the errors of jobs that no longer exist (cleaned up by the queue)."""
    with db.session() as s:
        orphan = text(
            "NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.id = job_errors.job_id)"
        )
        result = s.execute(delete(JobError).where(orphan))
        return int(result.rowcount)  # type: ignore[attr-defined]


def schema_version(conn: Connection, name: str) -> str | None:
    """The recorded version of an external schema (on ``conn``, inside its transaction)."""
    return conn.scalar(select(EngineSchema.version).where(EngineSchema.name == name))


def set_schema_version(conn: Connection, name: str, version: str) -> None:
    conn.execute(delete(EngineSchema).where(EngineSchema.name == name))
    conn.execute(
        insert(EngineSchema).values(name=name, version=version, applied_at=datetime.now(UTC))
    )
