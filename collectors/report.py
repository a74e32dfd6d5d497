"""Wording and bookkeeping for failed polls: one place that builds the ``FetchResult`` of a
failure (counting it, scheduling the retry, keeping the feed's validators) and phrases what
went wrong as a sentence a feed-health table can show as is."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta

from collectors import recheck
from collectors.models import FeedState, FetchResult, FetchSettings, ParsedFeed
from collectors.transfer import Download

# Appended to every failure message; the web UI's one-off check shows the sentence without it.
NEXT_ATTEMPT = "; next attempt in "


def without_retry(message: str) -> str:
    """``message`` without the retry schedule that ``failure_result`` appended."""
    head, found, _ = message.partition(NEXT_ATTEMPT)
    return head + "." if found else message


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def gone_message(settings: FetchSettings) -> str:
    return (
        "The server says the feed is gone for good (HTTP 410); it will be re-checked every "
        f"{delay_phrase(settings.backoff_cap)} in case it returns."
    )


def delay_phrase(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    hours = seconds / 3600
    return f"{hours:.0f} h" if hours >= 10 or hours.is_integer() else f"{hours:.1f} h"


def http_failure_message(
    status: int, reason: str, headers: Mapping[str, str], delay: timedelta
) -> str:
    what = f"The server answered HTTP {status}" + (f" {reason}" if reason else "")
    if status in (429, 503) and headers.get("retry-after"):
        what += f" and asked to wait (Retry-After: {headers['retry-after'].strip()})"
    return f"{what}{NEXT_ATTEMPT}{delay_phrase(delay)}."


def failure_result(
    settings: FetchSettings,
    state: FeedState,
    fetched_at: datetime,
    kind: str,
    message: str,
    *,
    latency: float,
    http_status: int | None = None,
    new_url: str | None = None,
    status: str = "error",
    next_check_at: datetime | None = None,
    parse_s: float = 0.0,
) -> FetchResult:
    failures = state.consecutive_failures + 1
    if next_check_at is None:
        if status == "gone":
            next_check_at = recheck.after_gone(settings, fetched_at)
        else:
            next_check_at = recheck.after_failure(settings, fetched_at, failures)
            if kind != "http":
                message = (
                    f"{message.rstrip('.')}{NEXT_ATTEMPT}"
                    + delay_phrase(next_check_at - fetched_at)
                    + "."
                )
    return FetchResult(
        url=state.url,
        status=status,
        http_status=http_status,
        new_url=new_url,
        entries=(),
        feed_title=None,
        feed_language=None,
        etag=state.etag,
        last_modified=state.last_modified,
        body_hash=state.body_hash,
        error_kind=kind,
        error_message=message,
        bozo_message=None,
        consecutive_failures=failures,
        next_check_at=next_check_at,
        fetched_at=fetched_at,
        latency_s=latency,
        parse_s=parse_s,
    )


def success_result(
    settings: FetchSettings,
    state: FeedState,
    got: Download,
    fetched_at: datetime,
    latency: float,
    status: str,
    parsed: ParsedFeed | None = None,
    parse_s: float = 0.0,
) -> FetchResult:
    """Result of a poll that worked: "ok" (parsed), "unchanged" (same body) or "not_modified"."""
    if status == "not_modified":
        # A 304 may omit the validators; the stored ones stay valid.
        etag = got.headers.get("etag") or state.etag
        last_modified = got.headers.get("last-modified") or state.last_modified
        body_hash = state.body_hash
    else:
        etag, last_modified = got.headers.get("etag"), got.headers.get("last-modified")
        body_hash = body_digest(got.body)
    ttl = parsed.ttl if parsed else None
    next_check_at = recheck.after_success(settings, fetched_at, state.interval, got.headers, ttl)
    return FetchResult(
        url=state.url,
        status=status,
        http_status=got.status,
        new_url=got.moved_to,
        entries=parsed.entries if parsed else (),
        feed_title=parsed.title if parsed else None,
        feed_language=parsed.language if parsed else None,
        etag=etag,
        last_modified=last_modified,
        body_hash=body_hash,
        error_kind=None,
        error_message=None,
        bozo_message=parsed.bozo_message if parsed else None,
        consecutive_failures=0,
        next_check_at=next_check_at,
        fetched_at=fetched_at,
        latency_s=latency,
        parse_s=parse_s,
        body_bytes=len(got.body),
    )
