"""The review memory: a reviewer's label carries over to near-duplicates, and only to them."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import joblib
import pytest

from classifier.detector import Detector
from classifier.evaluation import evaluate, evaluate_held_out
from classifier.memory import ReviewMemory, memory_key, memory_text
from classifier.model import SummitModel
from classifier.training import as_reviewed, load_seeds, save_model
from classifier.verdict import Example

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Written for this test: a president's trip to a UN conference, with "talks" in the headline and
# the host president at the airport. A reviewer rejected it; a second outlet then reported it.
REJECTED = Example(
    title="Japarov arrives in Baku for climate talks",
    text=(
        "President of Kyrgyzstan Sadyr Japarov arrived in Baku on Tuesday for the UN climate "
        "conference COP29, the presidential press service said. At the airport he was met by "
        "President Ilham Aliyev. Japarov will speak on mountain glaciers at the plenary."
    ),
    label=0,
)
REPORTED_AGAIN = (
    "Kyrgyz president Japarov in Baku for climate talks",
    "Kyrgyz President Sadyr Japarov arrived in Baku for the UN climate conference COP29, his "
    "press service said on Tuesday. He was met at the airport by President Ilham Aliyev. "
    "Japarov is to speak at the plenary about melting mountain glaciers.",
)
UNRELATED = (
    "Tokayev arrives in Tashkent on a state visit",
    "President Kassym-Jomart Tokayev held talks with President Shavkat Mirziyoyev; the two "
    "leaders signed a treaty on allied relations.",
)


def _with_memory(model: SummitModel, reviewed: list[Example]) -> SummitModel:
    """The same linear model, remembering ``reviewed``: only the memory differs."""
    background = [memory_text(e.title, e.text) for e in load_seeds(SEEDS)]
    memory = ReviewMemory.build([(e.title, e.text, e.label) for e in reviewed], background)
    return dataclasses.replace(model, memory=memory)


def test_rejected_item_turns_down_its_near_duplicate(seed_model: SummitModel) -> None:
    before = Detector(seed_model).classify(*REPORTED_AGAIN)
    assert before.label, (before.score, before.reasons)  # the linear model alone is fooled
    after = Detector(_with_memory(seed_model, [REJECTED])).classify(*REPORTED_AGAIN)
    assert not after.label and after.score < before.score
    assert "a reviewer rejected" in after.reasons[0], after.reasons


def test_confirmed_item_turns_up_its_near_duplicate(seed_model: SummitModel) -> None:
    confirmed = dataclasses.replace(REJECTED, label=1)
    plain = Detector(seed_model).classify(*REPORTED_AGAIN).score
    after = Detector(_with_memory(seed_model, [confirmed])).classify(*REPORTED_AGAIN)
    assert after.label and after.score > plain
    assert "a reviewer confirmed" in after.reasons[0]


def test_unrelated_items_are_left_alone(seed_model: SummitModel) -> None:
    remembering = Detector(_with_memory(seed_model, [REJECTED]))
    plain = Detector(seed_model)
    for title, text in (UNRELATED, ("Kazakhstan's wheat exports rise", "Grain sales grew.")):
        a, b = plain.classify(title, text), remembering.classify(title, text)
        assert a.score == b.score and a.label == b.label
        assert not any("reviewer" in r for r in b.reasons)


def test_memory_is_trained_and_saved_with_the_model(tmp_path: Path) -> None:
    from classifier.training import train

    examples = [*load_seeds(SEEDS)[:120], *as_reviewed([REJECTED], weight=0.0)]
    model = train(examples)
    assert model.memory is not None and len(model.memory) == 1
    assert model.n_train == 120  # weight 0: remembered, not fitted
    save_model(model, tmp_path / "m.joblib")
    loaded = joblib.load(tmp_path / "m.joblib")
    assert Detector(loaded).classify(*REPORTED_AGAIN) == Detector(model).classify(*REPORTED_AGAIN)


def test_held_out_evaluation_scores_each_item_as_if_never_reviewed(
    seed_model: SummitModel,
) -> None:
    remembering = Detector(_with_memory(seed_model, [REJECTED]))
    in_sample = evaluate(remembering, [REJECTED]).confusion
    held_out = evaluate_held_out(remembering, [REJECTED]).confusion
    seed_only = evaluate(Detector(seed_model), [REJECTED]).confusion
    assert in_sample == {"tp": 0, "fp": 0, "fn": 0, "tn": 1}  # it remembers its own answer
    assert held_out == seed_only == {"tp": 0, "fp": 1, "fn": 0, "tn": 0}


def test_forgetting_keeps_the_other_reviewed_items(seed_model: SummitModel) -> None:
    other = Example(*UNRELATED, label=1)
    memory = _with_memory(seed_model, [REJECTED, other]).memory
    assert memory is not None
    left = memory.forget({memory_key(REJECTED.title, REJECTED.text)})
    assert left is not None and left.titles == [other.title] and len(left) == 1
    assert memory.forget({memory_key(e.title, e.text) for e in (REJECTED, other)}) is None


OLD = date(2016, 5, 23)  # the reviewed story's date


@pytest.mark.parametrize(
    ("pair", "day", "pulled"),
    [
        pytest.param(("KG", "AZ"), date(2024, 11, 12), True, id="same-pair-years-later"),
        pytest.param((), date(2024, 11, 12), True, id="pair-unknown"),
        pytest.param(("KG", "TR"), None, True, id="another-pair-undated"),
        pytest.param(("KG", "TR"), date(2016, 6, 20), True, id="another-pair-same-month"),
        pytest.param(("KG", "TR"), date(2024, 11, 12), False, id="another-pair-years-later"),
    ],
)
def test_a_near_duplicate_about_another_pair_long_after_is_another_story(
    pair: tuple[str, ...], day: date | None, pulled: bool
) -> None:
    background = [memory_text(e.title, e.text) for e in load_seeds(SEEDS)]
    memory = ReviewMemory.build(
        [(REJECTED.title, REJECTED.text, 0)], background, [(frozenset({"KG", "AZ"}), OLD)]
    )
    assert memory is not None
    shifts, found = memory.recall([memory_text(*REPORTED_AGAIN)], [(frozenset(pair), day)])
    assert (shifts[0] < 0) == pulled and (found[0] is not None) == pulled
