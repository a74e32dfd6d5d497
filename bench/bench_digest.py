"""Benchmark: group 5,000 flagged items into 500 events and build the digests of 100 recipients.

The data are synthetic and generated here (seeded, so runs are comparable): 500 meetings between
a Central Asian state and a partner, each covered by 10 outlets in four languages. A fifth of the
recipients watch every country, the rest one or two states, in several timezones and in English
or French. Prints wall time for grouping and for building, total message size and peak RSS,
against the targets of 5 s and 300 MB.

Run: .venv/bin/python bench/bench_digest.py
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alerts import (
    DigestItem,
    DigestStats,
    FailingFeed,
    Period,
    Recipient,
    build_digest,
    group_events,
)

CENTRAL = ("KZ", "KG", "TJ", "TM", "UZ")
PARTNERS = ("CN", "RU", "TR", "US", "DE", "FR", "IN", "JP", "KR", "AE", "IR", "AZ")
NAMES = {
    "KZ": "Kazakhstan", "KG": "Kyrgyzstan", "TJ": "Tajikistan", "TM": "Turkmenistan",
    "UZ": "Uzbekistan", "CN": "China", "RU": "Russia", "TR": "Türkiye", "US": "United States",
    "DE": "Germany", "FR": "France", "IN": "India", "JP": "Japan", "KR": "South Korea",
    "AE": "United Arab Emirates", "IR": "Iran", "AZ": "Azerbaijan",
}  # fmt: skip
PLACES = ("Astana", "Tashkent", "Bishkek", "Dushanbe", "Ashgabat", "Beijing", "Moscow", "Ankara")
LANGS = ("en", "ru", "fr", "kk")
EVENTS, PER_EVENT, RECIPIENTS = 500, 10, 100
TARGET_SECONDS, TARGET_MB = 5.0, 300.0


def make_items(rng: random.Random) -> list[DigestItem]:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    items: list[DigestItem] = []
    item_id = 1
    for event in range(EVENTS):
        pair = (rng.choice(CENTRAL), rng.choice(PARTNERS))
        # Spread meetings so that same-pair meetings are usually weeks apart, like real ones.
        day = date(2026, 1, 1) + timedelta(days=(event * 7) % 330 + rng.randint(0, 2))
        place = rng.choice(PLACES)
        for n in range(PER_EVENT):
            lang = LANGS[n % len(LANGS)]
            items.append(
                DigestItem(
                    item_id=item_id,
                    title=f"{NAMES[pair[0]]} and {NAMES[pair[1]]} meet in {place} ({lang} #{n})",
                    summary=f"<p>Talks on trade &amp; energy, report {event}-{n}.</p> " * 3,
                    link=f"https://news{n}.example.org/{event}/{n}",
                    source=f"Outlet {n}",
                    lang=lang,
                    published=base + timedelta(minutes=item_id),
                    score=round(rng.uniform(0.5, 1.0), 3),
                    countries=pair,
                    visitor=pair[1],
                    host=pair[0],
                    status=rng.choice(("announced", "held")),
                    event_date=day if n % 3 else None,
                    place=place,
                    explanation="names both leaders, a summit verb and a date",
                )
            )
            item_id += 1
    return items


def make_recipients(rng: random.Random) -> list[Recipient]:
    zones = ("UTC", "Asia/Almaty", "Europe/Paris", "America/New_York", "Asia/Tashkent")
    people = []
    for n in range(RECIPIENTS):
        countries: tuple[str, ...] = () if n % 5 == 0 else tuple(rng.sample(CENTRAL, 1 + n % 2))
        people.append(
            Recipient(
                email=f"analyst{n}@example.org",
                countries=countries,
                schedule="daily 07:00",
                timezone=zones[n % len(zones)],
                min_score=0.5,
                lang="fr" if n % 2 else "en",
                name=f"Analyst {n}",
            )
        )
    return people


def main() -> None:
    rng = random.Random(20261128)
    items = make_items(rng)
    recipients = make_recipients(rng)
    stats = DigestStats(
        items_seen=40_000,
        items_flagged=len(items),
        failing_feeds=(FailingFeed("Example wire", "https://wire.example.org/rss", 4, "HTTP 503"),),
    )
    period = Period(datetime(2026, 11, 27, 7, tzinfo=UTC), datetime(2026, 11, 28, 7, tzinfo=UTC))

    start = time.perf_counter()
    events = group_events(items)
    grouped = time.perf_counter()
    built, total_bytes, total_events = 0, 0, 0
    for recipient in recipients:
        message = build_digest(
            recipient, events, stats, period, sender="digest@summitwatch.example",
            country_names=NAMES,
        )  # fmt: skip
        if message is not None:
            built += 1
            total_bytes += len(message.raw)
            total_events += len(message.event_items)
    done = time.perf_counter()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall = done - start
    print(f"items: {len(items)}  events: {len(events)}  recipients: {len(recipients)}")
    print(f"digests built: {built}  events shown: {total_events}  bytes: {total_bytes:,}")
    print(f"grouping: {grouped - start:.2f} s  building: {done - grouped:.2f} s")
    print(f"wall time: {wall:.2f} s (target <= {TARGET_SECONDS:.0f} s)")
    print(f"peak RSS: {peak_mb:.0f} MB (target <= {TARGET_MB:.0f} MB)")
    verdict = "PASS" if wall <= TARGET_SECONDS and peak_mb <= TARGET_MB else "OVER TARGET"
    print(f"result: {verdict}")


if __name__ == "__main__":
    main()
