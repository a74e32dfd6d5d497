"""Group flagged items into events: the coverage of one meeting by many outlets in many languages.

Used by the digest and by the review UI. Items are considered in `item_id` order and each joins
the best compatible event formed so far or founds a new one, so an event formed earlier keeps its
founder, and therefore its key, when later items arrive. Two items are compatible when they concern
the same unordered pair of states and their dates (event date, else publication date) lie within
`DATE_WINDOW` days, widened to `PLACE_WINDOW` days when both name the same place. Among compatible
events the one sharing the place wins, then the one with the most title tokens in common (a tie
breaker only, since titles in different languages share few tokens), then the closest date.

`sent` maps event keys to item ids already mailed. An event holding an already-sent item takes the
key it was sent under (so callers may pass only a window of recent items), is marked as an update,
and is returned only if it has items not sent yet. With `sent={}` every event is returned.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from alerts.datatypes import DigestItem, Event

DATE_WINDOW = 3
PLACE_WINDOW = 7
_TOKEN = re.compile(r"\w{3,}", re.UNICODE)
_STATUS_RANK = {"held": 2, "announced": 1}
_EMPTY: Mapping[str, frozenset[int]] = {}


@dataclass(slots=True)
class _Cluster:
    pair: tuple[str, str]
    founder: DigestItem
    items: list[DigestItem] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)


def _anchor(item: DigestItem) -> date:
    return item.event_date if item.event_date is not None else item.published.date()


def _fold(text: str) -> str:
    stripped = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in stripped if not unicodedata.combining(c))


def _place(item: DigestItem) -> str | None:
    return (_fold(item.place).strip() or None) if item.place else None


def _tokens(item: DigestItem) -> set[str]:
    return set(_TOKEN.findall(_fold(item.title)))


def _pair(item: DigestItem) -> tuple[str, str]:
    a, b = (code.upper() for code in item.countries)
    return (a, b) if a <= b else (b, a)


def _fit(
    cluster: _Cluster, day: date, place: str | None, tokens: set[str]
) -> tuple[int, float, int]:
    """A sortable fitness (higher is better), or a negative first element when incompatible."""
    gap = min(abs((day - other).days) for other in cluster.dates)
    same_place = place is not None and place in cluster.places
    if gap > (PLACE_WINDOW if same_place else DATE_WINDOW):
        return (-1, 0.0, 0)
    union = len(tokens | cluster.tokens) or 1
    return (int(same_place), len(tokens & cluster.tokens) / union, -gap)


def _cluster(items: Sequence[DigestItem]) -> list[_Cluster]:
    by_pair: dict[tuple[str, str], list[_Cluster]] = {}
    for item in sorted(items, key=lambda i: i.item_id):
        pair = _pair(item)
        day, place, tokens = _anchor(item), _place(item), _tokens(item)
        candidates = by_pair.setdefault(pair, [])
        best: _Cluster | None = None
        best_fit = (-1, 0.0, 0)
        for cluster in candidates:
            fit = _fit(cluster, day, place, tokens)
            if fit > best_fit:
                best, best_fit = cluster, fit
        if best is None or best_fit[0] < 0:
            best = _Cluster(pair, item)
            candidates.append(best)
        best.items.append(item)
        best.dates.append(day)
        if place is not None:
            best.places.add(place)
        best.tokens |= tokens
    return [cluster for clusters in by_pair.values() for cluster in clusters]


def _most_common(values: list[object]) -> object | None:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    # Prefer the most frequent value; among equals, the one seen first (stable across runs).
    return max(counts, key=lambda v: counts[v])


def _key_for(cluster: _Cluster, sent_by_item: Mapping[int, str]) -> str:
    earlier = Counter(sent_by_item[i.item_id] for i in cluster.items if i.item_id in sent_by_item)
    if earlier:
        return min(earlier, key=lambda k: (-earlier[k], k))
    founder = cluster.founder
    return f"{cluster.pair[0]}-{cluster.pair[1]}-{_anchor(founder):%Y%m%d}-{founder.item_id}"


def _event(cluster: _Cluster, key: str, sent_ids: frozenset[int], is_update: bool) -> Event:
    items = sorted(cluster.items, key=lambda i: (-i.score, -i.published.timestamp(), i.item_id))
    top = items[0]
    status = max((i.status for i in items), key=lambda s: _STATUS_RANK.get(s, 0))
    dates: list[object] = [i.event_date for i in cluster.items]
    event_date = _most_common(dates)
    places: list[object] = [i.place.strip() if i.place else None for i in cluster.items]
    place = _most_common(places)
    return Event(
        key=key,
        countries=cluster.pair,
        headline=top.title,
        status=status if status in _STATUS_RANK else "unknown",
        event_date=event_date if isinstance(event_date, date) else None,
        place=place if isinstance(place, str) else None,
        explanation=top.explanation,
        score=top.score,
        latest=max(i.published for i in items),
        items=tuple(items),
        is_update=is_update,
        new_item_ids=frozenset(i.item_id for i in items if i.item_id not in sent_ids),
    )


def group_events(
    items: Sequence[DigestItem], sent: Mapping[str, frozenset[int]] = _EMPTY
) -> list[Event]:
    """Group `items` into events ordered by score, then most recent first.

    Returns every event with at least one item not listed in `sent` (so all events when `sent` is
    empty); events whose key appears in `sent` are flagged `is_update`.
    """
    sent_by_item: dict[int, str] = {}
    for key in sorted(sent):
        for item_id in sent[key]:
            sent_by_item.setdefault(item_id, key)
    events: list[Event] = []
    for cluster in _cluster(items):
        key = _key_for(cluster, sent_by_item)
        sent_ids = sent.get(key, frozenset()) | {
            i.item_id for i in cluster.items if i.item_id in sent_by_item
        }
        event = _event(cluster, key, frozenset(sent_ids), is_update=key in sent)
        if event.new_item_ids:
            events.append(event)
    events.sort(key=lambda e: (-e.score, -e.latest.timestamp(), e.key))
    return events
