"""Plain frozen dataclasses that cross the package boundary: the settings of a fetch run, what
the application knows about a feed before polling it, the entries found in a feed, and the
outcome of one poll. They hold no behaviour so that they pickle cheaply between the event loop
and the parse worker processes, and so that the application can store them without knowing
anything about HTTP or feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_USER_AGENT = "SummitWatch/0.1 (+https://github.com/summitwatch/summitwatch; feed monitor)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    max_concurrency: int = 50
    per_host_concurrency: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024
    default_interval: timedelta = timedelta(minutes=30)
    backoff_base: timedelta = timedelta(minutes=15)
    backoff_cap: timedelta = timedelta(hours=24)
    parse_workers: int | None = None
    # A server may ask for a week's pause through Expires or Retry-After; a watched feed should
    # still be looked at daily, so every server-requested delay is clipped to this.
    max_delay: timedelta = timedelta(hours=24)
    # Loopback, private, link-local (cloud metadata) and other non-public addresses are refused
    # for feeds, redirects and article pages unless this is true (collectors.addresses).
    allow_private_networks: bool = False


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    consecutive_failures: int = 0
    interval: timedelta | None = None
    full_text: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    uid: str
    uid_kind: str
    title: str
    summary: str
    summary_html: str
    link: str | None
    published: datetime
    published_is_fallback: bool
    updated: datetime | None
    language: str | None
    feed_url: str
    authors: tuple[str, ...]
    content: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    language: str | None
    entries: tuple[Entry, ...]
    bozo_message: str | None
    # RSS <ttl>: the publisher's own hint of how long the feed stays fresh.
    ttl: timedelta | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: str
    http_status: int | None
    new_url: str | None
    entries: tuple[Entry, ...]
    feed_title: str | None
    feed_language: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    error_kind: str | None
    error_message: str | None
    bozo_message: str | None
    consecutive_failures: int
    next_check_at: datetime
    fetched_at: datetime
    latency_s: float
    # Seconds spent parsing (0 when nothing was parsed) and decoded body size, for health
    # reports and the benchmark's split of where the time goes.
    parse_s: float = 0.0
    body_bytes: int = 0


@dataclass(frozen=True, slots=True)
class FeedProbe:
    """A poll of a URL that is not watched yet (the web UI's feed check): the result a real
    poll would store, where the redirects led, and the error without its retry schedule."""

    result: FetchResult
    final_url: str
    redirects: tuple[str, ...]
    error: str | None


class FeedParseError(Exception):
    """Nothing usable in a body. ``kind`` is "empty", "not_a_feed" or "parse"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message
