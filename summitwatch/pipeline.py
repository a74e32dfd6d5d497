"""The pipeline's steps, each an idempotent function keyed by an id, and the runs built on them.

The steps are: poll one feed (``poll_feed``; ``record_poll`` stores its outcome), extract the
full text of one item (``extract_full_text``), classify items (``classify_items``), build one
recipient's digest for its due period (``build_digest_for``) and deliver one outbox message
(``deliver_message``). Each reads from the database whether its piece of work is still due and
writes its outcome back, so running a step twice, or after another process did the work, changes
nothing. The embedded runner (``collect``, ``classify_pending``, ``build_digests``, ``deliver``,
``run_cycle``; scheduled by ``summitwatch.scheduler``) and the procrastinate workers
(``summitwatch.workers``) both call these functions; neither has step logic of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from alerts import (
    DeliveryReport,
    DigestItem,
    DigestStats,
    EmlTransport,
    FailingFeed,
    Period,
    Recipient,
    Schedule,
    SmtpConfig,
    SmtpTransport,
    build_digest,
    deliver_pending,
    group_events,
)
from classifier.detector import Detector, ItemInput
from collectors import FeedFetcher, FetchResult, FetchSettings
from summitwatch.app import App
from summitwatch.records import ItemText, ItemView, RecipientRecord
from summitwatch.storage import catalog, outbox, work
from summitwatch.storage import items as item_store


def _now() -> datetime:
    return datetime.now(UTC)


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
    return item_store.apply_fetch_result(app.db, feed_id, result)


@dataclass(frozen=True)
class PollOutcome:
    result: FetchResult
    new_ids: list[int]
    full_text: bool


async def poll_feed(
    app: App, fetcher: FeedFetcher, feed_id: int, *, now: datetime | None = None
) -> PollOutcome | None:
    """Poll one feed if it is still due; None when it is not (another job polled it already)."""
    state = await asyncio.to_thread(work.due_feed_state, app.db, feed_id, now or _now())
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
    """Poll every due feed at once (the collector spreads them over hosts) and store results."""
    due = catalog.due_feeds(app.db, now or _now())
    report = CollectReport()
    ids = {state.url: (feed_id, state) for feed_id, state in due}
    async with FeedFetcher(settings or fetch_settings(app), transport=transport) as fetcher:
        async for result in fetcher.fetch_many([state for _, state in due]):
            feed_id, state = ids[result.url]
            new_ids = record_poll(app, feed_id, result)
            if state.full_text:
                for item_id in new_ids:
                    await extract_full_text(app, fetcher, item_id)
            report.feeds += 1
            report.new_items += len(new_ids)
            if result.status in ("not_modified", "unchanged"):
                report.not_modified += 1
            elif result.status in ("error", "gone"):
                report.errors.append((result.url, result.error_message or result.status))
            if on_result is not None:
                on_result(result, len(new_ids))
    return report


def collect(app: App, **kwargs: Any) -> CollectReport:
    return asyncio.run(collect_async(app, **kwargs))


def _score(app: App, detector: Detector, todo: Sequence[ItemText]) -> tuple[int, int]:
    verdicts = detector.classify_many(
        [ItemInput(t.title, t.text, t.language, t.published.date()) for t in todo]
    )
    item_store.save_verdicts(app.db, [(t.id, v) for t, v in zip(todo, verdicts, strict=True)])
    return len(todo), sum(v.label for v in verdicts)


def classify_items(app: App, item_ids: Sequence[int]) -> tuple[int, int]:
    """Score those of ``item_ids`` without a verdict of the active model: (scored, flagged)."""
    detector = app.detector()
    todo = item_store.texts_to_classify(app.db, item_ids, detector.model.version)
    return _score(app, detector, todo) if todo else (0, 0)


def classify_pending(app: App, *, rescore: bool = False, batch: int = 500) -> tuple[int, int]:
    """Score items without a verdict, a batch at a time; returns (scored, flagged)."""
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


def to_digest_item(view: ItemView) -> DigestItem:
    pair = (*view.countries, "", "")[:2]
    return DigestItem(
        item_id=view.id,
        title=view.title,
        summary=view.summary,
        link=view.link,
        source=view.source,
        lang=view.language,
        published=view.published,
        score=view.score or 0.0,
        countries=(pair[0], pair[1]),
        visitor=view.visitor,
        host=view.host,
        status=view.status,
        event_date=view.event_date,
        place=view.place,
        explanation=str(view.explanation.get("summary", "")),
    )


def recipient_of(record: RecipientRecord, watched: list[str], threshold: float) -> Recipient:
    return Recipient(
        email=record.email,
        countries=tuple(record.countries or watched),
        schedule=record.schedule,
        timezone=record.timezone,
        min_score=record.min_score if record.min_score is not None else threshold,
        lang=record.lang,
        send_empty=record.send_empty,
        name=record.name,
    )


@dataclass(frozen=True)
class DigestPlan:
    recipient: str
    period: str
    events: int
    items: int
    subject: str | None
    outbox_id: int | None


@dataclass(frozen=True)
class _DigestContext:
    """What every recipient's digest of one run shares: looked up once per run."""

    now: datetime
    threshold: float
    failing: tuple[FailingFeed, ...]
    gazetteer: Any


def _digest_context(app: App, now: datetime) -> _DigestContext:
    from classifier.gazetteer import Gazetteer

    failing = tuple(
        FailingFeed(f.name, f.url, f.consecutive_failures, f.last_error)
        for f in catalog.failing_feeds(app.db)
    )
    threshold = float(app.settings["classifier.threshold"])
    return _DigestContext(now, threshold, failing, Gazetteer.default())


def digest_due(
    app: App, record: RecipientRecord, now: datetime, force: bool = False
) -> Period | None:
    """The recipient's period due at ``now`` and not built yet, or None."""
    schedule = Schedule.parse(record.schedule, record.timezone)
    period = schedule.due_period(now, None if force else record.last_period_end)
    if period is None or outbox.period_built(app.db, record.email, period.key()):
        return None
    return period


def _build_one(
    app: App, record: RecipientRecord, ctx: _DigestContext, *, dry_run: bool, force: bool
) -> DigestPlan | None:
    period = digest_due(app, record, ctx.now, force)
    if period is None:
        return None
    recipient = recipient_of(record, app.watched, ctx.threshold)
    pending = outbox.pending_item_ids(app.db, recipient.email)
    views = [
        v
        for v in item_store.digest_candidates(
            app.db, recipient.email, recipient.countries, recipient.min_score
        )
        if v.id not in pending
    ]
    events = group_events(
        [to_digest_item(v) for v in views], outbox.sent_events(app.db, recipient.email)
    )
    seen, flagged = item_store.count_items(app.db, period.start, period.end)
    names = {
        c: ctx.gazetteer.country_name(c, recipient.lang) for e in events for c in e.countries if c
    }
    message = build_digest(
        recipient,
        events,
        DigestStats(seen, flagged, ctx.failing),
        period,
        sender=app.settings.sender()[1],
        sender_name=app.settings.sender()[0],
        list_id=str(app.settings["digest.list_id"]),
        now=ctx.now,
        country_names=names,
    )
    outbox_id = None
    if message is not None and not dry_run:
        outbox_id = outbox.enqueue(
            app.db,
            recipient=recipient.email,
            period_key=period.key(),
            period_start=period.start,
            period_end=period.end,
            subject=message.subject,
            message_id=message.message_id,
            raw=message.raw,
            events={key: sorted(ids) for key, ids in message.event_items},
            now=ctx.now,
        )
    if not dry_run:
        catalog.set_last_period_end(app.db, recipient.email, period.end)
    return DigestPlan(
        recipient.email,
        period.key(),
        len(events),
        sum(len(e.items) for e in events),
        message.subject if message else None,
        outbox_id,
    )


def build_digest_for(
    app: App, email: str, now: datetime | None = None, *, force: bool = False
) -> DigestPlan | None:
    """Build one recipient's due digest into the outbox; None when nothing is due (or built)."""
    record = next((r for r in catalog.list_recipients(app.db) if r.email == email), None)
    if record is None:
        return None
    return _build_one(app, record, _digest_context(app, now or _now()), dry_run=False, force=force)


def build_digests(
    app: App, now: datetime | None = None, *, dry_run: bool = False, force: bool = False
) -> list[DigestPlan]:
    """Build each recipient's due digest into the outbox (``force``: due now regardless)."""
    ctx = _digest_context(app, now or _now())
    plans = (
        _build_one(app, record, ctx, dry_run=dry_run, force=force)
        for record in catalog.list_recipients(app.db)
    )
    return [plan for plan in plans if plan is not None]


def _transport(app: App) -> Any:
    """SMTP when configured, else .eml files in the outbox dir."""
    s = app.settings
    if not s["smtp.host"]:
        return EmlTransport(app.outbox_dir)
    return SmtpTransport(
        SmtpConfig(
            host=str(s["smtp.host"]),
            port=int(s["smtp.port"]),
            security=str(s["smtp.security"]),
            username=str(s["smtp.username"]) or None,
            password=s.smtp_password(),
        )
    )


def deliver(app: App, now: datetime | None = None) -> DeliveryReport:
    """Send everything the outbox holds that is due."""
    return deliver_pending(
        outbox.SqlOutbox(app.db), _transport(app), app.settings.sender()[1], now=now
    )


def deliver_message(
    app: App, message_id: int, claimant: str, now: datetime | None = None
) -> tuple[DeliveryReport, outbox.MessageState | None]:
    """Send one outbox message if it is due, leasing it as ``claimant``; returns the report and
    the message's state afterwards (sent, pending with its next attempt, or failed)."""
    store = outbox.JobOutbox(app.db, message_id, claimant)
    report = deliver_pending(store, _transport(app), app.settings.sender()[1], now=now)
    return report, outbox.message_state(app.db, message_id)


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
