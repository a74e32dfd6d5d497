"""Reading the event out of an analysed item: the two states, who hosts, status, date, place.

The pair is the watched state with the most weight (leaders and headline mentions count most)
and the strongest other state, states whose heads are named first. The place is the city of the
meeting named in the headline or lead (not the agency's dateline); the host is the state of that
city, else the state a visit goes "to" (a preposition, or a dative or locative case ending).
Status is "announced" when future-tense cues outweigh past ones, else by the stated date against
the publication date; dates are read by ``classifier.dates``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from classifier.actors import OPENING, heads
from classifier.cues import CueHit
from classifier.dates import DATE_SCAN, find_date, relative_date
from classifier.features import STRONG_KINDS, Analysis, lead_end, state_weights
from classifier.gazetteer import Gazetteer, Mention

_PLACES = ("capital", "venue")
_CJK_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日[电電]")
# words before a state that a visit goes to (lower case; Arabic "ل" is glued to the name)
_TOWARD = re.compile(
    r"(?:\b(?:to|visit|visits|visiting|arrive[sd]? in|arrival in|в|во|посетит|посетил|посетят"
    r"|посещени[еяи]|au|aux|en|nach|ziyaret|إلى|الى|به|赴|访问|訪問|抵达|抵達|到)\s*|(?:^|\s|و)ل)$"
)
# case endings of a destination after a state's name: Turkic dative and locative, with or
# without an apostrophe (Qozog'istonga, Қазақстанға, Türkmenistana, Kırgızistan'da)
_CASE_TOWARD = re.compile(
    r"['’]?(?:y?[ae]|n[ae]|[gkqğ][ae]|ға|ге|қа|ке|га|ка|го|гө|ко|кө|а|е|[dt][ae]|[дт][аеоө]|ә|ə)"
)


@dataclass(frozen=True, slots=True)
class EventFacts:
    countries: tuple[str, ...]
    visitor: str | None
    host: str | None
    status: str
    event_date: date | None
    place: str | None
    date_inferred: bool = False  # no date stated: the publication date of a held meeting


def pick_pair(analysis: Analysis, watched: Collection[str]) -> tuple[str, ...]:
    """The watched state and its counterpart; states whose heads are named come first.

    A state is a party to a summit through its leader: two foreign leaders meeting in Astana on
    the sidelines of a summit there make no pair with Kazakhstan, and "Macron received the
    Uzbek president, at a time when Russia ..." pairs Uzbekistan with France, not Russia.
    """
    weights = state_weights(analysis)
    ranked = [code for code, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w >= 1.0]
    named = heads(analysis.title_mentions, analysis.title_cues) | heads(
        analysis.text_mentions, analysis.text_cues, OPENING
    )
    # ties broken by code: ``named`` is a set, whose order changes with the process's hash seed,
    # and two processes (the embedded runner, a worker) must read the same pair
    ordered = sorted(named, key=lambda c: (-weights.get(c, 0.0), c))
    if _venue_only(analysis, named, watched):
        return ()
    first = next((c for c in ordered if c in watched), None)
    first = first or next((c for c in ranked if c in watched), None)
    if first is None:
        return ()
    second = next((c for c in ordered if c != first), None)
    second = second or next((c for c in ranked if c != first), None)
    return (first, second) if second else ()


def _venue_only(analysis: Analysis, named: set[str], watched: Collection[str]) -> bool:
    """Heads of two other states meet, and the watched state is only where (a city of it)."""
    if len(named) < 2 or named & set(watched):
        return False
    cut = lead_end(analysis.text)
    opening = analysis.title_mentions + tuple(m for m in analysis.text_mentions if m.start < cut)
    return not any(m.code in watched and m.kind in STRONG_KINDS for m in opening)


def read_event(
    analysis: Analysis, watched: Collection[str], reference: date | None = None
) -> EventFacts:
    pair = pick_pair(analysis, watched)
    cut = lead_end(analysis.text)
    place = _place(analysis, pair, cut)
    host = place.code if place is not None and place.code in pair else None
    if place is None or place.code in pair:
        host = host or _destination(analysis, pair, cut)
    visitor = next((c for c in pair if c != host), None) if host else None
    # the event's date is stated near the top; scanning whole articles costs more than it finds
    top = analysis.title + " " + analysis.text[:DATE_SCAN]
    event_date = find_date(top, reference) or relative_date(
        top[: len(analysis.title) + cut], reference
    )
    # without two states there is no meeting to be announced or held
    status = _status(analysis, event_date, reference) if pair else "unknown"
    inferred = False
    if event_date is None and status == "held" and reference is not None:
        # a report of a meeting held is published within a day or two of it
        event_date, inferred = reference, True
    return EventFacts(
        countries=pair,
        visitor=visitor,
        host=host,
        status=status,
        event_date=event_date,
        place=(place.name or place.text) if place else None,
        date_inferred=inferred,
    )


def _status(analysis: Analysis, event_date: date | None, reference: date | None) -> str:
    """Announced or held: by tense, else by the date against the publication date, else held
    (news reports what happened far more often than what is coming)."""
    cues = [c.cue for c in analysis.cues]
    future, past = cues.count("announcement"), cues.count("held")
    title_cues = [c.cue for c in analysis.title_cues]
    if "announcement" in title_cues and "held" not in title_cues:
        future += 2
    if future > past:
        return "announced"
    if past > 0:
        return "held"
    if event_date is not None and reference is not None and event_date > reference:
        return "announced"
    return "held"


def _in_dateline(m: Mention, text: str) -> bool:
    """A place in the agency's dateline ("ASTANA –", "НУР-СУЛТАН, 15 сен", "新华社北京1月24日电")
    is where the story was filed, not where the event was."""
    if m.start <= 3 and text[m.end : m.end + 3].lstrip()[:1] in (",", "–", "—", "-", ":", "("):
        return True
    return m.start <= 12 and _CJK_DATELINE.match(text, m.end) is not None


def _inside(m: Mention, cues: list[CueHit]) -> bool:
    return any(c.start <= m.start and m.end <= c.end for c in cues)


def _place(analysis: Analysis, pair: tuple[str, ...], cut: int) -> Mention | None:
    """The city of the meeting: in the headline or lead first, a city of one of the pair first."""
    # "Shanghai" in "Shanghai Cooperation Organisation" (上海合作组织) names no place
    bodies = [c for c in analysis.text_cues if c.cue == "multilateral"]
    heads_ = [c for c in analysis.title_cues if c.cue == "multilateral"]
    title = [m for m in analysis.title_mentions if m.kind in _PLACES and not _inside(m, heads_)]
    title = [
        m for m in title if analysis.headline_at is not None or not _in_dateline(m, analysis.title)
    ]
    body = [
        m
        for m in analysis.text_mentions
        if m.kind in _PLACES and not _in_dateline(m, analysis.text) and not _inside(m, bodies)
    ]
    lead = title + [m for m in body if m.start < cut]
    for group in (lead, title + body):
        found = next((m for m in group if m.code in pair), None)
        if found is not None:
            return found
    return lead[0] if lead else None


def _destination(analysis: Analysis, pair: tuple[str, ...], cut: int) -> str | None:
    """The state a visit goes to: "visit to Russia", "в Узбекистан", "Qozog'istonga", "au
    Kazakhstan", "لطاجيكستان", "Kırgızistan'da" (dative or locative case, a preposition)."""
    gazetteer = Gazetteer.default()
    for text, mentions, limit in (
        (analysis.title, analysis.title_mentions, len(analysis.title)),
        (analysis.text, analysis.text_mentions, cut),
    ):
        for m in mentions:
            if m.code not in pair or m.kind not in ("country", "capital") or m.start >= limit:
                continue
            before = text[max(0, m.start - 12) : m.start].lower()
            if _TOWARD.search(before) or _CASE_TOWARD.fullmatch(gazetteer.ending(m.text)):
                return m.code
    return None
