"""Build one recipient's digest: pick the events they watch, turn them into sanitised view records,
render the Jinja2 text and HTML templates, and assemble the multipart message. Feed text passes
through `sanitise` once per item (results are cached, which keeps a run over many recipients cheap)
and the HTML template escapes it again on output. Header values are checked addresses or single
cleaned lines, so no newline from a feed or a configuration file reaches a header. The Message-ID
derives from recipient and period: rebuilding the same digest gives the same id, which lets mail
clients drop a duplicate if one ever slips through.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from alerts.addresses import check_address, check_list_id, domain_of
from alerts.datatypes import DigestItem, DigestMessage, DigestStats, Event, Period, Recipient
from alerts.mime import assemble
from alerts.sanitise import clean_text, flag, header_text, safe_link
from alerts.wording import count_phrase, words_for

MAX_SOURCES = 8
_STATUSES = ("announced", "held")
_TEMPLATES = Path(__file__).with_name("templates")
_EMPTY_NAMES: Mapping[str, str] = {}
_html_env = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_text_env = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class SourceView:
    outlet: str
    lang: str
    title: str
    link: str | None
    is_new: bool


@dataclass(frozen=True, slots=True)
class EventView:
    badge: str
    is_update: bool
    states: str
    status: str
    score: str
    headline: str
    summary: str
    event_date: str
    place: str
    when_where: str
    explanation: str
    sources: tuple[SourceView, ...]
    more_sources: str


@dataclass(frozen=True, slots=True)
class FeedView:
    name: str
    url: str | None
    failures: str
    last_error: str


@lru_cache(maxsize=32768)
def _item_texts(item: DigestItem) -> tuple[str, str, str, str | None, str]:
    return (
        clean_text(item.source, 80) or "?",
        clean_text(item.lang or "", 8) or "?",
        clean_text(item.title, 300),
        safe_link(item.link),
        clean_text(item.summary, 280),
    )


def _states(codes: tuple[str, str], names: tuple[str, str]) -> str:
    shown = []
    for code, name in zip(codes, names, strict=True):
        label = clean_text(name, 60) or clean_text(code, 8)
        shown.append(f"{flag(code)} {label}".strip())
    return " – ".join(shown)


def _event_view(event: Event, words: Mapping[str, str], names: tuple[str, str]) -> EventView:
    ordered = sorted(event.items, key=lambda i: (i.item_id not in event.new_item_ids, -i.score))
    sources = []
    for item in ordered[:MAX_SOURCES]:
        outlet, lang, title, link, _ = _item_texts(item)
        fresh = event.is_update and item.item_id in event.new_item_ids
        sources.append(SourceView(outlet, lang, title, link, fresh))
    hidden = len(ordered) - len(sources)
    event_date = event.event_date.isoformat() if event.event_date else ""
    place = clean_text(event.place or "", 100)
    when_where = " · ".join(
        f"{label}: {value}"
        for label, value in ((words["date"], event_date), (words["place"], place))
        if value
    )
    return EventView(
        badge=words["update"] if event.is_update else words["new"],
        is_update=event.is_update,
        states=_states(event.countries, names),
        status=words[event.status] if event.status in _STATUSES else words["unknown"],
        score=f"{event.score:.2f}",
        headline=clean_text(event.headline, 300),
        summary=_item_texts(event.items[0])[4] if event.items else "",
        event_date=event_date,
        place=place,
        when_where=when_where,
        explanation=clean_text(event.explanation, 300),
        sources=tuple(sources),
        more_sources=words["more_sources"].format(count=hidden) if hidden > 0 else "",
    )


@lru_cache(maxsize=4096)
def _fragments(event: Event, lang: str, names: tuple[str, str]) -> tuple[str, Markup]:
    """One event rendered as text and as HTML; recipients sharing a language share the result,
    which is what keeps a batch of many digests over the same events fast."""
    words = words_for(lang)
    view = _event_view(event, words, names)
    text = _text_env.get_template("event.txt.j2").render(w=words, e=view)
    html = _html_env.get_template("event.html.j2").render(w=words, e=view)
    return text, Markup(html)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown timezone {name!r} for recipient; use an IANA name") from error


def _watched(recipient: Recipient, events: Sequence[Event]) -> list[Event]:
    wanted = {code.upper() for code in recipient.countries}
    return [
        e
        for e in events
        if e.score >= recipient.min_score and (not wanted or wanted.intersection(e.countries))
    ]


def _subject(words: Mapping[str, str], chosen: list[Event]) -> str:
    if not chosen:
        return f"{words['brand']}: {words['subject_empty']}"
    parts = [count_phrase(words, "subject_one_event", "subject_events", len(chosen))]
    updates = sum(e.is_update for e in chosen)
    if updates:
        parts.append(words["subject_updates"].format(count=updates))
    return header_text(f"{words['brand']}: {', '.join(parts)} — {chosen[0].headline}", 160)


def _feed_views(words: Mapping[str, str], stats: DigestStats) -> list[FeedView]:
    fail = words["failures"]
    return [
        FeedView(clean_text(f.name, 100), safe_link(f.url),
                 fail.format(count=f.consecutive_failures), clean_text(f.last_error or "", 200))
        for f in stats.failing_feeds
    ]  # fmt: skip


def _context(
    recipient: Recipient,
    chosen: list[Event],
    stats: DigestStats,
    period: Period,
    zone: ZoneInfo,
    sender: str,
    country_names: Mapping[str, str],
) -> dict[str, object]:
    """What the digest templates are rendered with."""
    words = words_for(recipient.lang)
    lang = _html_lang(recipient)
    fragments = [
        _fragments(e, lang, (country_names.get(a, a), country_names.get(b, b)))
        for e in chosen
        for a, b in (e.countries,)
    ]
    updates = sum(e.is_update for e in chosen)
    return {
        "w": words,
        "lang": lang,
        "texts": [text for text, _ in fragments],
        "htmls": [html for _, html in fragments],
        "summary_line": words["summary_line"].format(
            events=count_phrase(words, "one_event", "events", len(chosen)),
            updates=count_phrase(words, "one_update", "updates", updates),
        ),
        "period": "{} – {} ({})".format(
            period.start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            period.end.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            recipient.timezone,
        ),
        "seen": stats.items_seen,
        "flagged": stats.items_flagged,
        "feeds": _feed_views(words, stats),
        "unsubscribe": words["unsubscribe"].format(sender=sender),
    }


@dataclass(frozen=True, slots=True)
class _Envelope:
    """Who sends the digest and how it is labelled; the same for every recipient of a run."""

    sender: str
    sender_name: str | None
    list_id: str
    date: datetime


def build_digest(
    recipient: Recipient,
    events: Sequence[Event],
    stats: DigestStats,
    period: Period,
    *,
    sender: str,
    sender_name: str | None = None,
    list_id: str = "summitwatch.digest",
    now: datetime | None = None,
    country_names: Mapping[str, str] = _EMPTY_NAMES,
) -> DigestMessage | None:
    """The digest for `recipient`, or None when nothing matches and they did not ask for empty
    digests. Only events touching one of the recipient's countries (all events when the list is
    empty) with a score of at least `recipient.min_score` are included, in the order given."""
    check_address(recipient.email, "recipient")
    check_address(sender, "sender")
    check_list_id(list_id)
    zone = _zone(recipient.timezone)
    chosen = _watched(recipient, events)
    if not chosen and not recipient.send_empty:
        return None
    context = _context(recipient, chosen, stats, period, zone, sender, country_names)
    text = _text_env.get_template("digest.txt.j2").render(context)
    html = _html_env.get_template("digest.html.j2").render(context)
    envelope = _Envelope(sender, sender_name, list_id, now or datetime.now(UTC))
    return _message(recipient, chosen, period, envelope, (text, html))


def _message(
    recipient: Recipient,
    chosen: list[Event],
    period: Period,
    envelope: _Envelope,
    body: tuple[str, str],
) -> DigestMessage:
    """The rendered (text, html) `body` as a multipart message with its headers."""
    words, (text, html) = words_for(recipient.lang), body
    sender, list_id = envelope.sender, envelope.list_id
    subject = _subject(words, chosen)
    digest = hashlib.sha256(f"{recipient.email}|{period.key()}|{list_id}".encode()).hexdigest()
    message_id = f"<{period.end:%Y%m%d%H%M}.{digest[:24]}@{domain_of(sender)}>"
    name = header_text(envelope.sender_name, 80) if envelope.sender_name else words["brand"]
    raw = assemble(
        message_id=message_id,
        date=envelope.date,
        sender=(name, sender),
        to=(header_text(recipient.name or "", 80), recipient.email),
        subject=subject,
        extra_headers=[
            ("List-Id", f"{words['brand']} digest <{list_id}>"),
            ("List-Unsubscribe", f"<mailto:{sender}?subject=unsubscribe>"),
            ("Auto-Submitted", "auto-generated"),
        ],
        boundary=f"==summitwatch-{digest[24:48]}",
        text=text,
        html=html,
    )
    return DigestMessage(
        recipient=recipient.email,
        subject=subject,
        message_id=message_id,
        text=text,
        html=html,
        raw=raw,
        event_items=tuple((e.key, frozenset(i.item_id for i in e.items)) for e in chosen),
    )


def _html_lang(recipient: Recipient) -> str:
    return "fr" if recipient.lang.lower().startswith("fr") else "en"
