"""Scheduling decisions: freshness headers, TTL, Retry-After, exponential backoff and caps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors import FetchSettings
from collectors.recheck import after_failure, after_success, backoff, retry_after

NOW = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)
S = FetchSettings()
IN_2H = "Wed, 13 May 2026 14:00:00 GMT"

SUCCESS_CASES = [
    pytest.param({}, None, None, timedelta(minutes=30), id="default-interval"),
    pytest.param({}, timedelta(hours=2), None, timedelta(hours=2), id="per-feed-interval"),
    pytest.param({}, None, timedelta(minutes=90), timedelta(minutes=90), id="rss-ttl-longer"),
    pytest.param({}, None, timedelta(minutes=5), timedelta(minutes=30), id="rss-ttl-shorter"),
    pytest.param(
        {"cache-control": "public, max-age=3600"}, None, None, timedelta(hours=1), id="max-age"
    ),
    pytest.param(
        {"cache-control": "max-age=60"}, None, None, timedelta(minutes=30), id="short-max-age"
    ),
    pytest.param(
        {"cache-control": "no-cache, max-age=7200"},
        None,
        None,
        timedelta(minutes=30),
        id="no-cache",
    ),
    pytest.param({"expires": IN_2H}, None, None, timedelta(hours=2), id="expires"),
    pytest.param({"expires": "0"}, None, None, timedelta(minutes=30), id="bad-expires"),
    pytest.param(
        {"retry-after": "5400"}, None, None, timedelta(minutes=90), id="retry-after-on-200"
    ),
    pytest.param(
        {"cache-control": "max-age=2592000"}, None, None, timedelta(hours=24), id="capped-at-a-day"
    ),
    pytest.param(
        {"cache-control": "max-age=2592000"},
        timedelta(days=2),
        None,
        timedelta(days=2),
        id="cap-never-below-own-interval",
    ),
]


@pytest.mark.parametrize(("headers", "interval", "ttl", "delay"), SUCCESS_CASES)
def test_next_check_after_success(
    headers: dict[str, str], interval: timedelta | None, ttl: timedelta | None, delay: timedelta
) -> None:
    assert after_success(S, NOW, interval, headers, ttl) == NOW + delay


def test_backoff_doubles_from_base_to_cap() -> None:
    delays = [backoff(S, n) for n in range(1, 10)]
    assert delays[:7] == [timedelta(minutes=15) * 2**n for n in range(7)]
    assert delays[7:] == [timedelta(hours=24)] * 2
    assert backoff(S, 10_000) == timedelta(hours=24)


RETRY_CASES = [
    pytest.param(429, {"retry-after": "7200"}, timedelta(hours=2), id="429-seconds"),
    pytest.param(503, {"retry-after": IN_2H}, timedelta(hours=2), id="503-http-date"),
    pytest.param(500, {"retry-after": "7200"}, timedelta(minutes=15), id="500-ignores-retry-after"),
    pytest.param(429, {"retry-after": "soon"}, timedelta(minutes=15), id="unparseable"),
    pytest.param(429, {"retry-after": "9999999"}, timedelta(hours=24), id="absurd-is-capped"),
]


@pytest.mark.parametrize(("status", "headers", "delay"), RETRY_CASES)
def test_retry_after_on_failure(status: int, headers: dict[str, str], delay: timedelta) -> None:
    assert after_failure(S, NOW, 1, headers, status) == NOW + delay


def test_retry_after_forms() -> None:
    assert retry_after("120", NOW) == timedelta(seconds=120)
    assert retry_after("Wed, 13 May 2026 11:00:00 GMT", NOW) == timedelta(0)
    assert retry_after(None, NOW) is None
