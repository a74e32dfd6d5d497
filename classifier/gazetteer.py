"""Country and actor gazetteer: finds states, their adjectives, capitals, venues and leaders.

Names come from pycountry (every state, with its gettext translations in the languages we read)
and from the curated files in ``classifier/data`` (countries.json, leaders.json, inflection.json),
which cover the Central Asian states and their partners in depth. All forms are compiled into one
regular expression whose alternation is a trie, so that matching costs one pass over the text;
inflected forms (Казахстана, Қазақстанның, Özbekistan'ın, Qozog'istonga, Токаевым) are accepted
as a form followed by suffixes of its script, and the matched word is resolved back to its entry
by the longest normalised prefix.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import pycountry

from classifier.leaders import Leader, parse_leader, pick_leader
from classifier.names import (
    PYCOUNTRY_LANGS,
    cldr_names,
    long_enough,
    pycountry_names,
)
from classifier.naming import Naming
from classifier.surface import (
    APOS_RE,
    ARABIC_FOLD,
    HAS_ARABIC,
    HAS_CJK,
    Trie,
    alternation,
    is_arabic,
    is_cjk,
    is_cyrillic,
    leading_capitals,
    letters,
    normalize,
    strip_accents,
)

# Arabic script glues conjunctions, prepositions and the article to the next word (وكازاخستان,
# لطاجيكستان, الكازاخستاني) and forms adjectives with a suffix (nisba: كازاخستاني, قزاقستانی)
ARABIC_PREFIX = "(?:[وف]?(?:بال|لل|ال|[بلك])?)"
ARABIC_SUFFIX = "(?:يه|يين|يون|يان|ي|ها)?"


@dataclass(frozen=True, slots=True)
class Mention:
    """One place or person found in a text; offsets index the text given to ``find``."""

    kind: str  # "country" | "adjective" | "capital" | "venue" | "leader" | "former" (leader)
    code: str  # ISO 3166-1 alpha-2 of the state referred to
    start: int
    end: int
    text: str
    role: str | None = None  # leaders: "head_of_state" | "head_of_government"
    name: str | None = None  # leaders: canonical English name; capitals, venues: display name
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    code: str
    ambiguous: bool
    leaders: tuple[Leader, ...] = ()
    upper: int = 0  # leading letters that must be capitals in the text
    place: str = ""  # capitals and venues: the name to show (Toshkentga -> Tashkent)


def _load(name: str) -> Any:
    try:
        return json.loads((resources.files("classifier") / "data" / name).read_text("utf-8"))
    except ValueError as exc:
        raise ValueError(f"classifier/data/{name} is not valid JSON: {exc}") from exc


class Gazetteer(Naming):
    """Finds mentions of states and leaders; also names, searches and validates country codes."""

    def __init__(
        self, countries: dict[str, Any], leaders: dict[str, Any], inflection: dict[str, Any]
    ):
        self._entries: dict[str, _Entry] = {}
        self._leaders: list[Leader] = []
        self._display: dict[str, dict[str, str]] = countries["display"]
        self._codes = {c.alpha_2 for c in pycountry.countries}
        self._names: dict[str, set[str]] = {code: set() for code in self._codes}
        lat = f"(?:{alternation(inflection['latin_glued'])}){{0,2}}"
        lat += f"(?:{APOS_RE}(?:{alternation(inflection['latin_apostrophe'])}))?"
        cyr = f"(?:{alternation(inflection['cyrillic_glued'])}){{0,2}}"
        self._rules = inflection["stem_rules"]
        ends = {s: [e for r in self._rules[s] for e in r["add"]] for s in self._rules}
        # one trie per script and inflection class, each followed by that class's suffixes
        self._tries = {
            name: Trie() for name in ("latin", "cyrillic", "latin_stem", "cyrillic_stem")
        }
        suffixes = {"latin": lat, "cyrillic": cyr} | {
            f"{script}_stem": f"(?:{alternation(e)})" for script, e in ends.items()
        }
        self._cjk = Trie()
        self._arabic = Trie()
        dropped, flagged = set(countries["drop"]), set(countries["ambiguous"])
        # venues are shown as the city they are in: "Akorda" -> Astana, "Самарканд" -> Samarkand
        seats = {form: city for city, forms in countries["cities"].items() for form in forms}
        for code, kinds in countries["states"].items():
            for kind in ("country", "adjective", "capital", "venue"):
                for form in kinds[kind]:
                    # a capital is shown by its first (English) listing, a venue as listed
                    shown = kinds[kind][0] if kind == "capital" else form if kind == "venue" else ""
                    shown = seats.get(shown.lstrip("=?"), shown)
                    ambiguous = form.lstrip("=?") in flagged
                    entry = _Entry(kind, code, ambiguous, place=shown.lstrip("=?"))
                    self._add(form, entry, curated=True)
        for raw in leaders["leaders"]:
            self._add_leader(raw)
        generated = [
            (country.alpha_2, name)
            for country in pycountry.countries
            for lang in PYCOUNTRY_LANGS
            for name in pycountry_names(country, lang)
        ]
        for code, name in [*generated, *cldr_names(self._codes)]:
            if name not in dropped and long_enough(name):
                self._add("=" + name, _Entry("country", code, name in flagged), curated=False)
        self._regex = re.compile(self._pattern(suffixes))
        self._cjk_regex = re.compile(self._cjk.pattern(self._cjk.root) or "(?!)")
        arabic = self._arabic.pattern(self._arabic.root) or "(?!)"
        self._arabic_regex = re.compile(
            rf"(?<!\w){ARABIC_PREFIX}(?P<name>(?:{arabic}){ARABIC_SUFFIX})(?!\w)"
        )
        self._resolved: dict[str, _Entry | None] = {}

    def _pattern(self, suffixes: dict[str, str]) -> str:
        # Speed: the regex runs on lower-cased text with plain literals, and the alternation
        # branches on the first letter, which the regex engine tests in C before entering one.
        by_first: dict[str, list[str]] = {}
        for name, trie in self._tries.items():
            for unit, child in trie.root.items():
                by_first.setdefault(unit, []).append(f"(?:{trie.pattern(child)}){suffixes[name]}")
        alts = [f"{unit}(?:{'|'.join(parts)})" for unit, parts in sorted(by_first.items())]
        return rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)"

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        return cls(_load("countries.json"), _load("leaders.json"), _load("inflection.json"))

    def _add_leader(self, raw: dict[str, Any]) -> None:
        leader = parse_leader(raw)
        self._leaders.append(leader)
        for form in raw["forms"]:
            ambiguous = bool(raw.get("ambiguous")) or form.startswith("?")
            key = normalize(form.lstrip("=?"))
            known = self._entries.get(key)
            if known is not None and known.kind == "leader" and leader not in known.leaders:
                # a surname several leaders share: resolved by date when found
                merged = (*known.leaders, leader)
                known = _Entry("leader", known.code, known.ambiguous, merged, known.upper)
                self._entries[key] = known
            self._add(form, known or _Entry("leader", leader.code, ambiguous, (leader,)), True)

    def _add(self, marked: str, entry: _Entry, curated: bool) -> None:
        form = marked.lstrip("=?")
        # case-sensitive forms are matched like the others, then kept only if their leading
        # capitals are capitals in the text too ("Osh" the city, not "osh" the dish)
        upper = leading_capitals(form) if "=" in marked[:2] else 0
        key = normalize(form)
        known = self._entries.get(key)
        if known is not None and known.code != entry.code and curated:
            raise ValueError(f"gazetteer form {form!r} is listed for {known.code} and {entry.code}")
        if known is not None and (known.code, known.kind) != (entry.code, entry.kind):
            return  # the first listing wins (German "Indien" the country, not French "indien")
        if known is None:
            ambiguous = entry.ambiguous or "?" in marked[:2]
            known = _Entry(entry.kind, entry.code, ambiguous, entry.leaders, upper, entry.place)
            self._entries[key] = known
        entry = known  # another spelling of a known key still needs its own path in the trie
        if entry.kind == "country":
            self._names[entry.code].add(key)
        if is_cjk(form):
            self._cjk.add(form)
            return
        if is_arabic(form):
            self._arabic.add(form.translate(ARABIC_FOLD))
            return
        script = "cyrillic" if is_cyrillic(form) else "latin"
        for variant in {form, strip_accents(form)}:
            self._tries[script].add(variant)
            rule = next(
                (r for r in self._rules[script] if variant.lower().endswith(r["ending"])), None
            )
            if rule is not None:
                stem = variant[: len(variant) - rule["strip"]]
                self._entries.setdefault(normalize(stem), entry)
                self._tries[f"{script}_stem"].add(stem)

    def _resolve(self, surface: str) -> _Entry | None:
        """The entry of a matched (lower-cased) word: its longest prefix that is a known key."""
        if surface in self._resolved:
            return self._resolved[surface]
        key, found = normalize(surface), None
        for cut in range(len(key), max(0, len(key) - 16), -1):
            found = self._entries.get(key[:cut])
            if found is not None:
                break
        if len(self._resolved) > 200_000:  # bounded: news has an open set of inflected words
            self._resolved.clear()
        self._resolved[surface] = found
        return found

    def ending(self, surface: str) -> str:
        """What follows the listed form in a matched word: "ga" of "Qozog'istonga", "" of a
        form as listed (lower case, normalised)."""
        key = normalize(surface)
        for cut in range(len(key), max(0, len(key) - 16), -1):
            if key[:cut] in self._entries:
                return key[cut:]
        return ""

    def find(self, text: str, on: date | None = None) -> list[Mention]:
        """Non-overlapping mentions in ``text``, in order; leaders get their role at ``on``."""
        # lower() keeps offsets except for "İ", which becomes two characters
        lowered = text.replace("İ", "i").lower()
        spans = [m.span() for m in self._regex.finditer(lowered)]
        if HAS_CJK.search(text):
            spans += [m.span() for m in self._cjk_regex.finditer(lowered)]
        if HAS_ARABIC.search(text):
            lowered = lowered.translate(ARABIC_FOLD)  # one character for one: offsets hold
            spans += [m.span("name") for m in self._arabic_regex.finditer(lowered)]
        spans.sort(key=lambda se: (se[0], -se[1]))  # at one start, the longer name first
        out: list[Mention] = []
        day, last_end = on or date.today(), 0
        for start, end in spans:
            entry = self._resolve(lowered[start:end])
            if entry is None or start < last_end:
                continue
            surface = text[start:end]
            if entry.upper and not letters(surface)[: entry.upper].isupper():
                continue
            last_end = end
            kind, code, role, name = entry.kind, entry.code, None, entry.place or None
            if entry.kind == "leader":
                leader, term = pick_leader(entry.leaders, day, on is not None)
                code, role, name = leader.code, term.role, leader.name
                if on is not None and not term.covers(on):
                    kind = "former"  # out of office on the item's date: heads no state
            out.append(Mention(kind, code, start, end, surface, role, name, entry.ambiguous))
        return out
