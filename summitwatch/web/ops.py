"""The write operations behind both the pages and the JSON API, validated in one place.

Every function raises ``OpError`` with one line naming the field, the value and what is allowed,
which the routes turn into a 400 (API) or an error shown on the form (pages). Changes go to the
database, the live source of truth, so a running scheduler sees them without a restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from summitwatch.app import App, country_problem
from summitwatch.records import FeedRecord, RecipientRecord
from summitwatch.settings import SettingsError, normalise_countries
from summitwatch.storage import catalog
from summitwatch.validation import validate_recipient
from summitwatch.web.feedcheck import FeedCheck, FeedCheckError, check_feed, refusals, vet


class OpError(ValueError):
    """A request the user can fix; the message is one line meant for them."""


def _code(raw: str) -> str:
    try:
        return normalise_countries([raw], "country", country_problem)[0]
    except SettingsError as exc:
        raise OpError(str(exc)) from None


def watch_country(application: App, raw: str, active: bool = True) -> tuple[str, bool]:
    """(code, changed) after watching or unwatching ``raw``."""
    code = _code(raw)
    changed = catalog.set_country(application.db, code, active, origin="web")
    return code, changed


def save_recipient(application: App, entry: Mapping[str, Any]) -> RecipientRecord:
    data = dict(entry)
    raw = data.get("countries")
    if isinstance(raw, str):
        raw = [c for c in raw.replace(";", ",").replace(" ", ",").split(",") if c.strip()]
    try:
        fields = validate_recipient(data, "recipient")
        fields["countries"] = (
            normalise_countries(raw, "recipient.countries", country_problem) if raw else None
        )
    except SettingsError as exc:
        raise OpError(str(exc)) from None
    fields["name"] = (str(data.get("name") or "").strip()[:200]) or None
    fields["send_empty"] = bool(data.get("send_empty", False))
    fields.setdefault("min_score", None)
    return catalog.upsert_recipient(application.db, fields["email"], fields, origin="web")


def remove_recipient(application: App, email: str) -> None:
    if not catalog.remove_recipient(application.db, email):
        raise LookupError(f"no recipient {email!r}")


async def add_feed(
    application: App,
    url: str,
    *,
    name: str = "",
    full_text: bool = False,
    skip_check: bool = False,
    **check_options: Any,
) -> tuple[FeedRecord, bool, FeedCheck | None]:
    """Vet the URL, check it is a live feed (unless ``skip_check``), then store it.

    The address policy applies even with ``skip_check``: only the fetch and parse are skipped.
    ``check_options`` are the collector's test seams (``resolver``, ``permit``).
    """
    url = url.strip()
    check: FeedCheck | None = None
    try:
        if skip_check:
            await vet(application, url, **check_options)
        else:
            check = await check_feed(application, url, **check_options)
    except FeedCheckError as exc:
        raise OpError(str(exc)) from None
    title = name.strip()[:300] or (check.title if check and check.title else "")
    record, created = await asyncio.to_thread(
        catalog.add_feed, application.db, url, name=title, full_text=full_text, origin="web"
    )
    return record, created, check


def remove_feed(application: App, feed_id: int) -> None:
    if not catalog.remove_feed(application.db, str(feed_id)):
        raise LookupError(f"no feed {feed_id}")


async def import_opml(
    application: App, data: bytes, **check_options: Any
) -> tuple[int, int, list[str]]:
    """(feeds in the file, feeds added, refusals): each URL goes through the address policy."""
    try:
        from collectors.opml import OpmlError, parse_opml
    except ImportError:
        raise OpError("OPML import is not available (collectors.opml is missing)") from None
    try:
        entries = parse_opml(data)
    except OpmlError as exc:
        raise OpError(f"OPML file: {exc}") from None
    found = await refusals(application, [e.url for e in entries], **check_options)
    added, refused = 0, []
    for entry, why in zip(entries, found, strict=True):
        if why is not None:
            refused.append(why)
            continue
        _, created = await asyncio.to_thread(
            catalog.add_feed,
            application.db,
            entry.url,
            name=entry.title or "",
            category=entry.category,
            origin="opml",
            revive=False,
        )
        added += created
    return len(entries), added, refused
