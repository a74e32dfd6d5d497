"""The digest steps of the pipeline: build one recipient's digest for its due period into the
outbox (``build_digest_for``; ``build_digests`` for every recipient) and deliver outbox messages
(``deliver_message`` for one, leased by a worker's job; ``deliver`` for all that are due). Both
runners ask ``due_recipients`` once a minute which digests are due, so schedules are decided in one
place (``alerts.Schedule.due_period``) whichever runner is used. Like the steps in
``summitwatch.pipeline`` they read from the database whether the work is still due: a period
already built is never built again (the outbox's unique recipient and period), and a message is
marked sent in the transaction that records the server's acceptance.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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
    ScheduleError,
    SmtpConfig,
    SmtpTransport,
    build_digest,
    deliver_pending,
    group_events,
)
from summitwatch.app import App
from summitwatch.records import ItemView, RecipientRecord
from summitwatch.settings import Settings
from summitwatch.storage import catalog, outbox
from summitwatch.storage import items as item_store
from summitwatch.storage.db import utcnow

log = logging.getLogger("summitwatch.digest_steps")


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
    error: str | None = None  # why this recipient's digest could not be built this time


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


def due_recipients(app: App, now: datetime) -> list[RecipientRecord]:
    """The recipients whose digest is due at ``now``: the one question both runners ask."""
    due = []
    for record in catalog.list_recipients(app.db):
        try:
            if digest_due(app, record, now) is not None:
                due.append(record)
        except ScheduleError as exc:  # one broken schedule must not stop everyone's digests
            log.error("recipient %s: %s", record.email, exc)
    return due


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
    return _build_one(
        app, record, _digest_context(app, now or utcnow()), dry_run=False, force=force
    )


def build_digests(
    app: App,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    force: bool = False,
    records: Sequence[RecipientRecord] | None = None,
) -> list[DigestPlan]:
    """Build each recipient's (or each of ``records``') due digest into the outbox
    (``force``: due now regardless)."""
    ctx = _digest_context(app, now or utcnow())
    chosen = catalog.list_recipients(app.db) if records is None else records
    plans = (_build_isolated(app, record, ctx, dry_run=dry_run, force=force) for record in chosen)
    return [plan for plan in plans if plan is not None]


def _build_isolated(
    app: App, record: RecipientRecord, ctx: _DigestContext, *, dry_run: bool, force: bool
) -> DigestPlan | None:
    """One recipient's digest; a recipient that fails is logged and returned as a plan with an
    error, its period left unbuilt (tried again next time), and the others go on."""
    try:
        return _build_one(app, record, ctx, dry_run=dry_run, force=force)
    except Exception as exc:
        # any failure here is this recipient's (a bad address, a template or data problem):
        # it must not cost every recipient listed after it their digest
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.error("digest for %s not built: %s", record.email, reason)
        return DigestPlan(record.email, "", 0, 0, None, None, error=reason)


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """The SMTP server the settings name, every ``SmtpConfig`` field given; None without
    ``smtp.host`` (messages are then written as .eml files)."""
    if not settings["smtp.host"]:
        return None
    return SmtpConfig(
        host=str(settings["smtp.host"]),
        port=int(settings["smtp.port"]),
        security=str(settings["smtp.security"]),
        username=str(settings["smtp.username"]) or None,
        password=settings.smtp_password(),
        timeout=float(settings["smtp.timeout_seconds"]),
        verify_certificates=bool(settings["smtp.verify_certificates"]),
    )


def _transport(app: App) -> Any:
    """SMTP when configured, else .eml files in the outbox dir."""
    config = smtp_config(app.settings)
    return EmlTransport(app.outbox_dir) if config is None else SmtpTransport(config)


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
