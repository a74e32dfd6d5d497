"""Confirmed events: a reviewer's confirmation lifts other reports of the same summit, and only
those (same pair of states, dated within a few days), in any language."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import joblib
import pytest

from classifier.confirmed import PULL, WINDOW_DAYS, ConfirmedEvent, ConfirmedEvents
from classifier.detector import Detector
from classifier.evaluation import evaluate, evaluate_held_out
from classifier.model import SummitModel
from classifier.training import as_reviewed, load_seeds, read_jsonl, save_model, train
from classifier.verdict import Example, TrainingDataError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DAY = date(2024, 7, 5)

# Written for these tests. The report a reviewer confirmed, and a rejected one of the same days.
CONFIRMED = Example(
    title="Xi Jinping and Emomali Rahmon hold talks in Dushanbe",
    text=(
        "Chinese President Xi Jinping and Tajik President Emomali Rahmon held talks at the "
        "Palace of Nations in Dushanbe on Friday during Xi's state visit to Tajikistan, and "
        "signed a joint statement on comprehensive strategic partnership."
    ),
    label=1,
    countries=("TJ", "CN"),
    published=DAY,
)
REJECTED = Example(
    title="Chinese and Tajik foreign ministers discuss transport corridor",
    text=(
        "Foreign Minister Wang Yi met Tajik Foreign Minister Sirojiddin Muhriddin in Dushanbe to "
        "discuss the China-Kyrgyzstan-Uzbekistan railway and the transport corridor to Tajikistan."
    ),
    label=0,
    published=DAY,
)
# Reports of the same visit that name only the visiting leader: the seed model is unsure of each
# (with both leaders named, it recognises the summit from its structure in any language).
OTHER_REPORTS = {
    "it": (
        "Xi Jinping arriva a Dushanbe",
        "Il presidente cinese Xi Jinping è arrivato giovedì sera a Dushanbe, capitale del "
        "Tagikistan.",
    ),
    "de": (
        "Xi Jinping in Duschanbe",
        "Der chinesische Präsident Xi Jinping ist am Donnerstagabend in Duschanbe, der "
        "Hauptstadt Tadschikistans, gelandet.",
    ),
    "es": (
        "Xi Jinping llega a Dusambé",
        "El presidente de China, Xi Jinping, llegó el jueves a Dusambé, capital de Tayikistán.",
    ),
}


@pytest.fixture(scope="module")
def reviewed_model() -> SummitModel:
    return train([*load_seeds(SEEDS), *as_reviewed([CONFIRMED, REJECTED])])


def _event(pair: tuple[str, str], day: date, key: str = "k") -> ConfirmedEvent:
    return ConfirmedEvent(frozenset(pair), day, "t", key)


@pytest.mark.parametrize(
    ("pair", "day", "matches"),
    [
        pytest.param(("TJ", "CN"), DAY, True, id="same-pair-same-day"),
        pytest.param(("CN", "TJ"), DAY, True, id="pair-order-irrelevant"),
        pytest.param(("TJ", "CN"), date(2024, 7, 8), True, id="window-edge-after"),
        pytest.param(("TJ", "CN"), date(2024, 7, 2), True, id="window-edge-before"),
        pytest.param(("TJ", "CN"), date(2024, 7, 9), False, id="past-the-window"),
        pytest.param(("TJ", "RU"), DAY, False, id="another-pair"),
        pytest.param(("TJ", "CN"), None, False, id="undated"),
        pytest.param(("TJ",), DAY, False, id="no-pair"),
    ],
)
def test_match(pair: tuple[str, ...], day: date | None, matches: bool) -> None:
    assert WINDOW_DAYS == 3  # the table's edges are written for it
    found = ConfirmedEvents([_event(("CN", "TJ"), DAY)]).match(pair, day)
    assert (found is not None) == matches
    if found is not None:
        assert found.shift == PULL


def test_match_names_the_closest_report() -> None:
    events = ConfirmedEvents(
        [_event(("CN", "TJ"), date(2024, 7, 3), "a"), _event(("CN", "TJ"), date(2024, 7, 6), "b")]
    )
    found = events.match(("TJ", "CN"), DAY)
    assert found is not None and found.event.key == "b"


def test_training_keeps_confirmed_dated_pairs_only(reviewed_model: SummitModel) -> None:
    assert reviewed_model.events is not None
    assert [(e.pair, e.day) for e in reviewed_model.events.events] == [
        (frozenset({"CN", "TJ"}), DAY)
    ]


@pytest.mark.parametrize("lang", sorted(OTHER_REPORTS))
def test_confirmation_flags_another_report_of_the_summit(
    seed_model: SummitModel, reviewed_model: SummitModel, lang: str
) -> None:
    title, text = OTHER_REPORTS[lang]
    plain = Detector(seed_model).classify(title, text, lang, date(2024, 7, 6))
    lifted = Detector(reviewed_model).classify(title, text, lang, date(2024, 7, 6))
    assert not plain.label and plain.countries == ("TJ", "CN")
    assert lifted.label and lifted.score > plain.score
    # first the reviews it leans on (the word memory may add a nudge for shared names)
    confirmed = f"+{PULL:.2f} a reviewer confirmed a CN–TJ summit reported 2024-07-05"
    assert any(r.startswith(confirmed) for r in lifted.reasons[:2]), lifted.reasons


@pytest.mark.parametrize(
    ("published", "title", "text"),
    [
        pytest.param(date(2024, 8, 5), *OTHER_REPORTS["de"], id="a-month-later"),
        pytest.param(None, *OTHER_REPORTS["de"], id="undated"),
        pytest.param(
            DAY,
            "Xi Jinping arriva ad Astana",
            "Il presidente cinese Xi Jinping è arrivato ad Astana, su invito del presidente del "
            "Kazakistan Kassym-Jomart Tokayev.",
            id="another-pair",  # and the word memory ignores it too: another pair
        ),
    ],
)
def test_other_events_are_left_alone(
    seed_model: SummitModel,
    reviewed_model: SummitModel,
    published: date | None,
    title: str,
    text: str,
) -> None:
    plain = Detector(seed_model).classify(title, text, "it", published)
    after = Detector(reviewed_model).classify(title, text, "it", published)
    assert after.score == plain.score
    assert not any("reviewer" in r for r in after.reasons)


def test_held_out_evaluation_forgets_the_confirmation() -> None:
    title, text = OTHER_REPORTS["it"]
    report = Example(title, text, 1, ("TJ", "CN"), "it", published=DAY)
    model = train([*load_seeds(SEEDS), *as_reviewed([report])])
    remembering = Detector(model)
    assert evaluate(remembering, [report]).confusion["tp"] == 1  # it remembers its own answer
    assert evaluate_held_out(remembering, [report]).confusion["fn"] == 1


def test_confirmed_events_are_saved_with_the_model(
    reviewed_model: SummitModel, tmp_path: Path
) -> None:
    save_model(reviewed_model, tmp_path / "m.joblib")
    loaded = joblib.load(tmp_path / "m.joblib")
    title, text = OTHER_REPORTS["de"]
    assert Detector(loaded).classify(title, text, "de", DAY) == Detector(reviewed_model).classify(
        title, text, "de", DAY
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2024-07-05", DAY, id="date"),
        pytest.param("2024-07-05T22:10:00+00:00", DAY, id="date-time"),
        pytest.param(None, None, id="null"),
        pytest.param("", None, id="empty"),
    ],
)
def test_labels_file_reads_published(tmp_path: Path, value: str | None, expected: date) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({"title": "t", "text": "x", "label": 1, "published": value}))
    assert read_jsonl(path)[0].published == expected


@pytest.mark.parametrize("value", ["yesterday", 20240705], ids=["word", "number"])
def test_labels_file_rejects_a_bad_date(tmp_path: Path, value: object) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({"title": "t", "text": "x", "label": 1, "published": value}))
    with pytest.raises(TrainingDataError, match=r"labels.jsonl:1: .*published must be an ISO"):
        read_jsonl(path)
