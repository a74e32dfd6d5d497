"""Management sub-commands: feeds, watched countries, recipients, configuration, database.

These edit the database, which is the live source of truth for feeds, recipients and watched
countries (the configuration file only seeds it; see ``summitwatch.storage.catalog``), so a
change made here is seen by a running scheduler and by the web UI without a restart.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from summitwatch.settings import SettingsError
from summitwatch.storage import catalog

console = Console()
err = Console(stderr=True)
feeds = typer.Typer(no_args_is_help=True, help="List, add, remove, import and export feeds.")
countries = typer.Typer(no_args_is_help=True, help="Watched countries.")
recipients = typer.Typer(no_args_is_help=True, help="Digest recipients.")
config = typer.Typer(no_args_is_help=True, help="Show the effective configuration.")
db = typer.Typer(no_args_is_help=True, help="Database schema.")


def _app(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from summitwatch.cli import get_app

    return get_app(ctx)


def _age(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"  # type: ignore[attr-defined]


@feeds.command("list")
def feeds_list(ctx: typer.Context, removed: bool = False) -> None:
    """Feeds with their health: last success, last error, failures, items per day, latency."""
    table = Table(title="Feeds")
    for column in (
        "id",
        "name",
        "url",
        "last success",
        "failures",
        "last error",
        "items/day",
        "latency",
        "next check",
    ):
        table.add_column(column, overflow="fold")
    for f in catalog.list_feeds(_app(ctx).db, include_removed=removed):
        error = f"{f.last_error_kind}: {f.last_error}" if f.last_error_kind else ""
        if f.gone:
            error = "GONE (410): " + (f.last_error or "the server says the feed is gone")
        table.add_row(
            str(f.id),
            f.name[:40],
            f.url,
            _age(f.last_success_at),
            str(f.consecutive_failures),
            error[:80],
            f"{f.items_per_day:.1f}",
            f"{f.average_latency_s:.2f}s" if f.average_latency_s is not None else "—",
            _age(f.next_check_at),
        )
    console.print(table)


@feeds.command("add")
def feeds_add(
    ctx: typer.Context,
    url: str,
    name: str = "",
    full_text: bool = False,
    interval_minutes: Annotated[int | None, typer.Option(min=1)] = None,
) -> None:
    """Add a feed by URL."""
    record, created = catalog.add_feed(
        _app(ctx).db, url, name=name, full_text=full_text, interval_minutes=interval_minutes
    )
    console.print(("added" if created else "already present") + f": {record.id} {record.url}")


@feeds.command("remove")
def feeds_remove(ctx: typer.Context, url_or_id: str) -> None:
    """Remove a feed (its items stay)."""
    if not catalog.remove_feed(_app(ctx).db, url_or_id):
        raise SettingsError(f"no feed {url_or_id!r}")
    console.print(f"removed {url_or_id}")


@feeds.command("import")
def feeds_import(ctx: typer.Context, opml: Path) -> None:
    """Import feeds from an OPML 1.0/2.0 file (nested outlines become categories)."""
    from collectors.opml import OpmlError, parse_opml

    try:
        entries = parse_opml(opml.read_bytes())
    except OpmlError as exc:
        raise SettingsError(f"{opml}: {exc}") from None
    database, added, refused = _app(ctx).db, 0, 0
    for entry in entries:
        try:
            _, created = catalog.add_feed(
                database,
                entry.url,
                name=entry.title or "",
                category=entry.category,
                origin="opml",
                revive=False,
            )
        except SettingsError as exc:
            # one bad outline costs that feed only; the rest of the file is imported
            err.print(f"skipped: {exc}", markup=False, soft_wrap=True)
            refused += 1
            continue
        added += created
    skipped = f", {refused} refused" if refused else ""
    console.print(f"{len(entries)} feeds in {opml}, {added} added{skipped}")


@feeds.command("export")
def feeds_export(ctx: typer.Context, output: Annotated[Path | None, typer.Option()] = None) -> None:
    """Export the feeds as OPML 2.0 (to stdout or --output)."""
    from collectors.opml import OpmlFeed, export_opml

    text = export_opml(
        [OpmlFeed(f.url, f.name, f.category) for f in catalog.list_feeds(_app(ctx).db)]
    )
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)


@feeds.command("check")
def feeds_check(ctx: typer.Context, url: str) -> None:
    """Fetch one feed now and report what was found, without storing anything."""
    from collectors import FeedFetcher, FeedState, FetchResult
    from summitwatch.pipeline import fetch_settings

    async def check() -> FetchResult:
        async with FeedFetcher(fetch_settings(_app(ctx))) as fetcher:
            return await fetcher.fetch(FeedState(url=url))

    result = asyncio.run(check())
    console.print(f"status: {result.status} (HTTP {result.http_status}) in {result.latency_s:.2f}s")
    if result.error_message:
        console.print(f"error ({result.error_kind}): {result.error_message}")
    if result.bozo_message:
        console.print(f"ill-formed but usable: {result.bozo_message}")
    console.print(
        f"title: {result.feed_title}  language: {result.feed_language}  "
        f"entries: {len(result.entries)}"
    )
    for entry in result.entries[:10]:
        console.print(f"  - {entry.published:%Y-%m-%d} {entry.title[:90]}")
    if result.status == "error":
        raise typer.Exit(1)


@countries.command("list")
def countries_list(ctx: typer.Context) -> None:
    """Watched countries."""
    from classifier.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    for code in _app(ctx).watched:
        console.print(f"{code}  {gazetteer.country_name(code)}")


def _check_code(code: str) -> str:
    from summitwatch.app import country_problem

    code = code.strip().upper()
    problem = country_problem(code)
    if problem is not None:
        hint = f"; did you mean {problem}?" if problem else ""
        raise SettingsError(f"unknown country code {code!r}{hint}")
    return code


@countries.command("add")
def countries_add(ctx: typer.Context, codes: list[str]) -> None:
    """Watch one or more countries (ISO alpha-2 codes)."""
    database = _app(ctx).db
    for code in [_check_code(c) for c in codes]:
        changed = catalog.set_country(database, code, True)
        console.print(f"{code}: {'now watched' if changed else 'already watched'}")


@countries.command("remove")
def countries_remove(ctx: typer.Context, codes: list[str]) -> None:
    """Stop watching countries."""
    database = _app(ctx).db
    for code in [_check_code(c) for c in codes]:
        changed = catalog.set_country(database, code, False)
        console.print(f"{code}: {'no longer watched' if changed else 'was not watched'}")


@recipients.command("list")
def recipients_list(ctx: typer.Context) -> None:
    """Recipients with their schedules and countries."""
    for r in catalog.list_recipients(_app(ctx).db):
        where = ",".join(r.countries) if r.countries else "(watched countries)"
        console.print(f"{r.email}  {r.schedule} {r.timezone}  {where}  lang={r.lang}")


@recipients.command("add")
def recipients_add(
    ctx: typer.Context,
    email: str,
    schedule: str = "daily 07:00",
    timezone: str = "UTC",
    countries_: Annotated[list[str], typer.Option("--country")] = [],  # noqa: B006
    lang: str = "en",
    send_empty: bool = False,
) -> None:
    """Add or update a recipient."""
    from summitwatch.validation import validate_recipient

    fields = validate_recipient(
        {
            "email": email,
            "schedule": schedule,
            "timezone": timezone,
            "countries": [_check_code(c) for c in countries_] or None,
            "lang": lang,
            "send_empty": send_empty,
        }
    )
    catalog.upsert_recipient(_app(ctx).db, fields["email"], fields)
    console.print(f"recipient {fields['email']}: {schedule} ({timezone})")


@recipients.command("remove")
def recipients_remove(ctx: typer.Context, email: str) -> None:
    """Remove a recipient."""
    if not catalog.remove_recipient(_app(ctx).db, email):
        raise SettingsError(f"no recipient {email!r}")
    console.print(f"removed {email}")


@config.command("show")
def config_show(ctx: typer.Context) -> None:
    """The effective settings and where each value came from (secrets masked)."""
    from summitwatch.app import check_config
    from summitwatch.cli import Context
    from summitwatch.storage import catalog
    from summitwatch.storage.db import StorageError, open_database, shown_url

    obj: Context = ctx.find_root().obj
    settings, _, _ = check_config(obj.config, obj.overrides)
    table = Table(title=f"Settings (file: {settings.config_path or 'none'})")
    for column in ("setting", "value", "source"):
        table.add_column(column, overflow="fold")
    for name, value, source in settings.shown():
        table.add_row(name, value, source)
    console.print(table)
    console.print(f"database: {shown_url(settings.database_url)}", markup=False)
    # the settings are worth showing even when the database is the problem
    try:
        db = open_database(settings.database_url)
    except StorageError as exc:
        console.print(f"watched now (database): unknown, {exc}", markup=False, soft_wrap=True)
        return
    console.print("watched now (database): " + ", ".join(catalog.watched_countries(db)))
    db.dispose()


@config.command("reference")
def config_reference() -> None:
    """Print the settings table as Markdown (the README's configuration reference)."""
    from summitwatch.settings import reference_markdown

    typer.echo(reference_markdown())


@db.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the newest migration (and the job queue's, on PostgreSQL)."""
    application = _app(ctx)  # opening the app already upgrades; say so explicitly
    console.print(f"database at the newest schema: {application.settings.database_url}")
    if application.db.engine.dialect.name == "postgresql":  # workers mode's job queue
        from summitwatch.workers.schema import upgrade

        console.print(upgrade(application.db))
