"""Ruling items out from the gazetteer scan: only items naming no watched state at all, with a
verdict that says so, and never a label the full path would not give (sentences written here)."""

from __future__ import annotations

from datetime import date

import pytest

from classifier.detector import Detector, ItemInput
from classifier.gazetteer import Gazetteer
from classifier.screen import RULED_OUT, screen

WATCHED = ("KZ", "KG", "TJ", "TM", "UZ")
PUBLISHED = date(2024, 6, 3)

RULED = [
    pytest.param("Putin and Xi hold talks in Beijing", "", id="other-leaders-meet"),
    pytest.param("Floods hit southern Germany", "Rivers burst their banks.", id="no-names"),
    pytest.param("Macron to visit Brazil", "The French president flies on Monday.", id="non-ca"),
    pytest.param("Markets close higher", "", id="empty-text"),
]
KEPT = [
    pytest.param("Tokayev meets Erdogan", "", id="watched-leader-in-title"),
    pytest.param("Talks in Ankara", "The Uzbek president arrived on Monday.", id="adjective"),
    pytest.param("Leaders meet", "The talks were held in Astana.", id="watched-capital"),
    pytest.param("Trade talks", "Kyrgyzstan and China signed a deal.", id="watched-country"),
    pytest.param("Memoirs", "Nursultan Nazarbayev recalled his talks.", id="former-leader"),
    pytest.param("ДУШАНБЕ, 29 ноя — Sputnik.", "Встреча прошла в Кремле.", id="dateline-title"),
]


@pytest.mark.parametrize(("title", "text"), RULED)
def test_screen_rules_out_items_naming_no_watched_state(title: str, text: str) -> None:
    assert screen(title, text, Gazetteer.default(), WATCHED, PUBLISHED) is not None


@pytest.mark.parametrize(("title", "text"), KEPT)
def test_screen_keeps_items_naming_a_watched_state(title: str, text: str) -> None:
    assert screen(title, text, Gazetteer.default(), WATCHED, PUBLISHED) is None


@pytest.mark.parametrize(("title", "text"), RULED)
def test_ruled_out_verdict_says_so(detector: Detector, title: str, text: str) -> None:
    verdict = detector.classify(title, text, "en", PUBLISHED)
    assert (verdict.score, verdict.label, verdict.countries) == (0.0, False, ())
    assert verdict.reasons == (RULED_OUT,)
    assert RULED_OUT in verdict.summary


def test_ruled_out_verdict_keeps_the_names_as_evidence(detector: Detector) -> None:
    verdict = detector.classify("Putin and Xi hold talks in Beijing", "", "en", PUBLISHED)
    assert {e.label for e in verdict.evidence if e.kind == "leader"} == {"RU", "CN"}


def test_rule_changes_no_label_and_keeps_order(detector: Detector) -> None:
    items = [ItemInput(t, x, "en", PUBLISHED) for t, x in (p.values for p in RULED + KEPT)]
    full = Detector(detector.model, rule_out=False).classify_many(items)
    fast = detector.classify_many(items)
    assert [v.label for v in fast] == [v.label for v in full]
    kept = [f for f, v in zip(full, fast, strict=True) if v.reasons != (RULED_OUT,)]
    assert kept == [v for v in fast if v.reasons != (RULED_OUT,)]


def test_batch_of_only_ruled_out_items(detector: Detector) -> None:
    items = [ItemInput("Floods hit Germany", ""), ItemInput("Markets close", "")]
    assert [v.score for v in detector.classify_many(items)] == [0.0, 0.0]
    assert detector.classify_many([]) == []
