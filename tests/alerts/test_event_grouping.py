"""Grouping of flagged items into events: merging across outlets and languages, keeping distinct
meetings apart, stable keys, and update detection with `sent`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from digest_factories import item

from alerts import DigestItem, Event, group_events


def _ids(events: list[Event]) -> list[list[int]]:
    return sorted(sorted(i.item_id for i in e.items) for e in events)


CASES = [
    pytest.param(
        [
            item(1, title="Tokayev to visit Tashkent", lang="en"),
            item(2, title="Токаев посетит Ташкент", lang="ru", place="Ташкент"),
            item(3, title="Tokaïev attendu à Tachkent", lang="fr", event_date=date(2026, 12, 3)),
        ],
        [[1, 2, 3]],
        id="same-pair-close-dates-three-languages-merged",
    ),
    pytest.param(
        [item(1, countries=("KZ", "UZ")), item(2, countries=("UZ", "KZ"))],
        [[1, 2]],
        id="pair-order-does-not-matter",
    ),
    pytest.param(
        [item(1, countries=("KZ", "UZ")), item(2, countries=("KZ", "CN"))],
        [[1], [2]],
        id="different-pairs-kept-apart",
    ),
    pytest.param(
        [item(1, event_date=date(2026, 12, 2)), item(2, event_date=date(2027, 3, 15))],
        [[1], [2]],
        id="far-apart-dates-kept-apart",
    ),
    pytest.param(
        [
            item(1, event_date=None, published=datetime(2026, 11, 27, tzinfo=UTC)),
            item(2, event_date=date(2026, 11, 29), place="Samarkand"),
        ],
        [[1, 2]],
        id="published-date-stands-in-for-missing-event-date",
    ),
    pytest.param(
        [
            item(1, event_date=date(2026, 12, 1), place="Astana"),
            item(2, event_date=date(2026, 12, 6), place="Astana"),
        ],
        [[1, 2]],
        id="same-place-widens-the-date-window",
    ),
    pytest.param(
        [
            item(1, event_date=date(2026, 12, 1), place="Astana"),
            item(2, event_date=date(2026, 12, 6), place="Samarkand"),
        ],
        [[1], [2]],
        id="five-days-apart-different-places-kept-apart",
    ),
]


@pytest.mark.parametrize(("items", "expected"), CASES)
def test_grouping(items: list[DigestItem], expected: list[list[int]]) -> None:
    assert _ids(group_events(items)) == expected


def test_tie_break_prefers_the_event_sharing_title_words() -> None:
    # Two meetings of one pair four days apart; an item dated between them is close enough to
    # both, so the words it shares with one of them decide.
    energy = item(
        1, title="Energy ministers sign pipeline deal", event_date=date(2026, 12, 1), place=None
    )
    water = item(
        2, title="Presidents discuss water sharing", event_date=date(2026, 12, 5), place=None
    )
    middle = item(
        3, title="Water sharing: presidents continue", event_date=date(2026, 12, 3), place=None
    )
    events = group_events([energy, water, middle])
    assert _ids(events) == [[1], [2, 3]]


def test_event_fields_summarise_the_items() -> None:
    items = [
        item(1, score=0.7, status="announced", title="Lower score"),
        item(2, score=0.95, status="held", title="Top story", lang="ru"),
        item(3, score=0.8, published=datetime(2026, 11, 27, 18, tzinfo=UTC)),
    ]
    (event,) = group_events(items)
    assert event.countries == ("KZ", "UZ")
    assert event.headline == "Top story"
    assert event.status == "held"
    assert event.score == 0.95
    assert event.latest == datetime(2026, 11, 27, 18, tzinfo=UTC)
    assert event.place == "Tashkent"
    assert event.event_date == date(2026, 12, 2)
    assert [i.item_id for i in event.items] == [2, 3, 1]
    assert not event.is_update
    assert event.new_item_ids == {1, 2, 3}


def test_order_is_by_score_then_recency() -> None:
    base = datetime(2026, 11, 20, tzinfo=UTC)
    items = [
        item(1, countries=("KZ", "CN"), score=0.6, published=base),
        item(2, countries=("KZ", "UZ"), score=0.9, published=base),
        item(3, countries=("KG", "UZ"), score=0.6, published=base + timedelta(hours=5)),
    ]
    assert [e.items[0].item_id for e in group_events(items)] == [2, 3, 1]


def test_key_is_stable_when_later_items_join() -> None:
    early = [item(5, published=datetime(2026, 11, 26, tzinfo=UTC))]
    (before,) = group_events(early)
    later = [*early, item(9, lang="fr", score=0.99), item(12, event_date=date(2026, 11, 30))]
    (after,) = group_events(later)
    assert after.key == before.key
    assert after.key.startswith("KZ-UZ-")
    assert after.headline != before.headline or after.score != before.score


def test_update_detection_with_sent() -> None:
    first = [item(1), item(2, lang="ru")]
    (sent_event,) = group_events(first)
    sent = {sent_event.key: frozenset({1, 2})}

    nothing_new = group_events(first, sent)
    assert nothing_new == []

    with_new = group_events([*first, item(7, lang="fr", source="Le Monde")], sent)
    (update,) = with_new
    assert update.key == sent_event.key
    assert update.is_update
    assert update.new_item_ids == {7}
    assert {i.item_id for i in update.items} == {1, 2, 7}


def test_update_recognised_without_the_founding_item() -> None:
    # The caller's window no longer holds item 1 but still holds item 2, which was sent.
    (sent_event,) = group_events([item(1), item(2)])
    sent = {sent_event.key: frozenset({1, 2})}
    (update,) = group_events([item(2), item(8)], sent)
    assert update.key == sent_event.key
    assert update.is_update
    assert update.new_item_ids == {8}


def test_new_event_alongside_sent_one_is_not_an_update() -> None:
    (old,) = group_events([item(1)])
    events = group_events([item(1), item(4, countries=("KG", "CN"))], {old.key: frozenset({1})})
    assert [(e.countries, e.is_update) for e in events] == [(("CN", "KG"), False)]
