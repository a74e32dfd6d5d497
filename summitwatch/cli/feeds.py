"""``summitwatch feeds``: list, add, remove, import, export and check feeds.

These edit the database, the live source of truth for feeds (the configuration file only seeds
it; see ``summitwatch.storage.catalog``), so a change made here is seen by a running scheduler
and by the web UI without a restart.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from collectors.models import FeedState, FetchResult
from collectors.opml import OpmlError, OpmlFeed, export_opml, parse_opml
from summitwatch.cli.context import get_app
from summitwatch.settings import SettingsError
from summitwatch.storage import catalog

console = Console()
err = Console(stderr=True)
feeds = typer.Typer(
    name="feeds", no_args_is_help=True, help="List, add, remove, import and export feeds."
)
COLUMNS = (
    "id",
    "name",
    "url",
    "last success",
    "failures",
    "last error",
    "items/day",
    "latency",
    "next check",
)


def _age(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"  # type: ignore[attr-defined]


@feeds.command("list")
def feeds_list(
    ctx: typer.Context,
    removed: Annotated[bool, typer.Option(help="Include the removed feeds.")] = False,
) -> None:
    """Feeds with their health: last success, last error, failures, items per day, latency."""
    table = Table(title="Feeds")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for f in catalog.list_feeds(get_app(ctx).db, include_removed=removed):
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
    url: Annotated[str, typer.Argument(help="The feed's http(s) address.")],
    name: Annotated[str, typer.Option(help="Display name (default: the feed's title).")] = "",
    full_text: Annotated[
        bool, typer.Option(help="Fetch each article's page for the full text.")
    ] = False,
    interval_minutes: Annotated[
        int | None, typer.Option(min=1, help="Minutes between polls (default: the setting).")
    ] = None,
) -> None:
    """Add a feed by URL."""
    record, created = catalog.add_feed(
        get_app(ctx).db, url, name=name, full_text=full_text, interval_minutes=interval_minutes
    )
    console.print(("added" if created else "already present") + f": {record.id} {record.url}")


@feeds.command("remove")
def feeds_remove(
    ctx: typer.Context,
    url_or_id: Annotated[str, typer.Argument(help="The feed's address or id.")],
) -> None:
    """Remove a feed (its items stay)."""
    if not catalog.remove_feed(get_app(ctx).db, url_or_id):
        raise SettingsError(f"no feed {url_or_id!r}")
    console.print(f"removed {url_or_id}")


@feeds.command("import")
def feeds_import(
    ctx: typer.Context,
    opml: Annotated[Path, typer.Argument(help="The OPML file to read.")],
) -> None:
    """Import feeds from an OPML 1.0/2.0 file (nested outlines become categories)."""
    try:
        entries = parse_opml(opml.read_bytes())
    except OpmlError as exc:
        raise SettingsError(f"{opml}: {exc}") from None
    database, added, refused = get_app(ctx).db, 0, 0
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
def feeds_export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Export the feeds as OPML 2.0 (to stdout or --output)."""
    text = export_opml(
        [OpmlFeed(f.url, f.name, f.category) for f in catalog.list_feeds(get_app(ctx).db)]
    )
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)


@feeds.command("check")
def feeds_check(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The feed's http(s) address.")],
) -> None:
    """Fetch one feed now and report what was found, without storing anything."""
    # imported here: the pipeline brings the classifier, which only this command of the group
    # needs (for the fetch settings); ``feeds list`` stays quick
    from collectors.fetcher import FeedFetcher
    from summitwatch.pipeline import fetch_settings

    async def check() -> FetchResult:
        async with FeedFetcher(fetch_settings(get_app(ctx))) as fetcher:
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
