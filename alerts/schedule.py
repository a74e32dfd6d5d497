"""Recipient schedules: parse `immediate`, `daily HH:MM`, `weekly DAY HH:MM` or a 5-field cron line
in the recipient's timezone, and answer which digest period is due. This module only owns the
grammar and its error messages; daily and weekly are rewritten as cron lines and every cron line
is walked by `cronsim` over wall-clock times in the recipient's zone. A wall time is read at its
first occurrence, as `zoneinfo` does by default: a time skipped by a DST jump (02:30 on a night
that jumps from 02:00 to 03:00) fires as if the clock had not jumped yet (03:30 new time), and a
time repeated when clocks go back fires once, at its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from alerts.datatypes import Period

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FULL_DAYS = {
    "sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
    "saturday": 6,
}  # fmt: skip
# (name, low, high, symbolic names starting at `low`)
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day", 1, 31, ()),
    ("month", 1, 12, _MONTH_NAMES),
    ("day_of_week", 0, 7, _DAY_NAMES),
)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_ALLOWED = (
    "allowed: 'immediate', 'daily HH:MM', 'weekly DAY HH:MM' (DAY = mon..sun) "
    "or a 5-field cron line 'minute hour day month weekday'"
)
# Wall-clock order and instant order differ only inside a forward jump of the clock (a skipped
# wall time maps past the jump's real times), and no DST jump in tzdata exceeds two hours; the
# backward walk looks this far past its first candidate so it never misses a later instant.
_JUMP = timedelta(hours=2)


class ScheduleError(ValueError):
    """A schedule or timezone that cannot be understood; the message names the bad value."""


def _check_value(text: str, low: int, names: tuple[str, ...], name: str, whole: str) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + low
    if not text.isdigit():
        raise ScheduleError(f"bad {name} value {text!r} in cron schedule {whole!r}; {_ALLOWED}")
    return int(text)


def _check_field(text: str, spec: tuple[str, int, int, tuple[str, ...]], whole: str) -> None:
    """Refuse what our grammar does not allow with a message naming the part; `cronsim`'s own
    errors only say which field is bad, and it accepts extensions (L, #) we do not document."""
    name, low, high, names = spec
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        if step_text and (not step_text.isdigit() or int(step_text) == 0):
            raise ScheduleError(f"bad step {part!r} for {name} in cron schedule {whole!r}")
        if base == "*":
            continue
        first, _, last = base.partition("-")
        start = _check_value(first, low, names, name, whole)
        stop = _check_value(last, low, names, name, whole) if last else start
        if not (low <= start <= high and low <= stop <= high) or start > stop:
            raise ScheduleError(
                f"{name} {part!r} out of range {low}-{high} in cron schedule {whole!r}"
            )


def _check_cron(text: str) -> str:
    parts = text.split()
    if len(parts) != 5:
        raise ScheduleError(f"cron schedule {text!r} has {len(parts)} fields, not 5; {_ALLOWED}")
    for part, spec in zip(parts, _FIELDS, strict=True):
        _check_field(part, spec, text)
    if parts[2] != "*" and parts[4] != "*":
        # Cron ORs a restricted day and weekday, which surprises people; refuse the ambiguity.
        raise ScheduleError(
            f"cron schedule {text!r} restricts both day of month and day of week; "
            "restrict only one of them"
        )
    expression = " ".join(parts)
    try:
        CronSim(expression, datetime(2000, 1, 1))
    except CronSimError as error:  # e.g. "0 0 31 2 *": valid fields, no date ever matches
        raise ScheduleError(f"cron schedule {text!r} is not usable: {error}") from error
    return expression


def _cron_for(text: str) -> str | None:
    """The cron line `text` stands for, or None for `immediate`."""
    words = text.split()
    if not words:
        raise ScheduleError(f"empty schedule; {_ALLOWED}")
    kind = words[0].lower()
    if kind == "immediate" and len(words) == 1:
        return None
    if kind in ("daily", "weekly"):
        want = 2 if kind == "daily" else 3
        if len(words) != want:
            raise ScheduleError(f"schedule {text!r} is malformed; {_ALLOWED}")
        match = _HHMM.match(words[-1])
        if match is None:
            raise ScheduleError(
                f"bad time {words[-1]!r} in schedule {text!r}; use HH:MM (00:00-23:59)"
            )
        hour, minute = int(match.group(1)), int(match.group(2))
        if kind == "daily":
            return _check_cron(f"{minute} {hour} * * *")
        day = words[1].lower()
        number = _FULL_DAYS.get(day, _DAY_NAMES.index(day) if day in _DAY_NAMES else None)
        if number is None:
            raise ScheduleError(f"bad day {words[1]!r} in schedule {text!r}; use mon..sun")
        return _check_cron(f"{minute} {hour} * * {number}")
    if len(words) == 5:
        return _check_cron(text)
    raise ScheduleError(f"unknown schedule {text!r}; {_ALLOWED}")


class Schedule:
    """A parsed schedule bound to a timezone; all inputs and outputs are aware UTC datetimes."""

    __slots__ = ("_cron", "text", "timezone", "zone")

    def __init__(self, text: str, timezone_name: str, cron: str | None, zone: ZoneInfo) -> None:
        self.text = text
        self.timezone = timezone_name
        self.zone = zone
        self._cron = cron

    @classmethod
    def parse(cls, text: str, timezone: str) -> Schedule:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ScheduleError(
                f"unknown timezone {timezone!r}; use an IANA name such as 'Asia/Almaty' or 'UTC'"
            ) from error
        return cls(text.strip(), timezone, _cron_for(text.strip()), zone)

    @property
    def immediate(self) -> bool:
        return self._cron is None

    def __repr__(self) -> str:
        return f"Schedule({self.text!r}, {self.timezone!r})"

    def _last_fire(self, cron: str, at: datetime) -> datetime:
        """The latest fire instant (UTC) at or before `at`."""
        # cronsim walks naive wall-clock times, read here at their first occurrence (fold=0);
        # it starts one jump past `at`'s wall time, as a wall time that late may still be an
        # earlier instant (a repeated hour), and yields times strictly before its start.
        start = at.astimezone(self.zone).replace(tzinfo=None, microsecond=0) + _JUMP
        best: tuple[datetime, datetime] | None = None  # (instant, wall time)
        for wall in CronSim(cron, start + timedelta(seconds=1), reverse=True):
            if best is not None and wall < best[1] - _JUMP:
                return best[0]
            instant = wall.replace(tzinfo=self.zone).astimezone(UTC)
            if instant <= at and (best is None or instant > best[0]):
                best = (instant, wall)
        if best is None:  # cronsim gives up after 50 years without a match
            raise ScheduleError(f"schedule {self.text!r} never fires")
        return best[0]

    def due_period(self, now: datetime, last_end: datetime | None) -> Period | None:
        """The latest completed period ending at or before `now` not sent yet, or None.

        When earlier periods were missed (the service was down), the returned period starts at
        `last_end` so it covers everything since the last digest: nothing is skipped, nothing is
        sent twice. Without `last_end` it is the single latest period.
        """
        _require_aware(now, "now")
        now = now.astimezone(UTC)
        if last_end is not None:
            _require_aware(last_end, "last_end")
            last_end = last_end.astimezone(UTC)
        if self._cron is None:
            start = last_end if last_end is not None else now - timedelta(days=1)
            return Period(start, now) if start < now else None
        end = self._last_fire(self._cron, now)
        if last_end is not None:
            return Period(last_end, end) if last_end < end else None
        return Period(self._last_fire(self._cron, end - timedelta(microseconds=1)), end)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")
