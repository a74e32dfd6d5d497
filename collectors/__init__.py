"""Feed collection for SummitWatch: fetch RSS, Atom and JSON feeds politely and fast, parse them
into plain ``Entry`` records, and tell the application when to look again. A leaf package: it
knows nothing of the database or the other packages; only the dataclasses below cross over.

The records are imported at once; the fetcher, parser and OPML reader (httpx, feedparser,
trafilatura, a language model) only when first named, so a command that merely reads stored
feeds does not pay a third of a second to import what fetching needs (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from collectors.models import (
    Entry,
    FeedParseError,
    FeedProbe,
    FeedState,
    FetchResult,
    FetchSettings,
    ParsedFeed,
)

if TYPE_CHECKING:
    from collectors.fetcher import FeedFetcher
    from collectors.opml import OpmlError, OpmlFeed, export_opml, parse_opml
    from collectors.parser import parse_feed

_LAZY = {
    "FeedFetcher": "collectors.fetcher",
    "OpmlError": "collectors.opml",
    "OpmlFeed": "collectors.opml",
    "export_opml": "collectors.opml",
    "parse_opml": "collectors.opml",
    "parse_feed": "collectors.parser",
}

__all__ = [
    "Entry",
    "FeedFetcher",
    "FeedParseError",
    "FeedProbe",
    "FeedState",
    "FetchResult",
    "FetchSettings",
    "OpmlError",
    "OpmlFeed",
    "ParsedFeed",
    "export_opml",
    "parse_feed",
    "parse_opml",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'collectors' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
