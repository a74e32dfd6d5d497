"""Reading the event out of an analysed item: the two states, who hosts, status, date, place.

The pair is the watched state with the most weight (leaders and headline mentions count most)
and the strongest other state. The host is the state whose capital or summit venue is named, or
the one a visit is made "to"; status is "announced" when future-tense cues outweigh past ones.
Dates are read from day-month(-year) phrases in the languages the cue lexicon covers.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from classifier.features import Analysis, state_weights

MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    1: "january jan janvier января январь январе yanvar ocak januar қаңтар ýanwar январ",
    2: (
        "february feb février fevrier февраля февраль "
        "феврале fevral şubat februar ақпан fewral феврал"
    ),
    3: "march mar mars марта март марте mart märz наурыз",
    4: "april apr avril апреля апрель апреле aprel nisan сәуір апрел",
    5: "may mai мая май мае may mayıs мамыр maý",
    6: "june jun juin июня июнь июне iyun haziran juni маусым iýun июн",
    7: "july jul juillet июля июль июле iyul temmuz juli шілде iýul июл",
    8: "august aug août aout августа август августе avgust ağustos тамыз awgust",
    9: (
        "september sep sept septembre сентября сентябрь "
        "сентябре sentabr eylül қыркүйек sentýabr сентябр sentyabr"
    ),
    10: (
        "october oct octobre октября октябрь октябре "
        "oktabr ekim oktober қазан oktýabr октябр oktyabr"
    ),
    11: "november nov novembre ноября ноябрь ноябре noyabr kasım қараша noýabr ноябр",
    12: (
        "december dec décembre decembre декабря декабрь "
        "декабре dekabr aralık dezember желтоқсан декабр"
    ),
}
for _num, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTHS[_name] = _num
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
# "22-23 August 2024", "5 ноября", "le 3 mars 2025", "7-oktabr" (Uzbek), "10-njy iýunda" (Turkmen,
# ordinal and locative case), "27 қарашада" (Kazakh), "5. Juni"
_ORDINAL = r"(?:st|nd|rd|th|er|\.|-?(?:ynjy|unjy|ünji|njy|nji|inchi|nchi|nçi|ncı|nci|ncü|nçü))?"
# case endings a month name takes in Turkic languages ("iýunda", "oktabrda", "Haziran'da") and
# the Tajik izafet ("15 сентябри соли 2024")
_CASE = r"(?:['’]?(?:da|de|ta|te|dan|den|tan|ten)|да|де|та|те|дан|ден|тан|тен|и)?"
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?{_ORDINAL}[\s-]*({_MONTH_RE}){_CASE}\.?"
    rf"(?:\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)
# "August 22, 2024", "on November 5": any word followed by a day number, kept when the word is
# a month name (one big alternation of month names tried at every word is several times slower)
_MONTH_DAY = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")


DATE_SCAN = 1500


@dataclass(frozen=True, slots=True)
class EventFacts:
    countries: tuple[str, ...]
    visitor: str | None
    host: str | None
    status: str
    event_date: date | None
    place: str | None


def pick_pair(analysis: Analysis, watched: Collection[str]) -> tuple[str, ...]:
    weights = state_weights(analysis)
    ranked = [code for code, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w >= 1.0]
    first = next((c for c in ranked if c in watched), None)
    if first is None:
        return ()
    second = next((c for c in ranked if c != first), None)
    return (first, second) if second else ()


def find_date(text: str, reference: date | None) -> date | None:
    year_default = reference.year if reference else None
    candidates = [_DAY_MONTH.search(text)]
    candidates.append(next((m for m in _MONTH_DAY.finditer(text) if m[1].lower() in MONTHS), None))
    for m, (day_group, month_group) in zip(candidates, ((1, 2), (2, 1)), strict=True):
        if not m:
            continue
        year = int(m.group(3)) if m.group(3) else year_default
        if year is None:
            continue
        try:
            return date(year, MONTHS[m.group(month_group).lower()], int(m.group(day_group)))
        except (ValueError, KeyError):
            continue
    return None


def read_event(
    analysis: Analysis, watched: Collection[str], reference: date | None = None
) -> EventFacts:
    pair = pick_pair(analysis, watched)
    places = [m for m in analysis.mentions if m.kind in ("capital", "venue")]
    place_mention = next((m for m in places if m.code in pair), places[0] if places else None)
    host = place_mention.code if place_mention and place_mention.code in pair else None
    visitor = next((c for c in pair if c != host), None) if host else None
    cues = [c.cue for c in analysis.cues]
    future, past = cues.count("announcement"), cues.count("held")
    title_cues = [c.cue for c in analysis.title_cues]
    if "announcement" in title_cues and "held" not in title_cues:
        future += 2
    status = "unknown"
    if future > past:
        status = "announced"
    elif past > 0:
        status = "held"
    # the event's date is stated near the top; scanning whole articles costs more than it finds
    event_date = find_date(analysis.title + " " + analysis.text[:DATE_SCAN], reference)
    return EventFacts(
        countries=pair,
        visitor=visitor,
        host=host,
        status=status,
        event_date=event_date,
        place=(place_mention.name or place_mention.text) if place_mention else None,
    )
