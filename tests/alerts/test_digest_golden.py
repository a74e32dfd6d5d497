"""Golden files of rendered text digests (headers and plain-text body), with Date, Message-ID and
MIME boundaries normalised. Run with UPDATE_GOLDEN=1 to rewrite them after a deliberate change."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from digest_factories import NAMES, NOW, PERIOD, SENDER, bodies, item, parse, recipient, stats

from alerts import DigestMessage, Recipient, build_digest, group_events

GOLDEN = Path(__file__).parent / "golden"
SHOWN_HEADERS = ("Message-ID", "Date", "From", "To", "Subject", "List-Id", "List-Unsubscribe",
                 "Auto-Submitted", "MIME-Version", "Content-Type")  # fmt: skip


def _normalised(message: DigestMessage) -> str:
    mail = parse(message.raw)
    placeholders = {"Date": "<DATE>", "Message-ID": "<MESSAGE-ID>"}
    lines = [f"{name}: {placeholders.get(name, mail[name])}" for name in SHOWN_HEADERS]
    headers = re.sub(r'boundary="[^"]+"', 'boundary="<BOUNDARY>"', "\n".join(lines))
    text, _ = bodies(mail)
    return headers + "\n\n" + text


def _coverage(sent: bool) -> DigestMessage | None:
    items = [
        item(1, title="Tokayev to visit Tashkent next week", source="Kun.uz", score=0.92),
        item(2, title="Токаев посетит Ташкент", lang="ru", source="Tengrinews", score=0.88),
        item(3, title="Tokaïev attendu à Tachkent", lang="fr", source="Le Monde", link=None),
        item(4, title="Xi and Tokayev hold talks in Astana", countries=("CN", "KZ"), score=0.81,
             status="held", place="Astana", event_date=None, lang="zh", source="Xinhua"),
    ]  # fmt: skip
    history = {}
    if sent:
        (first,) = group_events(items[:2])
        history = {first.key: frozenset({1, 2})}
    person: Recipient = recipient(lang="en")
    return build_digest(person, group_events(items, history), stats(2), PERIOD, sender=SENDER,
                        now=NOW, country_names=NAMES)  # fmt: skip


def _french() -> DigestMessage | None:
    items = [item(1, title="Visite d'État à Bichkek", countries=("KG", "KZ"), status="held",
                  place="Bichkek", lang="fr", source="RFI")]  # fmt: skip
    return build_digest(recipient(lang="fr", timezone="Europe/Paris"), group_events(items),
                        stats(1), PERIOD, sender=SENDER, now=NOW, country_names=NAMES)  # fmt: skip


def _empty() -> DigestMessage | None:
    person = recipient(send_empty=True, name=None, timezone="UTC")
    return build_digest(person, [], stats(0), PERIOD, sender=SENDER, now=NOW)


CASES = {
    "english_new_events": lambda: _coverage(sent=False),
    "english_update": lambda: _coverage(sent=True),
    "french": _french,
    "empty_on_request": _empty,
}


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_text_digest_matches_golden(name: str) -> None:
    message = CASES[name]()
    assert message is not None
    rendered = _normalised(message)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"missing {path.name}: run with UPDATE_GOLDEN=1 to create it"
    assert rendered == path.read_text(encoding="utf-8")
