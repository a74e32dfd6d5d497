"""Dates of events, read from text: day-month phrases in the languages the classifier reads.

"22-23 August 2024", "5 ноября", "le 3 mars", "7-oktabr", "10-njy iýunda", "27 қарашада",
"17-уми апрел", "23 – 25 يناير", "1月24日", "16.05.2018": a range gives its first day; the year,
when the text omits it, is the publication date's. "Today" and "yesterday" are read against the
publication date too. Only the top of an item is scanned: that is where its event is dated.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

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
# abbreviations of agency datelines ("15 сен — Sputnik"), Azerbaijani and Arabic month names
_MORE_NAMES = {
    1: "янв yanvar يناير",
    2: "фев fevral فبراير",
    3: "мар مارس",
    4: "апр أبريل ابريل",
    5: "مايو",
    6: "июн يونيو",
    7: "июл يوليو",
    8: "авг avqust أغسطس",
    9: "сен сент sentyabr سبتمبر",
    10: "окт oktyabr أكتوبر اكتوبر",
    11: "ноя noyabr نوفمبر",
    12: "дек dekabr ديسمبر",
}
for _num, _names in _MORE_NAMES.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _num)
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
# "22-23 August 2024", "5 ноября", "le 3 mars 2025", "7-oktabr" (Uzbek), "10-njy iýunda" (Turkmen,
# ordinal and locative case), "27 қарашада" (Kazakh), "5. Juni", "17-уми апрел" (Tajik)
_ORDINAL = (
    r"(?:st|nd|rd|th|er|\.|-?(?:ynjy|unjy|ünji|njy|nji|inchi|nchi|nçi|ncı|nci|ncü|nçü|уми|ум))?"
)
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
# Chinese: "2024年1月24日", "1月24日", or the day alone in a dateline ("15日上午")
_CJK_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_TODAY = re.compile(
    r"\b(?:today|this morning|сегодня|бүгін|бүгүн|bugun|bugün|бугун|имрӯз|heute|aujourd['’]hui"
    r"|şu gün|bu gün|اليوم|امروز)\b",
    re.IGNORECASE,
)
_YESTERDAY = re.compile(
    r"\b(?:yesterday|вчера|кеше|кечээ|kecha|кеча|dün|dünən|gestern|дирӯз|düýn|أمس|دیروز)\b",
    re.IGNORECASE,
)
_CJK_RELATIVE = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1}
DATE_SCAN = 1500


def _candidates(text: str, year: int | None, month: int | None) -> list[tuple[int, date]]:
    """(position, date) of every readable date; impossible dates ("31 February") are skipped."""
    found: list[tuple[int, int | None, int | None, int | None]] = []
    if m := _DAY_MONTH.search(text):
        found.append((m.start(), _year(m[3]), MONTHS.get(m[2].lower()), int(m[1])))
    if m := next((m for m in _MONTH_DAY.finditer(text) if m[1].lower() in MONTHS), None):
        found.append((m.start(), _year(m[3]), MONTHS[m[1].lower()], int(m[2])))
    if m := _NUMERIC.search(text):
        found.append((m.start(), int(m[3]), int(m[2]), int(m[1])))
    if "日" in text and (m := _CJK_DATE.search(text)):
        found.append((m.start(), _year(m[1]), int(m[2]) if m[2] else month, int(m[3])))
    out = []
    for at, y, mo, day in found:
        y = y or year
        if y is None or mo is None or day is None:
            continue
        try:
            out.append((at, date(y, mo, day)))
        except ValueError:
            continue
    return sorted(out)


def _year(group: str | None) -> int | None:
    return int(group) if group else None


def find_date(text: str, reference: date | None) -> date | None:
    """The first date stated in ``text``; ``reference`` (publication date) gives the year."""
    year = reference.year if reference else None
    month = reference.month if reference else None
    found = _candidates(text, year, month)
    return found[0][1] if found else None


def relative_date(text: str, reference: date | None) -> date | None:
    """ "Today" / "yesterday" in ``text``, as a date counted from the publication date."""
    if reference is None:
        return None
    today, yesterday = _TODAY.search(text), _YESTERDAY.search(text)
    if today and (not yesterday or today.start() < yesterday.start()):
        return reference
    if yesterday:
        return reference - timedelta(days=1)
    for word, shift in _CJK_RELATIVE.items():
        if word in text:
            return reference + timedelta(days=shift)
    return None
