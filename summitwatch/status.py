"""``summitwatch status`` and the web UI's jobs page: what is due, queued, running and failed.

In either mode the database is the list of work: feeds due, items waiting for their full text or
a verdict, digests in the outbox. In embedded mode that is the whole picture (the one process's
liveness shows as the time of its last feed check). In workers mode the job queue adds jobs per
task and state (``failed`` being the dead letter), and the registered workers with their last
heartbeat: a worker silent for longer than three heartbeats is counted as gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from summitwatch.app import App
from summitwatch.storage import catalog, jobqueue, outbox, work


@dataclass(frozen=True)
class QueueRow:
    task: str
    queued: int
    running: int
    failed: int


@dataclass(frozen=True)
class WorkerStatus:
    id: int
    seconds_since_beat: float
    running: int
    alive: bool


@dataclass(frozen=True)
class DigestStatus:
    recipient: str
    schedule: str
    period: str
    status: str
    sent_at: datetime | None
    error: str | None


@dataclass
class Status:
    mode: str
    now: datetime
    backlog: work.Backlog
    queue: list[QueueRow] = field(default_factory=list)
    workers: list[WorkerStatus] = field(default_factory=list)
    digests: list[DigestStatus] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _embedded_queue(backlog: work.Backlog) -> list[QueueRow]:
    """The embedded runner's queue is the database itself: what each step still has to do."""
    box = backlog.outbox
    pending, sending, failed = (box.get(k, 0) for k in ("pending", "sending", "failed"))
    return [
        QueueRow("poll (feeds due)", backlog.feeds_due, 0, 0),
        QueueRow("full text (items waiting)", backlog.awaiting_full_text, 0, 0),
        QueueRow("classify (items unscored)", backlog.unscored, 0, 0),
        QueueRow("deliver (outbox)", pending, sending, failed),
    ]


def _job_queue(app: App, status: Status, stalled_after: float) -> None:
    if not jobqueue.installed(app.db):
        status.notes.append("the job queue's tables are missing: run `summitwatch db upgrade`")
        return
    per_task: dict[str, dict[str, int]] = {}
    for _queue, task, state, n in jobqueue.counts(app.db):
        per_task.setdefault(task, {})[state] = n
    status.queue = [
        QueueRow(task, c.get("todo", 0), c.get("doing", 0), c.get("failed", 0))
        for task, c in sorted(per_task.items())
    ]
    for w in jobqueue.workers(app.db):
        age = (status.now - w.last_heartbeat).total_seconds()
        status.workers.append(WorkerStatus(w.id, age, w.running, age <= stalled_after))


def gather(app: App, *, stalled_after: float = 30.0, now: datetime | None = None) -> Status:
    """Everything ``summitwatch status`` shows (``stalled_after``: see ``WorkerOptions``)."""
    now = now or datetime.now(UTC)
    mode = str(app.settings["runner.mode"])
    status = Status(mode, now, work.backlog(app.db, now))
    if mode == "workers":
        _job_queue(app, status, stalled_after)
    else:
        status.queue = _embedded_queue(status.backlog)
        last = status.backlog.last_poll
        seen = f"{(now - last).total_seconds():.0f} s ago" if last else "never"
        status.notes.append(f"embedded runner (one process): last feed check {seen}")
    newest = outbox.last_digests(app.db)
    for r in catalog.list_recipients(app.db):
        d = newest.get(r.email)
        status.digests.append(
            DigestStatus(
                r.email,
                f"{r.schedule} ({r.timezone})",
                str(d["period"]) if d else "—",
                str(d["status"]) if d else "none yet",
                d["sent_at"] if d and isinstance(d["sent_at"], datetime) else None,
                str(d["error"]) if d and d["error"] else None,
            )
        )
    return status


def render(status: Status, console: Console) -> None:
    b = status.backlog
    console.print(
        f"mode: {status.mode}   feeds: {b.feeds}, {b.feeds_due} due   "
        f"items waiting: {b.awaiting_full_text} for full text, {b.unscored} for a verdict"
    )
    jobs = Table(title="Work", title_justify="left")
    for column in ("task", "queued", "running", "failed"):
        jobs.add_column(column, justify="left" if column == "task" else "right")
    for row in status.queue:
        jobs.add_row(row.task, str(row.queued), str(row.running), str(row.failed))
    console.print(jobs)
    if status.mode == "workers":
        alive = sum(w.alive for w in status.workers)
        table = Table(title=f"Workers: {alive} alive", title_justify="left")
        for column in ("id", "last heartbeat", "running jobs", "state"):
            table.add_column(column)
        for w in status.workers:
            beat = f"{w.seconds_since_beat:.0f} s ago"
            table.add_row(str(w.id), beat, str(w.running), "alive" if w.alive else "silent")
        console.print(table)
    digests = Table(title="Last digest per recipient", title_justify="left")
    for column in ("recipient", "schedule", "period", "status", "sent"):
        digests.add_column(column, overflow="fold")
    for d in status.digests:
        sent = d.sent_at.strftime("%Y-%m-%d %H:%M") if d.sent_at else "—"
        state = d.status + (f": {d.error}" if d.error and d.status != "sent" else "")
        digests.add_row(d.recipient, d.schedule, d.period, state, sent)
    console.print(digests)
    for note in status.notes:
        console.print(note)
