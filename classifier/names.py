"""Country names from the standard sources, in every language and script the gazetteer reads.

Two sources, both generated rather than typed: pycountry's gettext translations of ISO 3166
(good for the European and Central Asian Latin/Cyrillic languages) and the Unicode CLDR territory
names shipped with Babel, which also cover the scripts pycountry translates thinly or not at all
(Arabic, Persian, Chinese in both scripts, Azerbaijani, Uzbek Cyrillic). The curated files in
``classifier/data`` come first; these only add forms nobody listed.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterator
from typing import Any

import pycountry
from babel import Locale

from classifier.surface import is_arabic, is_cjk

PYCOUNTRY_LANGS = ("en", "ru", "fr", "de", "tr", "uz", "kk", "ky", "tg", "tk", "es", "it", "zh_CN")
# CLDR locales: the scripts pycountry lacks, plus the Central Asian languages again, since CLDR
# spells some names differently (Uzbek Cyrillic "Ўзбекистон", Kyrgyz "Өзбекстан")
CLDR_LOCALES = (
    "ar",
    "fa",
    "zh",
    "zh_Hant",
    "az",
    "uz_Cyrl",
    "uz",
    "kk",
    "ky",
    "tg",
    "tk",
    "ru",
    "tr",
)


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [lang], fallback=True)


def pycountry_names(country: Any, lang: str) -> list[str]:
    msgids = [getattr(country, "common_name", None), country.name]
    out = [translation(lang).gettext(m) for m in msgids if m]
    return [n for n in out if "," not in n and "(" not in n]


def long_enough(name: str) -> bool:
    """Short names are words too often: 4 letters in alphabets, 3 in Arabic script (قطر, مصر),
    3 characters in Chinese (two-character names like 中非 sit inside common compounds; the
    curated file lists the two-character names that matter: 中国, 美国, 日本 ...)."""
    if is_cjk(name) or is_arabic(name):
        return len(name) >= 3
    return len(name) >= 4


def cldr_names(codes: set[str]) -> Iterator[tuple[str, str]]:
    """(alpha-2 code, name) for every state in ``codes`` in every locale of ``CLDR_LOCALES``."""
    for locale in CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code in codes and "," not in name and "(" not in name and long_enough(name):
                yield code, name
