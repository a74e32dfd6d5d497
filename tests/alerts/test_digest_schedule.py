"""Schedules: due periods in the recipient's timezone (including DST changes), agreement with an
independent cron implementation (APScheduler's), and clear errors for bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from alerts import Period, Schedule, ScheduleError


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


DUE = [
    pytest.param("daily 07:00", "UTC", utc(2026, 11, 28, 8), None,
                 Period(utc(2026, 11, 27, 7), utc(2026, 11, 28, 7)), id="daily-utc"),
    pytest.param("daily 07:00", "UTC", utc(2026, 11, 28, 7), None,
                 Period(utc(2026, 11, 27, 7), utc(2026, 11, 28, 7)), id="daily-fires-exactly-now"),
    pytest.param("daily 07:00", "Asia/Almaty", utc(2026, 11, 28, 3), None,
                 Period(utc(2026, 11, 27, 2), utc(2026, 11, 28, 2)), id="daily-almaty-utc+5"),
    pytest.param("daily 07:00", "Asia/Almaty", utc(2026, 11, 28, 1, 59), None,
                 Period(utc(2026, 11, 26, 2), utc(2026, 11, 27, 2)), id="almaty-before-today-fire"),
    pytest.param("daily 07:00", "Asia/Almaty", utc(2026, 11, 28, 3), utc(2026, 11, 28, 2),
                 None, id="already-sent"),
    pytest.param("daily 07:00", "Asia/Almaty", utc(2026, 11, 28, 3), utc(2026, 11, 25, 2),
                 Period(utc(2026, 11, 25, 2), utc(2026, 11, 28, 2)), id="missed-days-caught-up"),
    pytest.param("weekly mon 09:00", "Europe/Paris", utc(2026, 11, 28, 12), None,
                 Period(utc(2026, 11, 16, 8), utc(2026, 11, 23, 8)), id="weekly-paris-winter"),
    pytest.param("weekly Monday 09:00", "Europe/Paris", utc(2026, 11, 23, 8), utc(2026, 11, 16, 8),
                 Period(utc(2026, 11, 16, 8), utc(2026, 11, 23, 8)), id="weekly-full-day-name"),
    pytest.param("daily 09:00", "Europe/Paris", utc(2026, 3, 29, 12), None,
                 Period(utc(2026, 3, 28, 8), utc(2026, 3, 29, 7)), id="paris-spring-forward-23h"),
    pytest.param("daily 02:30", "Europe/Paris", utc(2026, 3, 29, 5), None,
                 Period(utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30)), id="paris-time-in-gap"),
    pytest.param("daily 01:30", "America/New_York", utc(2026, 11, 1, 12), None,
                 Period(utc(2026, 10, 31, 5, 30), utc(2026, 11, 1, 5, 30)),
                 id="new-york-repeated-hour-fires-once"),
    pytest.param("0 */6 * * *", "UTC", utc(2026, 11, 28, 13, 15), None,
                 Period(utc(2026, 11, 28, 6), utc(2026, 11, 28, 12)), id="cron-every-6h"),
    pytest.param("30 8 * * 1-5", "Asia/Almaty", utc(2026, 11, 29, 10), None,
                 Period(utc(2026, 11, 26, 3, 30), utc(2026, 11, 27, 3, 30)),
                 id="cron-weekdays-almaty-on-sunday"),
    pytest.param("*/30 * * * *", "Europe/Paris", utc(2026, 3, 29, 1, 10), None,
                 Period(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1)),
                 id="half-hourly-in-spring-gap"),
    pytest.param("immediate", "UTC", utc(2026, 11, 28, 8), None,
                 Period(utc(2026, 11, 27, 8), utc(2026, 11, 28, 8)), id="immediate-first"),
    pytest.param("immediate", "Asia/Almaty", utc(2026, 11, 28, 8), utc(2026, 11, 28, 6),
                 Period(utc(2026, 11, 28, 6), utc(2026, 11, 28, 8)), id="immediate-since-last"),
    pytest.param("immediate", "UTC", utc(2026, 11, 28, 8), utc(2026, 11, 28, 8), None,
                 id="immediate-nothing-since-last"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "zone", "now", "last_end", "expected"), DUE)
def test_due_period(
    text: str, zone: str, now: datetime, last_end: datetime | None, expected: Period | None
) -> None:
    assert Schedule.parse(text, zone).due_period(now, last_end) == expected


NEXT = [
    pytest.param("daily 07:00", "Asia/Almaty", utc(2026, 11, 28, 2), utc(2026, 11, 29, 2),
                 id="strictly-after"),
    pytest.param("weekly fri 18:00", "UTC", utc(2026, 11, 28), utc(2026, 12, 4, 18), id="weekly"),
    pytest.param("0 0 29 2 *", "UTC", utc(2026, 11, 28), utc(2028, 2, 29), id="leap-day"),
    pytest.param("daily 02:30", "Europe/Paris", utc(2026, 3, 28, 12), utc(2026, 3, 29, 1, 30),
                 id="gap-time"),
    pytest.param("0 9 * * 7", "Asia/Almaty", utc(2026, 11, 28), utc(2026, 11, 29, 4),
                 id="weekday-7-is-sunday"),
    pytest.param("*/20 9 1 jan,jul *", "UTC", utc(2026, 7, 1, 9), utc(2026, 7, 1, 9, 20),
                 id="steps-and-month-names"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "zone", "sent", "fire"), NEXT)
def test_next_period_ends_at_the_next_fire(
    text: str, zone: str, sent: datetime, fire: datetime
) -> None:
    """After a digest up to `sent`, nothing is due until the next fire, which ends the period."""
    schedule = Schedule.parse(text, zone)
    assert schedule.due_period(fire - timedelta(seconds=1), sent) is None
    assert schedule.due_period(fire, sent) == Period(sent, fire)


# APScheduler's CronTrigger is an independent cron implementation: our periods must end where
# it fires, across the March DST change and in zones without DST.
ORACLE = [
    pytest.param("daily 07:00", "Asia/Almaty", {"minute": "0", "hour": "7"}, id="daily"),
    pytest.param("weekly mon 09:00", "Europe/Paris",
                 {"minute": "0", "hour": "9", "day_of_week": "mon"}, id="weekly"),
    pytest.param("30 8 * * 1-5", "America/New_York",
                 {"minute": "30", "hour": "8", "day_of_week": "mon-fri"}, id="cron-weekdays"),
    pytest.param("15 */4 1-10 * *", "Asia/Tashkent",
                 {"minute": "15", "hour": "*/4", "day": "1-10"}, id="cron-days"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "zone", "fields"), ORACLE)
def test_periods_end_where_apscheduler_fires(text: str, zone: str, fields: dict[str, str]) -> None:
    schedule = Schedule.parse(text, zone)
    trigger = CronTrigger(**fields, timezone=ZoneInfo(zone))
    moment = utc(2026, 3, 1)
    for _ in range(20):
        theirs = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        assert theirs is not None
        fire = theirs.astimezone(UTC)
        assert schedule.due_period(fire - timedelta(seconds=1), moment) is None
        assert schedule.due_period(fire, moment) == Period(moment, fire)
        moment = fire


BAD = [
    pytest.param("hourly", "UTC", "unknown schedule 'hourly'", id="unknown-word"),
    pytest.param("daily 25:00", "UTC", "bad time '25:00'", id="hour-out-of-range"),
    pytest.param("daily 7", "UTC", "bad time '7'", id="time-without-minutes"),
    pytest.param("weekly funday 09:00", "UTC", "bad day 'funday'", id="bad-day"),
    pytest.param("weekly 09:00", "UTC", "is malformed", id="weekly-without-day"),
    pytest.param("61 * * * *", "UTC", "minute '61' out of range 0-59", id="minute-range"),
    pytest.param("0 9 5-1 * *", "UTC", "day '5-1' out of range", id="reversed-range"),
    pytest.param("*/0 * * * *", "UTC", "bad step '*/0'", id="zero-step"),
    pytest.param("0 9 x * *", "UTC", "bad day value 'x'", id="not-a-number"),
    pytest.param("0 9 1 * mon", "UTC", "restricts both day of month and day of week",
                 id="day-and-weekday"),
    pytest.param("0 0 31 2 *", "UTC", "is not usable", id="no-date-ever-matches"),
    pytest.param("0 9 L * *", "UTC", "bad day value 'L'", id="cron-extension-refused"),
    pytest.param("0 9 * * *  *", "UTC", "unknown schedule", id="seconds-field-refused"),
    pytest.param("", "UTC", "empty schedule", id="empty"),
    pytest.param("daily 07:00", "Mars/Olympus", "unknown timezone 'Mars/Olympus'", id="bad-zone"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "zone", "message"), BAD)
def test_bad_values_are_named(text: str, zone: str, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        Schedule.parse(text, zone)
    assert message in str(caught.value)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Schedule.parse("daily 07:00", "UTC").due_period(datetime(2026, 11, 28), None)
