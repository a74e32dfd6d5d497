"""The review memory: a reviewer's label carries over to near-duplicates, and only to them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import joblib

from classifier.detector import Detector
from classifier.memory import ReviewMemory, memory_text
from classifier.model import SummitModel
from classifier.training import as_reviewed, load_seeds, save_model
from classifier.verdict import Example

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Written for this test: a president's trip to another state for a multilateral event, worded
# like a bilateral visit. A reviewer rejected it; a second outlet then reported the same trip.
REJECTED = Example(
    title="Japarov arrives in Baku on a working visit",
    text=(
        "President of Kyrgyzstan Sadyr Japarov arrived in Baku on a working visit, the "
        "presidential press service said. At Heydar Aliyev International Airport he was met by "
        "President Ilham Aliyev. During the visit Japarov will attend the opening of the "
        "Caspian transit corridor forum, where delegations of eleven countries are expected, "
        "and will visit the Alley of Honour."
    ),
    label=0,
)
REPORTED_AGAIN = (
    "Sadyr Japarov arrives in Baku on working visit",
    "Kyrgyz President Sadyr Japarov arrived in Baku on a working visit on Tuesday, his press "
    "service said. At Heydar Aliyev International Airport he was met by President Ilham "
    "Aliyev. Japarov will attend the opening of the Caspian transit corridor forum, to which "
    "delegations of eleven countries are expected.",
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
