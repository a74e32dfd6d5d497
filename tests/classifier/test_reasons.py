"""Reasons read as what the text says: an absent cue is never worded as a present one."""

from __future__ import annotations

import pytest

from classifier.detector import Detector
from classifier.reasons import describe

STATE_VISIT = (
    "Tokayev arrives in Tashkent for a state visit",
    "President Kassym-Jomart Tokayev arrived in Tashkent on Thursday for a two-day state visit "
    "at the invitation of President Shavkat Mirziyoyev. The leaders held talks and signed "
    "twelve agreements.",
)


@pytest.mark.parametrize(
    ("name", "present", "above", "expected"),
    [
        pytest.param("lead:phone_call", True, True, "phone call in the opening sentence", id="cue"),
        pytest.param(
            "lead:phone_call", False, False, "no phone call in the opening sentence", id="no-cue"
        ),
        pytest.param("title:summit", True, True, "'summit' in the headline", id="headline-cue"),
        pytest.param("states_eq2", True, True, "exactly two states named", id="feature"),
        pytest.param("states_eq2", False, False, "exactly two states named: no", id="no-feature"),
        pytest.param("top2_share", True, True, "two states dominate the mentions", id="share"),
        pytest.param(
            "third_state_share", True, False, "a third state rarely mentioned", id="share-low"
        ),
        pytest.param("text:'⟨l⟩ held'", True, True, "wording like '⟨l⟩ held'", id="n-gram"),
        pytest.param("some_new_feature", True, True, "some new feature", id="unknown-name"),
    ],
)
def test_describe(name: str, present: bool, above: bool, expected: str) -> None:
    assert describe(name, present, above) == expected


def test_reasons_of_a_flag_name_only_cues_the_text_has(detector: Detector) -> None:
    verdict = detector.classify(*STATE_VISIT)
    assert verdict.label and verdict.reasons
    cues_found = {e.label for e in verdict.evidence if e.kind == "cue"}
    for line in verdict.reasons:
        phrase = line.split(" ", 1)[1]
        if "phone call" in phrase or "minister-level" in phrase:
            # the text has neither, so either may only appear as an absence
            assert phrase.startswith("no "), line
    assert "phone_call" not in cues_found


def test_summary_names_each_leader_once(detector: Detector) -> None:
    summary = detector.classify(*STATE_VISIT).summary
    assert "Kassym-Jomart Tokayev" in summary and "Shavkat Mirziyoyev" in summary
    leaders = summary.split("leaders: ")[1].split(";")[0].split(", ")
    assert len(leaders) == len(set(leaders)) == 2, summary
