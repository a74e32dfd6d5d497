"""When to look at a feed again. After a success the next check waits for the longest of the
feed's interval, its RSS TTL, and the server's own freshness signals (Cache-Control max-age,
Expires, Retry-After); after a failure it backs off exponentially up to a cap, and a
Retry-After on 429 or 503 is honoured. Every delay is bounded so that no feed is ever parked
indefinitely: a failing or gone feed is still retried, only less often."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from collectors.models import FetchSettings

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|[,\s])(?:no-cache|no-store)\b", re.IGNORECASE)
_MAX_DOUBLINGS = 40


def http_date(value: str | None) -> datetime | None:
    """A header date (RFC 9110 IMF-fixdate or the obsolete forms) as an aware UTC datetime."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After given either as delay-seconds or as an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    moment = http_date(text)
    if moment is None:
        return None
    return max(moment - now, timedelta(0))


def freshness(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long the server says its answer stays fresh: max-age, else Expires."""
    control = headers.get("cache-control", "")
    if _NO_CACHE.search(control):
        return None
    match = _MAX_AGE.search(control)
    if match:
        return timedelta(seconds=int(match.group(1)))
    expires = http_date(headers.get("expires"))
    if expires is not None and expires > now:
        return expires - now
    return None


def _bounded(delay: timedelta, floor: timedelta, settings: FetchSettings) -> timedelta:
    # The ceiling never drops below the feed's own interval: a user asking for a weekly poll
    # gets a weekly poll.
    return min(max(delay, floor), max(settings.max_delay, floor))


def after_success(
    settings: FetchSettings,
    now: datetime,
    interval: timedelta | None,
    headers: Mapping[str, str],
    ttl: timedelta | None = None,
) -> datetime:
    base = interval or settings.default_interval
    hints = [ttl, freshness(headers, now), retry_after(headers.get("retry-after"), now)]
    longest = max([base, *(hint for hint in hints if hint is not None)])
    return now + _bounded(longest, base, settings)


def backoff(settings: FetchSettings, failures: int) -> timedelta:
    """base * 2^(failures-1), capped. ``alerts.delivery.backoff_delay`` is the same formula
    for mail: leaf packages never import each other, so each keeps its own."""
    doublings = min(max(failures - 1, 0), _MAX_DOUBLINGS)
    try:
        delay: timedelta = settings.backoff_base * (2**doublings)
    except OverflowError:
        return settings.backoff_cap
    return min(delay, settings.backoff_cap)


def after_failure(
    settings: FetchSettings,
    now: datetime,
    failures: int,
    headers: Mapping[str, str] | None = None,
    http_status: int | None = None,
) -> datetime:
    delay = backoff(settings, failures)
    if headers is not None and http_status in (429, 503):
        asked = retry_after(headers.get("retry-after"), now)
        if asked is not None:
            delay = max(delay, asked)
    return now + _bounded(delay, timedelta(0), settings)


def after_gone(settings: FetchSettings, now: datetime) -> datetime:
    """A 410 is re-checked at the backoff cap: sites do come back, and the user was told."""
    return now + settings.backoff_cap
