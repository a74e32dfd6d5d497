"""The pipeline's steps, each an idempotent function keyed by an id, and the runs built on them.

The steps are: poll one feed (``poll_feed``; ``record_poll`` stores its outcome), extract the
full text of one item (``extract_full_text``), classify what waits (``classify_pending``), build one
recipient's digest for its due period and deliver one outbox message (both in
``summitwatch.digest_steps``). Each reads from the database whether its piece of work is still
due and writes its outcome back, so running a step twice, or after another process did the work,
changes nothing. The embedded runner (``collect``, ``classify_pending``, ``build_digests``,
``deliver``, ``run_cycle``; scheduled by ``summitwatch.embedded``) and the procrastinate workers
(``summitwatch.workers``) both call these functions; neither has step logic of its own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from alerts import (
    DeliveryReport,
)
from classifier.detector import Detector, ItemInput
from collectors import FeedFetcher, FetchResult, FetchSettings
from summitwatch import modelstore
from summitwatch.app import App
from summitwatch.digest_steps import DigestPlan, build_digests, deliver
from summitwatch.records import ItemText
from summitwatch.storage import catalog, ingest, work
from summitwatch.storage import items as item_store
from summitwatch.storage.db import one_line, utcnow

log = logging.getLogger("summitwatch.pipeline")


def fetch_settings(app: App) -> FetchSettings:
    s = app.settings
    workers = int(s["collector.parse_workers"])
    return FetchSettings(
        max_concurrency=int(s["collector.max_concurrency"]),
        per_host_concurrency=int(s["collector.per_host_concurrency"]),
        read_timeout=float(s["collector.timeout_seconds"]),
        max_body_bytes=int(float(s["collector.max_body_mb"]) * 1024 * 1024),
        default_interval=timedelta(minutes=int(s["collector.interval_minutes"])),
        parse_workers=None if workers < 0 else workers,
        allow_private_networks=bool(s["collector.allow_private_networks"]),
    )


@dataclass
class CollectReport:
    feeds: int = 0
    new_items: int = 0
    not_modified: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.feeds} feeds polled, {self.new_items} new items, "
            f"{self.not_modified} unchanged, {len(self.errors)} errors"
        )


def record_poll(app: App, feed_id: int, result: FetchResult) -> list[int]:
    """Store one poll's outcome on its feed and its new items; returns the new item ids."""
    return ingest.apply_fetch_result(app.db, feed_id, result)


@dataclass(frozen=True)
class PollOutcome:
    result: FetchResult
    new_ids: list[int]
    full_text: bool


async def poll_feed(
    app: App, fetcher: FeedFetcher, feed_id: int, *, now: datetime | None = None
) -> PollOutcome | None:
    """Poll one feed if it is still due; None when it is not (another job polled it already)."""
    state = await asyncio.to_thread(work.due_feed_state, app.db, feed_id, now or utcnow())
    if state is None:
        return None
    result = await fetcher.fetch(state)
    new_ids = await asyncio.to_thread(record_poll, app, feed_id, result)
    return PollOutcome(result, new_ids, state.full_text)


async def extract_full_text(app: App, fetcher: FeedFetcher, item_id: int) -> bool:
    """Fetch an item's article page and keep its main text; False when nothing was awaited."""
    awaiting, link = await asyncio.to_thread(work.full_text_target, app.db, item_id)
    if not awaiting:
        return False
    # a page that cannot be fetched or read leaves the feed's summary as the item's text
    text = await fetcher.fetch_full_text(link) if link else None
    await asyncio.to_thread(work.finish_full_text, app.db, item_id, text)
    return True


async def collect_async(
    app: App,
    *,
    now: datetime | None = None,
    on_result: Callable[[FetchResult, int], None] | None = None,
    settings: FetchSettings | None = None,
    transport: Any = None,
) -> CollectReport:
    """Poll every due feed at once (the collector spreads them over hosts) and store results.

    Results go through a queue to one writer, which stores whatever has arrived in one
    transaction (``ingest.apply_fetch_results``) off the event loop: fetching goes on while a
    batch is written, and the database sees a few large transactions instead of one per feed."""
    due = catalog.due_feeds(app.db, now or utcnow())
    report = CollectReport()
    ids = {state.url: (feed_id, state) for feed_id, state in due}
    results: asyncio.Queue[FetchResult | None] = asyncio.Queue()
    async with FeedFetcher(settings or fetch_settings(app), transport=transport) as fetcher:

        async def write() -> None:
            done = False
            while not done:
                batch = [await results.get()]
                while not results.empty() and len(batch) < WRITE_BATCH:
                    batch.append(results.get_nowait())
                done = batch[-1] is None
                polls = [(ids[r.url][0], r) for r in batch if r is not None]
                stored = await asyncio.to_thread(_store_polls, app, polls)
                for feed_id, result in polls:
                    poll = (result, ids[result.url][1].full_text)
                    await _account(app, fetcher, report, poll, stored.get(feed_id), on_result)

        writer = asyncio.create_task(write())
        try:
            async for result in fetcher.fetch_many([state for _, state in due]):
                await results.put(result)
        finally:
            await results.put(None)
            await writer
    return report


# feeds per transaction of the collector's writer: large enough that commits and round trips
# stop mattering (bench/bench_store.py: 50 feeds cut CPU per item 4x on SQLite, 1.6x on
# PostgreSQL), small enough that a crash loses little
WRITE_BATCH = 50


def _store_polls(app: App, polls: list[tuple[int, FetchResult]]) -> dict[int, list[int] | str]:
    """Each feed's new item ids, or why it could not be stored. A batch the database refuses
    as a whole is written feed by feed, so one feed it cannot take costs that feed only."""
    if len(polls) > 1:
        try:
            return dict(ingest.apply_fetch_results(app.db, polls))
        except SQLAlchemyError:
            pass
    out: dict[int, list[int] | str] = {}
    for feed_id, result in polls:
        try:
            out[feed_id] = ingest.apply_fetch_result(app.db, feed_id, result)
        except SQLAlchemyError as exc:
            log.error("feed %s not stored: %s", result.url, one_line(exc))
            out[feed_id] = f"not stored: {one_line(exc)}"
    return out


async def _account(
    app: App,
    fetcher: FeedFetcher,
    report: CollectReport,
    poll: tuple[FetchResult, bool],
    stored: list[int] | str | None,
    on_result: Callable[[FetchResult, int], None] | None,
) -> None:
    """One stored poll counted in the report, and its items' article pages fetched when its
    feed is a full-text one."""
    result, full_text = poll
    report.feeds += 1
    if isinstance(stored, str):
        report.errors.append((result.url, stored))
        return
    new_ids = stored or []
    if full_text:
        for item_id in new_ids:
            await extract_full_text(app, fetcher, item_id)
    report.new_items += len(new_ids)
    if result.status in ("not_modified", "unchanged"):
        report.not_modified += 1
    elif result.status in ("error", "gone"):
        report.errors.append((result.url, result.error_message or result.status))
    if on_result is not None:
        on_result(result, len(new_ids))


def collect(app: App, **kwargs: Any) -> CollectReport:
    return asyncio.run(collect_async(app, **kwargs))


def _score(app: App, detector: Detector, todo: Sequence[ItemText]) -> tuple[int, int]:
    verdicts = detector.classify_many(
        [ItemInput(t.title, t.text, t.language, t.published.date()) for t in todo]
    )
    item_store.save_verdicts(app.db, [(t.id, v) for t, v in zip(todo, verdicts, strict=True)])
    return len(todo), sum(v.label for v in verdicts)


def classify_pending(app: App, *, rescore: bool = False, batch: int = 500) -> tuple[int, int]:
    """Score items without a verdict, a batch at a time; returns (scored, flagged). On a new
    installation the seed model is trained first, said in the log (the CLI says it on screen
    before it gets here)."""
    modelstore.prepare_model(app, log.info)
    scored = flagged = 0
    while True:
        detector = app.detector()
        todo = item_store.items_to_classify(
            app.db, detector.model.version, limit=batch, rescore=rescore
        )
        if not todo:
            return scored, flagged
        done, hits = _score(app, detector, todo)
        scored, flagged = scored + done, flagged + hits
        if len(todo) < batch:
            return scored, flagged


@dataclass
class CycleReport:
    collect: CollectReport
    scored: int
    flagged: int
    digests: list[DigestPlan]
    delivery: DeliveryReport


def run_cycle(
    app: App, now: datetime | None = None, *, force_digest: bool = False, **collect_kwargs: Any
) -> CycleReport:
    collected = collect(app, now=now, **collect_kwargs)
    scored, flagged = classify_pending(app)
    plans = build_digests(app, now, force=force_digest)
    return CycleReport(collected, scored, flagged, plans, deliver(app, now))
