"""``summitwatch digest``: dry run, build-and-send, and an HTML preview for one recipient."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from alerts import DigestStats, Period, Schedule, build_digest, group_events
from summitwatch import digest_steps
from summitwatch.app import App
from summitwatch.cli.context import get_app
from summitwatch.settings import SettingsError
from summitwatch.storage import catalog
from summitwatch.storage import items as item_store

console = Console()


def digest(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent.")] = False,
    send: Annotated[bool, typer.Option("--send", help="Build what is due and deliver.")] = False,
    preview: Annotated[str | None, typer.Option(help="Write RECIPIENT's digest HTML.")] = None,
    now: Annotated[bool, typer.Option("--now", help="Treat every schedule as due now.")] = False,
) -> None:
    """Build and deliver email digests (default: --send)."""
    run_digest(get_app(ctx), console, dry_run=dry_run, send=send, preview=preview, force=now)


def run_digest(
    app: App, console: Console, *, dry_run: bool, send: bool, preview: str | None, force: bool
) -> None:
    if preview:
        write_preview(app, preview, console)
        return
    plans = digest_steps.build_digests(app, datetime.now(UTC), dry_run=dry_run, force=force)
    for plan in plans:
        if plan.error is not None:
            console.print(f"{plan.recipient}: digest not built: {plan.error}", markup=False)
        elif plan.subject is None:
            console.print(f"{plan.recipient}: nothing new for {plan.period} (no digest)")
        else:
            verb = "would send" if dry_run else "built"
            console.print(
                f"{plan.recipient}: {verb} '{plan.subject}' "
                f"({plan.events} events, {plan.items} items, period {plan.period})"
            )
    if not plans:
        console.print("no digest is due")
    if dry_run:
        return
    report = digest_steps.deliver(app)
    console.print(f"delivery: {report}")
    if not app.settings["smtp.host"]:
        console.print(f"(no SMTP server configured: messages are in {app.outbox_dir.resolve()})")


def write_preview(app: App, email: str, console: Console) -> None:
    records = [r for r in catalog.list_recipients(app.db) if r.email == email]
    if not records:
        raise SettingsError(f"no recipient {email!r} (see `summitwatch recipients list`)")
    threshold = float(app.settings["classifier.threshold"])
    recipient = digest_steps.recipient_of(records[0], app.watched, threshold)
    Schedule.parse(recipient.schedule, recipient.timezone)
    now = datetime.now(UTC)
    views = item_store.digest_candidates(app.db, email, recipient.countries, recipient.min_score)
    events = group_events([digest_steps.to_digest_item(v) for v in views])
    message = build_digest(
        replace(recipient, send_empty=True),
        events,
        DigestStats(len(views), len(views)),
        Period(now, now),
        sender=app.settings.sender()[1],
        sender_name=app.settings.sender()[0],
        now=now,
    )
    assert message is not None
    path = Path(f"digest-preview-{email.split('@')[0]}.html").resolve()
    path.write_text(message.html, encoding="utf-8")
    console.print(f"preview of {len(events)} events written to {path}")
