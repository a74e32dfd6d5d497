"""Confirmed events: the summits reviewers have confirmed, to score other reports of them.

One summit is reported by many outlets in many languages over a few days, most of them in words
the seeds never used (a Tagalog wire story, a video caption). When a reviewer confirms one report,
the model knows that the two states met then, so another item naming the same pair of states and
dated within ``WINDOW_DAYS`` of it is pulled toward a summit by ``PULL`` in log-odds: enough to
carry an unsure item over the threshold, not enough to flag a phone call or a trade story the
model is sure about. Rejections do not pull the other way: a rejected report says that *item* is
not a summit report (a ministerial meeting, the multilateral summit around the bilateral talks),
not that no summit took place, and pulling down on them cost recall on the development corpus.
Undated items never match, since the same two states meet several times a year.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

# log-odds added for a confirmed report of the same meeting: from 2 to 4 it changed the same
# items in the review experiment (bench/review_experiment.py), 2.5 is the middle of that range
PULL = 2.5
# a visit is announced, held and commented on within a few days; at 30 days a ministerial visit
# preparing the summit was pulled up in the review experiment, from 1 to 7 days nothing changed
WINDOW_DAYS = 3
TITLE_CHARS = 90


@dataclass(frozen=True, slots=True)
class ConfirmedEvent:
    pair: frozenset[str]
    day: date
    title: str
    key: str  # memory_key of the confirmed item, so held-out evaluation can forget it


@dataclass(frozen=True, slots=True)
class EventRecall:
    """The confirmed report another item was matched to."""

    event: ConfirmedEvent
    shift: float

    def reason(self) -> str:
        pair = "–".join(sorted(self.event.pair))
        return (
            f"+{self.shift:.2f} a reviewer confirmed a {pair} summit reported "
            f"{self.event.day.isoformat()}: {self.event.title[:TITLE_CHARS]!r}"
        )


class ConfirmedEvents:
    """The (pair of states, date) of every confirmed report; see the module docstring."""

    def __init__(self, events: Sequence[ConfirmedEvent]) -> None:
        self.events = list(events)
        self._by_pair: dict[frozenset[str], list[ConfirmedEvent]] = {}
        for event in self.events:
            self._by_pair.setdefault(event.pair, []).append(event)

    def __len__(self) -> int:
        return len(self.events)

    def forget(self, keys: Collection[str]) -> ConfirmedEvents | None:
        """The same events without the reports of ``keys`` (None when nothing is left)."""
        kept = [e for e in self.events if e.key not in keys]
        return ConfirmedEvents(kept) if kept else None

    def match(self, pair: Sequence[str], day: date | None) -> EventRecall | None:
        """The confirmed report closest in time to a ``pair`` item dated ``day``, if any."""
        if len(pair) != 2 or day is None:
            return None
        near = [
            e
            for e in self._by_pair.get(frozenset(pair), ())
            if abs((e.day - day).days) <= WINDOW_DAYS
        ]
        if not near:
            return None
        closest = min(near, key=lambda e: (abs((e.day - day).days), e.day, e.key))
        return EventRecall(closest, PULL)
