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
import gettext
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import pycountry

from classifier.surface import (
    APOS_RE,
    HAS_CJK,
    Trie,
    alternation,
    edit_distance,
    is_cjk,
    is_cyrillic,
    leading_capitals,
    letters,
    normalize,
    strip_accents,
)

MATCH_LANGS = ("en", "ru", "fr", "de", "tr", "uz", "kk", "ky", "tg", "tk", "es", "it", "zh_CN")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place or person found in a text; offsets index the text given to ``find``."""

    kind: str  # "country" | "adjective" | "capital" | "venue" | "leader"
    code: str  # ISO 3166-1 alpha-2 of the state referred to
    start: int
    end: int
    text: str
    role: str | None = None  # leaders: "head_of_state" | "head_of_government"
    name: str | None = None  # leaders: canonical English name; capitals, venues: display name
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class _Term:
    role: str
    start: date
    end: date | None

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class _Leader:
    name: str
    code: str
    terms: tuple[_Term, ...]

    def term_at(self, on: date) -> _Term | None:
        return next((t for t in self.terms if t.covers(on)), None)

    def latest(self) -> _Term:
        return max(self.terms, key=lambda t: (t.end or date.max, t.start))


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    code: str
    ambiguous: bool
    leaders: tuple[_Leader, ...] = ()
    upper: int = 0  # leading letters that must be capitals in the text
    place: str = ""  # capitals and venues: the name to show (Toshkentga -> Tashkent)


def _load(name: str) -> Any:
    try:
        return json.loads((resources.files("classifier") / "data" / name).read_text("utf-8"))
    except ValueError as exc:
        raise ValueError(f"classifier/data/{name} is not valid JSON: {exc}") from exc


@functools.cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [lang], fallback=True)


def _pycountry_names(country: Any, lang: str) -> list[str]:
    msgids = [getattr(country, "common_name", None), country.name]
    out = [_translation(lang).gettext(m) for m in msgids if m]
    return [n for n in out if "," not in n and "(" not in n]


class Gazetteer:
    """Finds mentions of states and leaders; also names, searches and validates country codes."""

    def __init__(
        self, countries: dict[str, Any], leaders: dict[str, Any], inflection: dict[str, Any]
    ):
        self._entries: dict[str, _Entry] = {}
        self._leaders: list[_Leader] = []
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
        dropped, flagged = set(countries["drop"]), set(countries["ambiguous"])
        for code, kinds in countries["states"].items():
            for kind in ("country", "adjective", "capital", "venue"):
                for form in kinds[kind]:
                    # a capital is shown by its first (English) listing, a venue as listed
                    shown = kinds[kind][0] if kind == "capital" else form if kind == "venue" else ""
                    ambiguous = form.lstrip("=?") in flagged
                    entry = _Entry(kind, code, ambiguous, place=shown.lstrip("=?"))
                    self._add(form, entry, curated=True)
        for raw in leaders["leaders"]:
            self._add_leader(raw)
        for country in pycountry.countries:
            for lang in MATCH_LANGS:
                for name in _pycountry_names(country, lang):
                    if name in dropped or len(name) < 4:
                        continue
                    entry = _Entry("country", country.alpha_2, name in flagged)
                    self._add("=" + name, entry, curated=False)
        self._regex = re.compile(self._pattern(suffixes))
        self._cjk_regex = re.compile(self._cjk.pattern(self._cjk.root) or "(?!)")
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
        terms = tuple(
            _Term(
                t["role"], date.fromisoformat(t["start"]), t["end"] and date.fromisoformat(t["end"])
            )
            for t in raw["terms"]
        )
        leader = _Leader(raw["name"], raw["country"], terms)
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

    def find(self, text: str, on: date | None = None) -> list[Mention]:
        """Non-overlapping mentions in ``text``, in order; leaders get their role at ``on``."""
        # lower() keeps offsets except for "İ", which becomes two characters
        lowered = text.replace("İ", "i").lower()
        matches = list(self._regex.finditer(lowered))
        if HAS_CJK.search(text):
            matches += self._cjk_regex.finditer(lowered)
            matches.sort(key=lambda m: m.start())
        out: list[Mention] = []
        day, last_end = on or date.today(), 0
        for m in matches:
            start, end = m.span()
            entry = self._resolve(m.group())
            if entry is None or start < last_end:
                continue
            surface = text[start:end]
            if entry.upper and not letters(surface)[: entry.upper].isupper():
                continue
            last_end = end
            code, role, name = entry.code, None, entry.place or None
            if entry.kind == "leader":
                leader, term = _pick_leader(entry.leaders, day, on is not None)
                code, role, name = leader.code, term.role, leader.name
            out.append(Mention(entry.kind, code, start, end, surface, role, name, entry.ambiguous))
        return out

    def country_name(self, code: str, lang: str = "en") -> str:
        """Display name of a state in ``lang`` (pycountry translations, curated overrides)."""
        country = pycountry.countries.get(alpha_2=self._check(code))
        assert country is not None  # _check accepted the code
        lang = {"zh": "zh_CN"}.get(lang, lang)
        override = self._display.get(country.alpha_2, {})
        if lang in override:
            return override[lang]
        if lang == "en":
            english: str = getattr(country, "common_name", None) or country.name
            return english.split(",")[0]
        translated = _translation(lang).gettext(country.name)
        if translated == country.name and "en" in override:
            return override["en"]
        return translated.split(",")[0]

    def search_countries(self, query: str, lang: str = "en") -> list[tuple[str, str]]:
        """(code, display name) of states whose code or a name in any language fits ``query``."""
        q = normalize(query)
        ranked: list[tuple[int, str, str]] = []
        for code in sorted(self._codes):
            name = self.country_name(code, lang)
            keys = self._names[code] | {normalize(name), code.lower()}
            if q and code.lower() == q:
                rank = 0
            elif any(k.startswith(q) or f" {q}" in k for k in keys):
                rank = 1
            elif any(q in k for k in keys):
                rank = 2
            else:
                continue
            ranked.append((rank, name, code))
        return [(code, name) for _, name, code in sorted(ranked)]

    def is_country(self, code: str) -> bool:
        return code.upper() in self._codes

    def suggest(self, code: str) -> str | None:
        """The closest valid alpha-2 code to a mistyped one ("KZZ" -> "KZ"), or None."""
        raw = code.strip()
        upper = raw.upper()
        if upper in self._codes:
            return upper
        by_alpha3 = pycountry.countries.get(alpha_3=upper) if len(upper) == 3 else None
        if by_alpha3 is not None:
            return str(by_alpha3.alpha_2)
        entry = self._entries.get(normalize(raw))
        if entry is not None and entry.kind in ("country", "adjective"):
            return entry.code
        curated = list(self._display)
        near = [c for c in self._codes if edit_distance(upper, c) <= 1]
        near.sort(key=lambda c: (c not in curated, curated.index(c) if c in curated else 0, c))
        return near[0] if near else None

    def leaders_of(self, code: str, on: date | None = None) -> list[str]:
        """Canonical names of the heads of state, then of government, of ``code`` on ``on``."""
        day, wanted = on or date.today(), self._check(code)
        serving = [(p, t) for p in self._leaders if p.code == wanted and (t := p.term_at(day))]
        serving.sort(key=lambda pt: pt[1].role != "head_of_state")
        return [p.name for p, _ in serving]

    def _check(self, code: str) -> str:
        if code.upper() in self._codes:
            return code.upper()
        hint = self.suggest(code)
        tail = f"; did you mean {hint!r}?" if hint else ""
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {code!r}{tail}")


@functools.lru_cache(maxsize=4096)
def _pick_leader(leaders: tuple[_Leader, ...], day: date, dated: bool) -> tuple[_Leader, _Term]:
    """Who a name means on ``day``: whoever was in office, heads of state first; else the latest."""
    serving = [(p, t) for p in leaders if (t := p.term_at(day)) is not None]
    if serving:
        return min(serving, key=lambda pt: pt[1].role != "head_of_state")
    person = max(leaders, key=lambda p: p.latest().end or date.max)
    return person, (person.term_at(day) if dated else None) or person.latest()
