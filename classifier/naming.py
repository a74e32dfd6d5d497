"""Naming states for people: display names, search by name in any language, code checks.

These are the gazetteer's services to the application (the ``countries`` command, settings
validation, digests); ``Gazetteer`` mixes them in. They read the tables the gazetteer builds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pycountry

from classifier.leaders import Leader
from classifier.names import translation
from classifier.surface import edit_distance, normalize


class Naming:
    """Country names and codes, over the tables a ``Gazetteer`` fills in."""

    _codes: set[str]
    _names: dict[str, set[str]]
    _display: dict[str, dict[str, str]]
    _entries: dict[str, Any]
    _leaders: list[Leader]

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
        translated = translation(lang).gettext(country.name)
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
            return str(entry.code)
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
