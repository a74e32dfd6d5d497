"""Validation of the list entries in the configuration: recipients and feeds.

Scalar settings are checked by ``summitwatch.settings``; the ``[[recipients]]`` and ``[[feeds]]``
tables (and the same values typed into the CLI or the web UI) are checked here, each error one
line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.addresses import AddressError, check_address
from summitwatch.settings import SettingsError

DIGEST_LANGS = ("en", "fr")
# the keys a [[recipients]] or [[feeds]] table may hold (README, "List tables in the file")
RECIPIENT_KEYS = (
    "email", "name", "countries", "schedule", "timezone", "min_score", "lang", "send_empty",
)  # fmt: skip
FEED_KEYS = ("url", "name", "category", "full_text", "interval_minutes")


def _known_keys(entry: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """A key the table does not know is refused as top-level settings are: silently ignoring
    ``schedul = …`` would send the digest on the default schedule."""
    for key in entry:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            known = ", ".join(allowed)
            raise SettingsError(f"{where}.{key}: unknown key{hint}; known: {known}")


def validate_recipient(entry: Mapping[str, Any], where: str = "recipient") -> dict[str, Any]:
    from alerts import Schedule, ScheduleError

    _known_keys(entry, RECIPIENT_KEYS, where)
    out: dict[str, Any] = {}
    email = str(entry.get("email", "")).strip()
    try:
        out["email"] = check_address(email, "recipient")
    except AddressError as exc:
        raise SettingsError(f"{where}.email: {exc}") from None
    timezone = str(entry.get("timezone", "UTC"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"{where}.timezone = {timezone!r}: expected an IANA zone such as Asia/Almaty"
        ) from None
    out["timezone"] = timezone
    schedule = str(entry.get("schedule", "daily 07:00"))
    try:
        Schedule.parse(schedule, timezone)
    except ScheduleError as exc:
        raise SettingsError(f"{where}.schedule = {schedule!r}: {exc}") from None
    out["schedule"] = schedule
    lang = str(entry.get("lang", "en"))
    if lang not in DIGEST_LANGS:
        raise SettingsError(f"{where}.lang = {lang!r}: expected one of {', '.join(DIGEST_LANGS)}")
    out["lang"] = lang
    if entry.get("min_score") is not None:
        try:
            score = float(entry["min_score"])
        except (TypeError, ValueError):
            score = -1.0
        if not 0.0 <= score <= 1.0:
            raise SettingsError(f"{where}.min_score = {entry['min_score']!r}: expected 0 to 1")
        out["min_score"] = score
    for key in ("name", "send_empty", "countries"):
        if key in entry:
            out[key] = entry[key]
    return out


def check_feed_url(url: str, where: str = "feed url") -> str:
    """The one check of a feed URL before it is stored (config, CLI, OPML, web UI): http(s), a
    host, and no ``user:password@`` part, which every listing and export would show."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{where} = {url!r}: expected an http:// or https:// URL")
    if "@" in parts.netloc:
        shown = f"{parts.scheme}://***@{parts.netloc.rpartition('@')[2]}{parts.path}"
        raise SettingsError(
            f"{where} = {shown!r}: URLs with a user name or password are refused "
            "(they would show in every listing and export)"
        )
    return url


def validate_feed(entry: Mapping[str, Any], where: str = "feed") -> dict[str, Any]:
    _known_keys(entry, FEED_KEYS, where)
    url = check_feed_url(str(entry.get("url", "")), f"{where}.url")
    out = dict(entry)
    out["url"] = url
    interval = entry.get("interval_minutes")
    if interval is not None and (not isinstance(interval, int) or interval < 1):
        raise SettingsError(
            f"{where}.interval_minutes = {interval!r}: expected a whole number >= 1"
        )
    return out
