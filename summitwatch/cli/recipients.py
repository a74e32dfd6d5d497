"""``summitwatch recipients``: list, add (or update) and remove digest recipients.

A recipient is checked as the web UI checks it (``summitwatch.validation``): address, schedule,
time zone and countries, each refused with one line naming the value.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from summitwatch.cli.context import get_app
from summitwatch.cli.countries import check_code
from summitwatch.settings import SettingsError
from summitwatch.storage import catalog
from summitwatch.validation import validate_recipient

console = Console()
recipients = typer.Typer(name="recipients", no_args_is_help=True, help="Digest recipients.")
Email = Annotated[str, typer.Argument(help="The recipient's email address.")]


@recipients.command("list")
def recipients_list(ctx: typer.Context) -> None:
    """Recipients with their schedules and countries."""
    for r in catalog.list_recipients(get_app(ctx).db):
        where = ",".join(r.countries) if r.countries else "(watched countries)"
        console.print(f"{r.email}  {r.schedule} {r.timezone}  {where}  lang={r.lang}")


@recipients.command("add")
def recipients_add(
    ctx: typer.Context,
    email: Email,
    schedule: Annotated[
        str, typer.Option(help='When digests go out: "daily HH:MM", "weekly mon HH:MM", ...')
    ] = "daily 07:00",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the schedule.")] = "UTC",
    countries_: Annotated[
        list[str],
        typer.Option("--country", help="Only these countries (repeat; default: the watched)."),
    ] = [],  # noqa: B006
    lang: Annotated[str, typer.Option(help="Language of the digest.")] = "en",
    send_empty: Annotated[
        bool, typer.Option(help="Send a digest even when nothing new was found.")
    ] = False,
) -> None:
    """Add or update a recipient."""
    fields = validate_recipient(
        {
            "email": email,
            "schedule": schedule,
            "timezone": timezone,
            "countries": [check_code(c) for c in countries_] or None,
            "lang": lang,
            "send_empty": send_empty,
        }
    )
    catalog.upsert_recipient(get_app(ctx).db, fields["email"], fields)
    console.print(f"recipient {fields['email']}: {schedule} ({timezone})")


@recipients.command("remove")
def recipients_remove(ctx: typer.Context, email: Email) -> None:
    """Remove a recipient."""
    if not catalog.remove_recipient(get_app(ctx).db, email):
        raise SettingsError(f"no recipient {email!r}")
    console.print(f"removed {email}")
