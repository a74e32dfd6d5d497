"""Turns feed markup into plain text and settles each entry's language. Feeds put HTML, entities
and stray tags into titles and summaries; the classifier and the digests need clean text, so the
conversion here is deliberately cheap (a regular expression for line breaks, no DOM) because it
runs for every entry of every poll; tags are dropped by nh3, as in the digests. Languages are
reduced to ISO 639-1 codes; when a feed does not declare one, py3langid guesses from the entry's
own words."""

from __future__ import annotations

import html
import re

import nh3
import py3langid

_BREAKS = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|p|div|li|h[1-6])\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")

# Feeds written by hand often give three-letter or English names; these are the ones met in
# the regions SummitWatch follows.
_LANGUAGE_ALIASES = {
    "eng": "en",
    "rus": "ru",
    "kaz": "kk",
    "uzb": "uz",
    "kir": "ky",
    "tgk": "tg",
    "tuk": "tk",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "zho": "zh",
    "chi": "zh",
    "tur": "tr",
    "fas": "fa",
    "per": "fa",
    "ara": "ar",
    "spa": "es",
    "english": "en",
    "russian": "ru",
}
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, with block boundaries kept as line breaks."""
    if "<" not in markup and "&" not in markup:
        return _NEWLINES.sub("\n", _SPACES.sub(" ", markup)).strip()
    # block boundaries become line breaks first; nh3 (the markup engine the digests use too)
    # then drops every tag, comment and script or style body, and inline tags vanish without a
    # space so that "<b>$10bn</b>." stays "$10bn."
    text = _BREAKS.sub("\n", markup)
    text = html.unescape(nh3.clean(text, tags=set(), attributes={}))
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def one_line(markup: str) -> str:
    """Plain single-line text, for titles."""
    return " ".join(html_to_text(markup).split())


def normalise_language(value: str | None) -> str | None:
    """ISO 639-1 code for a language tag such as "ru-RU", "en_us" or "eng"; None if unknown."""
    if not value:
        return None
    tag = value.strip().lower()
    if tag in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[tag]
    match = _LANGUAGE_TAG.match(tag)
    if not match:
        return None
    primary = match.group(1)
    if len(primary) == 2:
        return primary
    return _LANGUAGE_ALIASES.get(primary)


def detect_language(text: str) -> str | None:
    """Best guess of the language of a short text; None when there is too little to go on."""
    sample = text.strip()
    if len(sample) < 12:
        return None
    code = py3langid.classify(sample[:2000])[0]
    return str(code) if code else None
