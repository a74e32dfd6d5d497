"""Main-text extraction for feeds that only carry teasers (``full_text = true``). The article
page is fetched by the fetcher through its shared client and limits; this module only turns
the HTML into the article's text with trafilatura. It runs in the parse worker processes
because extraction is as CPU-hungry as feed parsing."""

from __future__ import annotations

import trafilatura

_MIN_TEXT = 40


def extract_main_text(html: bytes, url: str) -> str | None:
    """The article text of a page, or None when trafilatura finds no substantial text."""
    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception:  # trafilatura raises a variety of parser errors on broken pages
        return None
    if not text or len(text.strip()) < _MIN_TEXT:
        return None
    return str(text).strip()
