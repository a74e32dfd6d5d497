"""Surface forms of names: normalised lookup keys, script tests, and the trie that compiles
thousands of forms into one regular-expression alternation (used by the gazetteer).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

APOS = "'’ʼ‘`ʻ´"
APOS_RE = f"[{APOS}]"
SEP_RE = r"[\s\-‐‑–\u200c]+"
HAS_CJK = re.compile("[\u4e00-\u9fff]")
HAS_ARABIC = re.compile("[\u0600-\u06ff]")
# Arabic-script letters that spellings of one name use interchangeably: hamza seats of alif,
# alif maqsura and the Persian yeh, Persian keheh, teh marbuta. One character for one, so that
# offsets in the folded text are offsets in the original
ARABIC_FOLD = str.maketrans("أإآٱىیکةۀ", "ااااييكهه")
SEP_CHARS = re.compile(r"[\s\-‐‑–\u200c]+")


def is_cjk(form: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in form)


def is_arabic(form: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in form)


def is_cyrillic(form: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in form)


def ascii_base(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


# accented Latin letters lose their accents in lookup keys (Tokaïev, Tokaiev -> tokaiev)
LATIN_FOLD = {
    ord(ch): ascii_base(ch) for ch in map(chr, range(0xC0, 0x250)) if ascii_base(ch) != ch
} | {ord("ı"): "i"}
FOLD = (
    str.maketrans({"ё": "е", "̇": None, ".": None} | dict.fromkeys(APOS)) | LATIN_FOLD | ARABIC_FOLD
)


def normalize(text: str) -> str:
    """The lookup key of a surface form: lower case, no apostrophes or accents on Latin letters."""
    return SEP_CHARS.sub(" ", text.lower().translate(FOLD)).strip()


def strip_accents(form: str) -> str:
    return form.translate(LATIN_FOLD)


class Trie:
    """Builds one regex alternation from many forms, longer forms first at every branching."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, form: str) -> None:
        node = self.root
        for ch in form:
            if ch in APOS:
                unit = APOS_RE + "?"
            elif ch in " -‐\u200c":
                unit = SEP_RE
            elif ch == ".":
                unit = r"\.?"
            else:
                unit = re.escape(ch.lower())  # matched against lower-cased text
            node = node.setdefault(unit, {})
        node[""] = {}

    def pattern(self, node: dict[str, Any]) -> str:
        alts = [unit + self.pattern(child) for unit, child in sorted(node.items()) if unit]
        if not alts:
            return ""
        if "" in node:  # a form ending here is tried after its longer extensions
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(set(items), key=lambda s: (-len(s), s)))


def leading_capitals(form: str) -> int:
    only = letters(form)
    return next((i for i, ch in enumerate(only) if not ch.isupper()), len(only))


def letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
