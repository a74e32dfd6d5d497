"""Progress display for collection: a Rich bar on a terminal, one summary line otherwise.

Analysts run ``summitwatch collect`` by hand and from cron; the bar (feeds done, new items,
errors) is only drawn when stdout is a terminal so that cron mail stays one line.
"""

from __future__ import annotations

import sys

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from collectors import FetchResult
from summitwatch import pipeline
from summitwatch.app import App
from summitwatch.storage import catalog
from summitwatch.storage.db import utcnow


def collect_with_progress(app: App) -> pipeline.CollectReport:
    if not sys.stdout.isatty():
        return pipeline.collect(app)
    due = len(catalog.due_feeds(app.db, utcnow()))
    counts = {"new": 0, "errors": 0}
    with Progress(
        TextColumn("[bold]polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[new]} new items, {task.fields[errors]} errors"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("feeds", total=due, new=0, errors=0)

        def step(result: FetchResult, new_items: int) -> None:
            counts["new"] += new_items
            counts["errors"] += result.status in ("error", "gone")
            bar.update(task, advance=1, new=counts["new"], errors=counts["errors"])

        return pipeline.collect(app, on_result=step)
