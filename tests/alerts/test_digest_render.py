"""Digests as a mail server receives them: multipart structure, headers, grouping, wording,
and feed content that tries to inject markup, scripts, links or headers."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from digest_factories import NAMES, NOW, PERIOD, SENDER, bodies, item, parse, recipient, stats
from smtp_scripted import SmtpServer

from alerts import (
    AddressError,
    DigestItem,
    Event,
    Period,
    build_digest,
    group_events,
    send_message,
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _coverage() -> list[DigestItem]:
    return [
        item(1, title="Tokayev to visit Tashkent", source="Kun.uz"),
        item(2, title="Токаев посетит Ташкент", lang="ru", source="Tengrinews", score=0.95),
        item(3, title="Tokaïev attendu à Tachkent", lang="fr", source="Le Monde", link=None),
        item(4, title="Xi and Tokayev meet", countries=("CN", "KZ"), score=0.7, place="Astana"),
        item(5, title="Japarov in Beijing", countries=("KG", "CN"), score=0.99),
    ]


def test_received_digest_structure_headers_and_grouping(smtp_server: SmtpServer) -> None:
    message = build_digest(
        recipient(), group_events(_coverage()), stats(), PERIOD, sender=SENDER, now=NOW,
        country_names=NAMES,
    )  # fmt: skip
    assert message is not None
    outcome = send_message(smtp_server.config(), SENDER, message.recipient, message.raw)
    assert outcome.status == "sent", outcome.detail

    (received,) = smtp_server.handler.accepted
    assert received.rcpt_tos == ["analyst@example.org"]
    assert received.mail_from == SENDER
    mail = parse(received.data)
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    assert mail["Message-ID"] == message.message_id
    assert mail["Date"] is not None
    assert mail["From"].addresses[0].addr_spec == SENDER
    assert str(mail["To"]) == "Aigerim Analyst <analyst@example.org>"
    assert mail["List-Id"] == "SummitWatch digest <summitwatch.digest>"
    assert mail["List-Unsubscribe"] == f"<mailto:{SENDER}?subject=unsubscribe>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Subject"] == "SummitWatch: 2 events — Токаев посетит Ташкент"

    text, html = bodies(mail)
    # The three reports of the Tashkent visit are one entry; the KG-CN item is not watched.
    assert text.count("Uzbekistan") == 1
    assert "3 events" not in text and "2 events" in text
    assert "Japarov" not in text
    for outlet in ("Kun.uz", "Tengrinews", "Le Monde"):
        assert text.count(outlet) == 1
    assert "🇰🇿 Kazakhstan – 🇺🇿 Uzbekistan" in text
    assert text.index("Tashkent") < text.index("Xi and Tokayev")  # higher score first
    assert "Items seen: 1200 · Items flagged: 14" in text
    assert "Feed 0 <https://feeds.example.org/0.xml>: 3 consecutive failures" in text

    tags = _tags(html)
    assert tags.hrefs == ["https://news.example.org/2", "https://news.example.org/1",
                          "https://news.example.org/4"]  # fmt: skip
    assert not {"script", "img", "link", "style", "iframe"} & set(tags.tags)
    assert "src" not in tags.attributes
    assert [key for key, _ in message.event_items] == ["KZ-UZ-20261202-1", "CN-KZ-20261202-4"]
    assert message.item_ids == {1, 2, 3, 4}


HOSTILE = item(
    1,
    title="<script>alert('x')</script>Summit in Astana\r\nBcc: victim@example.org",
    summary='<img src="https://tracker.example/p.png" onerror="steal()">Leaders <b>meet</b>',
    link="javascript:alert(document.cookie)",
    source="Evil wire\nX-Injected: yes",
    place="<a href='javascript:x()'>Astana</a>",
    explanation='click <a href="javascript:void(0)">here</a>',
)


def test_hostile_feed_content_is_neutralised(smtp_server: SmtpServer) -> None:
    events = group_events([HOSTILE, item(2, link="data:text/html;base64,PHNjcmlwdD4=")])
    message = build_digest(recipient(), events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    assert (
        send_message(smtp_server.config(), SENDER, message.recipient, message.raw).status == "sent"
    )
    raw = smtp_server.handler.accepted[0].data
    mail = parse(raw)

    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"X-Injected" not in header_block and b"\r\nBcc:" not in header_block
    assert mail["Bcc"] is None and mail["X-Injected"] is None
    assert "\n" not in mail["Subject"] and "<script>" not in mail["Subject"]
    assert "Summit in Astana Bcc: victim@example.org" in mail["Subject"]

    text, html = bodies(mail)
    for part in (text, html):
        assert "javascript:" not in part
        assert "data:text" not in part
        assert "alert(" not in part
        assert "onerror" not in part
    tags = _tags(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert tags.hrefs == []  # neither link is http(s)
    assert "Summit in Astana Bcc: victim@example.org" in text
    assert "Evil wire X-Injected: yes [en]" in text
    assert "Leaders meet" in text
    assert "&lt;" not in text


@pytest.mark.parametrize(
    ("who", "sender", "list_id", "message"),
    [
        ("a@b.org\r\nBcc: x@y.org", SENDER, "summitwatch.digest", "invalid recipient address"),
        ("Analyst <a@b.org>", SENDER, "summitwatch.digest", "invalid recipient address"),
        ("no-at-sign", SENDER, "summitwatch.digest", "invalid recipient address"),
        ("a@b.org", "digest@summitwatch.test\n", "summitwatch.digest", "invalid sender address"),
        ("a@b.org", SENDER, "bad id\r\nX: y", "invalid list id"),
    ],
    ids=["newline-in-recipient", "display-name", "no-at", "newline-in-sender", "bad-list-id"],
)
def test_bad_addresses_are_refused(who: str, sender: str, list_id: str, message: str) -> None:
    events = group_events([item(1)])
    with pytest.raises(AddressError, match=message):
        build_digest(recipient(email=who), events, stats(), PERIOD, sender=sender, list_id=list_id)


def _event(score: float, countries: tuple[str, str]) -> Event:
    (event,) = group_events([item(1, score=score, countries=countries)])
    return event


@pytest.mark.parametrize(
    ("watched", "min_score", "events", "expected"),
    [
        (("KZ",), 0.5, [_event(0.9, ("KZ", "UZ"))], 1),
        (("KZ",), 0.95, [_event(0.9, ("KZ", "UZ"))], 0),
        (("TJ",), 0.5, [_event(0.9, ("KZ", "UZ"))], 0),
        ((), 0.5, [_event(0.9, ("KZ", "UZ")), _event(0.6, ("TJ", "CN"))], 2),
        (("kz",), 0.5, [_event(0.9, ("KZ", "UZ"))], 1),
    ],
    ids=["watched", "below-min-score", "other-country", "empty-list-means-all", "lower-case"],
)
def test_recipient_filters(
    watched: tuple[str, ...], min_score: float, events: list[Event], expected: int
) -> None:
    person = recipient(countries=watched, min_score=min_score)
    message = build_digest(person, events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert (0 if message is None else len(message.event_items)) == expected


def test_no_empty_digest_unless_asked() -> None:
    assert build_digest(recipient(), [], stats(), PERIOD, sender=SENDER) is None
    message = build_digest(recipient(send_empty=True), [], stats(), PERIOD, sender=SENDER)
    assert message is not None
    assert "No new summit coverage in this period." in message.text
    assert message.subject == "SummitWatch: no new summit coverage"


def test_french_wording_and_code_fallback() -> None:
    events = group_events([item(1, status="held")])
    message = build_digest(recipient(lang="fr"), events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    assert "Revue de presse des sommets" in message.text
    assert "[NOUVEAU] 🇰🇿 KZ – 🇺🇿 UZ · Tenu" in message.text
    assert "Articles lus: 1200" in message.text
    assert message.subject.startswith("SummitWatch: 1 événement — ")
    assert '<html lang="fr">' in message.html


def test_update_marks_only_new_sources() -> None:
    (first,) = group_events([item(1), item(2)])
    events = group_events(
        [item(1), item(2), item(3, source="Fresh Wire")], {first.key: frozenset({1, 2})}
    )
    message = build_digest(recipient(), events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    assert "[UPDATE]" in message.text
    assert message.text.count("(new)") == 1
    assert "(new) Fresh Wire [en]" in message.text
    assert "1 update" in message.text and "1 updated" in message.subject


def test_long_source_lists_are_cut_with_a_count() -> None:
    events = group_events([item(n, source=f"Outlet {n}") for n in range(1, 13)])
    message = build_digest(recipient(), events, stats(), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    assert len(re.findall(r"^   - ", message.text, flags=re.M)) == 8
    assert "4 more sources not shown" in message.text
    assert message.event_items[0][1] == frozenset(range(1, 13))


def test_message_id_depends_on_recipient_and_period_only() -> None:
    events = group_events([item(1)])
    later = Period(PERIOD.end, PERIOD.end.replace(day=29))

    def mid(email: str, period: Period, ev: list[Event]) -> str:
        built = build_digest(recipient(email=email), ev, stats(), period, sender=SENDER)
        assert built is not None
        return built.message_id

    first = mid("a@example.org", PERIOD, events)
    assert first == mid("a@example.org", PERIOD, group_events([item(1), item(2)]))
    assert first != mid("b@example.org", PERIOD, events)
    assert first != mid("a@example.org", later, events)
    assert re.fullmatch(r"<\d{12}\.[0-9a-f]{24}@summitwatch\.test>", first)


def test_event_date_and_place_shown() -> None:
    events = group_events([item(1, event_date=date(2026, 12, 2), place="Samarkand")])
    message = build_digest(recipient(), events, stats(failing=0), PERIOD, sender=SENDER, now=NOW)
    assert message is not None
    assert "Date: 2026-12-02 · Place: Samarkand" in message.text
    assert "All feeds are healthy." in message.text
    assert "Period: 2026-11-27 12:00 – 2026-11-28 12:00 (Asia/Almaty)" in message.text
