"""Recipient schedules: parse `immediate`, `daily HH:MM`, `weekly DAY HH:MM` or a 5-field cron line
in the recipient's timezone, and answer which digest period is due.

Every non-immediate schedule is compiled to one cron form so daily, weekly and cron share the same
arithmetic. Fire times are wall-clock times in the recipient's zone: a time skipped by a DST jump
fires at the same instant as the first wall-clock minute after the jump, and a time repeated when
clocks go back fires once, at its first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.records import Period

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
# Far enough to find the next 29 February under any valid expression.
_SEARCH_DAYS = 366 * 8 + 2


class ScheduleError(ValueError):
    """A schedule or timezone that cannot be understood; the message names the bad value."""


@dataclass(frozen=True, slots=True)
class _Cron:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday, as in cron
    fields: dict[str, str]

    def matches(self, day: date) -> bool:
        return (
            day.month in self.months
            and day.day in self.days
            and (day.isoweekday() % 7) in self.weekdays
        )


def _parse_value(text: str, low: int, names: tuple[str, ...], name: str, whole: str) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + low
    if not text.isdigit():
        raise ScheduleError(f"bad {name} value {text!r} in cron schedule {whole!r}; {_ALLOWED}")
    return int(text)


def _parse_field(text: str, spec: tuple[str, int, int, tuple[str, ...]], whole: str) -> set[int]:
    name, low, high, names = spec
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ScheduleError(f"bad step {part!r} for {name} in cron schedule {whole!r}")
            step = int(step_text)
        if base == "*":
            start, stop = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start = _parse_value(first, low, names, name, whole)
            stop = _parse_value(last, low, names, name, whole)
        else:
            start = _parse_value(base, low, names, name, whole)
            stop = high if step_text else start
        if not (low <= start <= high and low <= stop <= high) or start > stop:
            raise ScheduleError(
                f"{name} {part!r} out of range {low}-{high} in cron schedule {whole!r}"
            )
        values.update(range(start, stop + 1, step))
    return values


def _compile_cron(text: str) -> _Cron:
    parts = text.split()
    if len(parts) != 5:
        raise ScheduleError(f"cron schedule {text!r} has {len(parts)} fields, not 5; {_ALLOWED}")
    sets = [_parse_field(part, spec, text) for part, spec in zip(parts, _FIELDS, strict=True)]
    minutes, hours, days, months, weekdays = sets
    weekdays = {d % 7 for d in weekdays}
    if parts[2] != "*" and parts[4] != "*":
        # Cron ORs a restricted day and weekday while APScheduler ANDs them; refuse the ambiguity.
        raise ScheduleError(
            f"cron schedule {text!r} restricts both day of month and day of week; "
            "restrict only one of them"
        )
    fields = {
        "minute": ",".join(map(str, sorted(minutes))),
        "hour": ",".join(map(str, sorted(hours))),
        "day": "*" if parts[2] == "*" else ",".join(map(str, sorted(days))),
        "month": "*" if parts[3] == "*" else ",".join(map(str, sorted(months))),
        # APScheduler 3 numbers weekdays from Monday = 0, so hand it names instead of numbers.
        "day_of_week": "*"
        if parts[4] == "*"
        else ",".join(_DAY_NAMES[d] for d in sorted(weekdays)),
    }
    return _Cron(
        tuple(sorted(minutes)),
        tuple(sorted(hours)),
        frozenset(days),
        frozenset(months),
        frozenset(weekdays),
        fields,
    )


def _cron_for(text: str) -> _Cron | None:
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
            return _compile_cron(f"{minute} {hour} * * *")
        day = words[1].lower()
        number = _FULL_DAYS.get(day, _DAY_NAMES.index(day) if day in _DAY_NAMES else None)
        if number is None:
            raise ScheduleError(f"bad day {words[1]!r} in schedule {text!r}; use mon..sun")
        return _compile_cron(f"{minute} {hour} * * {number}")
    if len(words) == 5:
        return _compile_cron(" ".join(words))
    raise ScheduleError(f"unknown schedule {text!r}; {_ALLOWED}")


class Schedule:
    """A parsed schedule bound to a timezone; all inputs and outputs are aware UTC datetimes."""

    __slots__ = ("_cron", "text", "timezone", "zone")

    def __init__(self, text: str, timezone_name: str, cron: _Cron | None, zone: ZoneInfo) -> None:
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

    def cron_fields(self) -> dict[str, str]:
        return {} if self._cron is None else dict(self._cron.fields)

    def _fires(self, around: datetime, forward: bool) -> Iterator[datetime]:
        """Fire instants (UTC) walking day by day from `around`'s local day, in one direction."""
        assert self._cron is not None
        cron = self._cron
        local_day = around.astimezone(self.zone).date()
        step = timedelta(days=1 if forward else -1)
        slots = [(h, m) for h in cron.hours for m in cron.minutes]
        if not forward:
            slots.reverse()
        for offset in range(_SEARCH_DAYS):
            day = local_day + step * offset
            if not cron.matches(day):
                continue
            instants = [
                datetime.combine(day, time(h, m), self.zone).astimezone(UTC) for h, m in slots
            ]
            # Gap times map onto instants that may also be real times; keep each instant once.
            yield from sorted(set(instants), reverse=not forward)

    def next_fire(self, after: datetime) -> datetime:
        """The first fire strictly after `after`; immediate schedules are always due."""
        _require_aware(after, "after")
        if self._cron is None:
            return after
        for instant in self._fires(after, forward=True):
            if instant > after:
                return instant
        raise ScheduleError(f"schedule {self.text!r} never fires")

    def previous_fire(self, at_or_before: datetime) -> datetime:
        _require_aware(at_or_before, "at_or_before")
        if self._cron is None:
            return at_or_before
        for instant in self._fires(at_or_before, forward=False):
            if instant <= at_or_before:
                return instant
        raise ScheduleError(f"schedule {self.text!r} never fires")

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
        end = self.previous_fire(now)
        if last_end is not None:
            return Period(last_end, end) if last_end < end else None
        return Period(self.previous_fire(end - timedelta(microseconds=1)), end)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")
