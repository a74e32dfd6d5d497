"""Cue lexicon: finds the words and phrases that say what kind of meeting a text reports.

Each cue class (talks, state visit, phone call, multilateral format, minister ...) has patterns per
language in ``classifier/data/cues.json``. For speed, the classes are compiled into a few "layer"
expressions run over the lower-cased text: at every word where a cue of the layer begins, a
zero-width look-ahead records the match and an empty marker group at the end of the pattern says
which classes it belongs to. So hits of different classes may overlap ("telefonda görüştü" is a
phone call, "görüştü" both talks and held), and classes whose patterns can start at the same word
live in different layers. Alternatives are grouped by their first letter so that the regex engine
skips them cheaply. Case-sensitive patterns (``UN``, not French ``un``) are re-checked on the
original text.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from classifier.surface import ARABIC_FOLD, HAS_ARABIC, HAS_CJK

# Chinese writes no spaces between words, so its patterns are matched anywhere, in layers of
# their own that run only on texts with Chinese characters
UNSPACED_LANGS = frozenset({"zh"})
CUE_CLASSES: tuple[str, ...] = (
    "leader_title",
    "state_visit",
    "formal_visit",  # state or official visit: a bilateral event by definition
    "working_visit",  # often the protocol form of a trip to a multilateral event
    "talks",
    "counterpart",
    "summit",
    "agreements",
    "announcement",
    "held",
    "welcome_ceremony",
    "multilateral",
    "ministerial",
    "parliamentary",
    "phone_call",
    "message",  # congratulations, condolences, letters: one leader writes, nobody meets
    "sidelines",
    "bilateral",
    "attend",
)
_APOSTROPHE = "['’ʼ‘`ʻ]?"
_CASE_SENSITIVE = "(?-i:"
_UPPER_ESCAPE = re.compile(r"\\[A-Z]")
_LEADING_LOOKBEHIND = re.compile(r"^\(\?<!([^()]*)\)")
_LEADING_OPTIONAL = re.compile(r"\(\?:([^()|]+(?:\|[^()|]+)*)\)\?")


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue found in a text; offsets index the text given to ``find``."""

    cue: str
    start: int
    end: int
    text: str
    lang: str  # language of the pattern that matched


def expand(pattern: str) -> str:
    """Turns the lexicon's shorthand into a regex: ``~`` a word going on, space, apostrophe."""
    out = pattern.replace("~", r"\w*").replace(" ?", r"\s*").replace(" ", r"\s+")
    return out.replace("'", _APOSTROPHE)


def _lower(text: str) -> str:
    # str.lower() keeps every offset except for "İ", which it turns into two characters; the
    # Arabic-script fold replaces one letter by one (أ -> ا, ی -> ي), so offsets hold
    lowered = text.replace("İ", "i").lower()
    return lowered.translate(ARABIC_FOLD) if HAS_ARABIC.search(lowered) else lowered


def _top_level_bar(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _move_lookbehinds(pattern: str) -> str:
    """ "(?<!vice-)president" is tried at every word; "p(?<!vice-p)resident" only at a "p"."""
    behind, rest = [], pattern
    while m := _LEADING_LOOKBEHIND.match(rest):
        behind.append(m.group(1))
        rest = rest[m.end() :]
    if not behind or len(rest) < 2 or not rest[0].isalnum() or rest[1] in "?*+{":
        return pattern
    return rest[0] + "".join(f"(?<!{b}{rest[0]})" for b in behind) + rest[1:]


def _unfold(regex: str, budget: int = 24) -> list[str]:
    """Spells out optional groups that open a pattern ("(?:و|ب)?زيارة" -> زيارة, وزيارة,
    بزيارة): a pattern that begins with a literal letter is tried only where that letter is,
    one that begins with a group at every word."""
    m = _LEADING_OPTIONAL.match(regex)
    if m is None or _top_level_bar(regex):
        return [regex]
    rest = regex[m.end() :]
    out = [v for alt in [*m.group(1).split("|"), ""] for v in _unfold(alt + rest, budget)]
    return out if len(out) <= budget else [regex]


def _factor(patterns: list[str]) -> str:
    """One alternation of ``patterns``, grouped under their first letter when it is literal."""
    by_first: dict[str, list[str]] = {}
    other: list[str] = []
    for p in dict.fromkeys(patterns):
        p = _move_lookbehinds(p)
        literal_start = len(p) > 1 and p[0].isalnum() and p[1] not in "?*+{"
        if literal_start and not _top_level_bar(p):
            by_first.setdefault(p[0], []).append(p[1:])
        else:
            other.append(p)
    alts = [f"{first}(?:{'|'.join(rests)})" for first, rests in sorted(by_first.items())]
    return "|".join(alts + [f"(?:{p})" for p in other])


@dataclass(frozen=True, slots=True)
class _Marker:
    """What the empty group that closes a pattern stands for."""

    classes: tuple[int, ...]
    case_check: re.Pattern[str] | None  # case-sensitive patterns are checked on the original text
    lang: str | None  # known for case-sensitive patterns; else looked up per hit


class CueLexicon:
    """Finds cue words of every class in a text."""

    def __init__(self, lexicon: dict[str, dict[str, list[str]]], layers: list[list[str]]):
        unknown = set(lexicon) - set(CUE_CLASSES)
        if unknown:
            raise ValueError(f"unknown cue classes {sorted(unknown)}; known: {CUE_CLASSES}")
        if sorted(cue for layer in layers for cue in layer) != sorted(lexicon):
            raise ValueError("every cue class must be in exactly one layer")
        self._classes = tuple(c for c in CUE_CLASSES if c in lexicon)
        self._by_lang: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._lang_cache: dict[tuple[int, str], str] = {}
        self._layers = [self._layer(lexicon, layer, spaced=True) for layer in layers]
        self._unspaced = [self._layer(lexicon, layer, spaced=False) for layer in layers]

    def _layer(
        self, lexicon: dict[str, dict[str, list[str]]], layer: list[str], spaced: bool
    ) -> tuple[re.Pattern[str], list[_Marker | None]]:
        """One regex for a layer: at each word, a look-ahead ending in the marker of its pattern."""
        plain: dict[str, list[int]] = {}  # a pattern listed under several classes is one
        sensitive: list[tuple[str, _Marker]] = []
        for cue in layer:
            index = self._classes.index(cue)
            self._by_lang.setdefault(cue, [])
            for lang, patterns in lexicon[cue].items():
                if (lang in UNSPACED_LANGS) == spaced:
                    continue
                ours = []
                for pattern in patterns:
                    regex = self._check(expand(pattern), cue)
                    if _CASE_SENSITIVE in regex:
                        cased = self._compile(regex, cue, re.IGNORECASE)
                        lowered = _lower(regex).replace(_CASE_SENSITIVE, "(?:")
                        sensitive.append((lowered, _Marker((index,), cased, lang)))
                    else:
                        ours.append(_lower(regex))
                        for variant in _unfold(_lower(regex)):
                            plain.setdefault(variant, []).append(index)
                if ours:
                    self._by_lang[cue].append((lang, self._compile(_factor(ours), cue)))
        entries = [(r, _Marker(tuple(dict.fromkeys(ix)), None, None)) for r, ix in plain.items()]
        entries += sensitive
        alternatives = [f"{regex}(?P<m{n}>)" for n, (regex, _) in enumerate(entries)]
        body = _factor(alternatives) or "(?!)"
        wrapped = rf"(?<!\w)(?=(?:{body})(?!\w))" if spaced else f"(?=(?:{body}))"
        layer_regex = self._compile(wrapped, "/".join(layer))
        # factoring reorders the alternatives, so markers are indexed by their group number
        by_group: list[_Marker | None] = [None] * (layer_regex.groups + 1)
        for n, (_, marker) in enumerate(entries):
            by_group[layer_regex.groupindex[f"m{n}"]] = marker
        return layer_regex, by_group

    @staticmethod
    def _check(regex: str, cue: str) -> str:
        if _UPPER_ESCAPE.search(regex):
            raise ValueError(f"cue class {cue!r}: {regex!r}: use lower-case escapes (\\w, \\s)")
        if re.search(r"(?<!\\)\((?!\?)", regex):
            raise ValueError(f"cue class {cue!r}: {regex!r}: use non-capturing groups (?:...)")
        return regex

    @staticmethod
    def _compile(pattern: str, cue: str, flags: int = 0) -> re.Pattern[str]:
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise ValueError(f"cue class {cue!r} has a bad pattern: {exc}") from exc

    @classmethod
    @functools.cache
    def default(cls) -> CueLexicon:
        raw: dict[str, Any] = json.loads(
            (resources.files("classifier") / "data" / "cues.json").read_text(encoding="utf-8")
        )
        return cls(raw["classes"], raw["layers"])

    def classes(self) -> tuple[str, ...]:
        return self._classes

    def _lang(self, index: int, lowered: str, start: int, end: int) -> str:
        key = (index, lowered[start:end])
        lang = self._lang_cache.get(key)
        if lang is None:
            candidates = self._by_lang[self._classes[index]]
            found = (lg for lg, rx in candidates if rx.fullmatch(lowered, start, end))
            lang = next(found, candidates[0][0] if candidates else "")
            if len(self._lang_cache) > 100_000:
                self._lang_cache.clear()
            self._lang_cache[key] = lang
        return lang

    def find(self, text: str) -> list[CueHit]:
        """All hits of every class, sorted by start (then by class order)."""
        lowered = _lower(text)
        hits: list[CueHit] = []
        last_end = [0] * len(self._classes)
        layers = self._layers + self._unspaced if HAS_CJK.search(text) else self._layers
        for regex, markers in layers:
            for m in regex.finditer(lowered):
                group = m.lastindex or 0
                marker = markers[group]
                if marker is None:
                    continue
                start, end = m.start(), m.end(group)
                if marker.case_check and not marker.case_check.fullmatch(text, start, end):
                    continue
                for index in marker.classes:
                    if start < last_end[index]:
                        continue
                    last_end[index] = end
                    lang = marker.lang or self._lang(index, lowered, start, end)
                    hits.append(CueHit(self._classes[index], start, end, text[start:end], lang))
        hits.sort(key=lambda h: h.start)
        return hits
