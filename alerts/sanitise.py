"""Make text that came from feeds or configuration safe to show: strip markup with nh3, keep only
http/https links, and squeeze anything bound for a mail header onto one clean line.

Everything here returns plain text; the HTML template escapes it again on output, so a value is
safe in both the text and the HTML part.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

_SPACE = re.compile(r"\s+", re.UNICODE)
# C0/C1 controls, bidi overrides and line/paragraph separators: invisible or header-breaking.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MAX_LINK = 2000


@lru_cache(maxsize=65536)
def clean_text(value: str, limit: int = 0) -> str:
    """Feed text as one line of plain text: markup and script bodies removed, entities decoded,
    control characters and runs of whitespace folded to single spaces, cut to `limit` if set."""
    stripped = html.unescape(nh3.clean(value, tags=set(), attributes={}))
    text = _SPACE.sub(" ", _CONTROL.sub(" ", stripped)).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def header_text(value: str, limit: int = 200) -> str:
    """A value fit for a header: no control characters or newlines, one line, bounded length."""
    return clean_text(value, limit)


@lru_cache(maxsize=65536)
def safe_link(value: str | None) -> str | None:
    """The link if it is an absolute http(s) URL without spaces or control characters, else None."""
    if not value:
        return None
    link = value.strip()
    if len(link) > _MAX_LINK or _CONTROL.search(link) or _SPACE.search(link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return link


def flag(code: str) -> str:
    """The flag emoji for an ISO 3166 alpha-2 code, or '' when the code is not two letters."""
    upper = code.upper()
    if len(upper) != 2 or not upper.isascii() or not upper.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in upper)
