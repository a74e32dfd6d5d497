"""Feed collection for SummitWatch: fetch RSS, Atom and JSON feeds politely and fast, parse them
into plain ``Entry`` records, and tell the application when to look again. A leaf package: it
knows nothing of the database or the other packages; only the dataclasses below cross over."""

from collectors.fetcher import FeedFetcher
from collectors.models import (
    Entry,
    FeedParseError,
    FeedState,
    FetchResult,
    FetchSettings,
    ParsedFeed,
)
from collectors.opml import OpmlError, OpmlFeed, export_opml, parse_opml
from collectors.parser import parse_feed

__all__ = [
    "Entry",
    "FeedFetcher",
    "FeedParseError",
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
