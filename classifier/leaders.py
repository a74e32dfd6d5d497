"""Leaders in the gazetteer: who held which office when, and whom a shared name means on a day.

A surname can belong to several leaders (Berdimuhamedov father and son, Aliyev, Japarov);
``pick_leader`` resolves it by the date of the item, heads of state first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Term:
    role: str
    start: date
    end: date | None

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    code: str
    terms: tuple[Term, ...]

    def term_at(self, on: date) -> Term | None:
        return next((t for t in self.terms if t.covers(on)), None)

    def latest(self) -> Term:
        return max(self.terms, key=lambda t: (t.end or date.max, t.start))


def parse_leader(raw: dict[str, Any]) -> Leader:
    """A leader as listed in leaders.json: name, country and terms of office."""
    terms = tuple(
        Term(t["role"], date.fromisoformat(t["start"]), t["end"] and date.fromisoformat(t["end"]))
        for t in raw["terms"]
    )
    return Leader(raw["name"], raw["country"], terms)


@functools.lru_cache(maxsize=4096)
def pick_leader(leaders: tuple[Leader, ...], day: date, dated: bool) -> tuple[Leader, Term]:
    """Who a name means on ``day``: whoever was in office, heads of state first; else the latest."""
    serving = [(p, t) for p in leaders if (t := p.term_at(day)) is not None]
    if serving:
        return min(serving, key=lambda pt: pt[1].role != "head_of_state")
    person = max(leaders, key=lambda p: p.latest().end or date.max)
    return person, (person.term_at(day) if dated else None) or person.latest()
