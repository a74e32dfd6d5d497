"""The pipeline's steps: collect, classify, build digests, deliver — each idempotent.

Each step reads what is due from the database, does its work and writes the outcome back, so
the embedded scheduler, the CLI and (later) distributed workers can all call the same
functions. Collection commits each feed's result as soon as it arrives; classification commits
per batch; digests go through the outbox (see ``summitwatch.storage.outbox``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from alerts import (
    DeliveryReport,
    DigestItem,
    DigestStats,
    EmlTransport,
    FailingFeed,
    Recipient,
    Schedule,
    SmtpConfig,
    SmtpTransport,
    build_digest,
    deliver_pending,
    group_events,
)
from classifier.detector import ItemInput
from collectors import FeedFetcher, FetchResult, FetchSettings
from summitwatch.app import App
from summitwatch.records import ItemView, RecipientRecord
from summitwatch.storage import catalog, outbox
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


async def collect_async(
    app: App,
    *,
    now: datetime | None = None,
    on_result: Callable[[FetchResult, int], None] | None = None,
    settings: FetchSettings | None = None,
    transport: Any = None,
) -> CollectReport:
    due = catalog.due_feeds(app.db, now or _now())
    report = CollectReport()
    ids = {state.url: (feed_id, state) for feed_id, state in due}
    async with FeedFetcher(settings or fetch_settings(app), transport=transport) as fetcher:
        async for result in fetcher.fetch_many([state for _, state in due]):
            feed_id, state = ids[result.url]
            new_ids = item_store.apply_fetch_result(app.db, feed_id, result)
            if state.full_text and new_ids:
                await _fetch_full_texts(app, fetcher, new_ids)
            report.feeds += 1
            report.new_items += len(new_ids)
            if result.status in ("not_modified", "unchanged"):
                report.not_modified += 1
            elif result.status in ("error", "gone"):
                report.errors.append((result.url, result.error_message or result.status))
            if on_result is not None:
                on_result(result, len(new_ids))
    return report


async def _fetch_full_texts(app: App, fetcher: FeedFetcher, item_ids: list[int]) -> None:
    for item_id, link in item_store.links_for(app.db, item_ids):
        text = await fetcher.fetch_full_text(link)
        if text:
            item_store.set_content(app.db, item_id, text)


def collect(app: App, **kwargs: Any) -> CollectReport:
    return asyncio.run(collect_async(app, **kwargs))


def classify_pending(app: App, *, rescore: bool = False, batch: int = 500) -> tuple[int, int]:
    """Score items without a verdict; returns (scored, flagged)."""
    detector = app.detector()
    scored = flagged = 0
    while True:
        todo = item_store.items_to_classify(
            app.db, detector.model.version, limit=batch, rescore=rescore
        )
        if not todo:
            return scored, flagged
        verdicts = detector.classify_many(
            [ItemInput(t.title, t.text, t.language, t.published.date()) for t in todo]
        )
        item_store.save_verdicts(app.db, [(t.id, v) for t, v in zip(todo, verdicts, strict=True)])
        scored += len(todo)
        flagged += sum(v.label for v in verdicts)
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


def build_digests(
    app: App, now: datetime | None = None, *, dry_run: bool = False, force: bool = False
) -> list[DigestPlan]:
    """Build each recipient's due digest into the outbox (``force``: due now regardless)."""
    from classifier.gazetteer import Gazetteer

    now = now or _now()
    threshold = float(app.settings["classifier.threshold"])
    gazetteer = Gazetteer.default()
    failing = tuple(
        FailingFeed(f.name, f.url, f.consecutive_failures, f.last_error)
        for f in catalog.failing_feeds(app.db)
    )
    plans = []
    for record in catalog.list_recipients(app.db):
        recipient = recipient_of(record, app.watched, threshold)
        schedule = Schedule.parse(recipient.schedule, recipient.timezone)
        period = schedule.due_period(now, None if force else record.last_period_end)
        if period is None or outbox.period_built(app.db, recipient.email, period.key()):
            continue
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
            c: gazetteer.country_name(c, recipient.lang) for e in events for c in e.countries if c
        }
        message = build_digest(
            recipient,
            events,
            DigestStats(seen, flagged, failing),
            period,
            sender=app.settings.sender()[1],
            sender_name=app.settings.sender()[0],
            list_id=str(app.settings["digest.list_id"]),
            now=now,
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
                now=now,
            )
        if not dry_run:
            catalog.set_last_period_end(app.db, recipient.email, period.end)
        plans.append(
            DigestPlan(
                recipient.email,
                period.key(),
                len(events),
                sum(len(e.items) for e in events),
                message.subject if message else None,
                outbox_id,
            )
        )
    return plans


def deliver(app: App, now: datetime | None = None) -> DeliveryReport:
    """Send what the outbox holds: SMTP when configured, else .eml files in the outbox dir."""
    s = app.settings
    transport: Any
    if s["smtp.host"]:
        transport = SmtpTransport(
            SmtpConfig(
                host=str(s["smtp.host"]),
                port=int(s["smtp.port"]),
                security=str(s["smtp.security"]),
                username=str(s["smtp.username"]) or None,
                password=s.smtp_password(),
            )
        )
    else:
        transport = EmlTransport(app.outbox_dir)
    return deliver_pending(outbox.SqlOutbox(app.db), transport, s.sender()[1], now=now)


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
