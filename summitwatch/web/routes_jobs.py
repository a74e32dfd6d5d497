"""The jobs page: read-only view of the work queue and its dead letters, in either mode.

It shows what ``summitwatch status`` prints (work due, queued, running and failed; workers and
their heartbeats; the last digest of each recipient) and the dead letters: in workers mode the
jobs that failed for good, with their last error (``summitwatch jobs retry ID`` re-queues one);
in embedded mode the digests the outbox gave up on.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from summitwatch.status import gather
from summitwatch.storage import jobqueue, outbox
from summitwatch.web.deps import app_of
from summitwatch.web.render import render
from summitwatch.web.security import csrf_protect

router = APIRouter(prefix="/jobs", dependencies=[Depends(csrf_protect)], include_in_schema=False)


@router.get("")
def jobs_page(request: Request) -> Response:
    application = app_of(request)
    status = gather(application)
    workers = status.mode == "workers" and jobqueue.installed(application.db)
    dead = jobqueue.list_jobs(application.db, status="failed", limit=100) if workers else []
    undelivered = [m for m in outbox.list_outbox(application.db, 200) if m["status"] == "failed"]
    return render(
        request, "jobs.html", title="Jobs", report=status, dead=dead, undelivered=undelivered
    )
