"""Event-field accuracy in evaluation: read from labelled files that carry the fields, taken
over the correctly flagged items only (records written for this file)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from classifier.evaluation import event_fields, report
from classifier.training import read_jsonl
from classifier.verdict import EventTruth, Example, Verdict

DAY = date(2024, 5, 2)


def verdict(label: bool = True, **facts: Any) -> Verdict:
    base: dict[str, Any] = {
        "countries": ("UZ", "FR"),
        "visitor": "UZ",
        "host": "FR",
        "status": "held",
        "event_date": DAY,
        "place": "Paris",
    }
    base.update(facts)
    return Verdict(
        score=0.9 if label else 0.1,
        label=label,
        language="en",
        model_version="test",
        summary="",
        reasons=(),
        evidence=(),
        **base,
    )


TRUTH = EventTruth(visitor="UZ", host="FR", event_date=DAY, place="Paris", status="held")


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        pytest.param(verdict(), {"status_accuracy": 1.0, "place_accuracy": 1.0}, id="all-right"),
        pytest.param(verdict(status="announced"), {"status_accuracy": 0.0}, id="wrong-status"),
        pytest.param(
            verdict(visitor="FR", host="UZ"), {"visitor_host_accuracy": 0.0}, id="roles-swapped"
        ),
        pytest.param(
            verdict(visitor=None, host=None), {"visitor_host_accuracy": 0.0}, id="roles-missing"
        ),
        pytest.param(verdict(place="PARIS"), {"place_accuracy": 1.0}, id="place-any-case"),
        pytest.param(verdict(place=None), {"place_accuracy": 0.0}, id="place-missing"),
        pytest.param(
            verdict(event_date=date(2024, 5, 3)),
            {"date_found": 1.0, "date_exact": 0.0},
            id="date-off-by-one",
        ),
        pytest.param(
            verdict(event_date=DAY, date_inferred=True),
            {"date_found": 0.0, "date_exact": 0.0},
            id="publication-date-is-not-found",
        ),
    ],
)
def test_event_fields_per_field(read: Verdict, expected: dict[str, float]) -> None:
    got = event_fields([(TRUTH, read)])
    assert {k: got[k] for k in expected} == expected


def test_third_country_meeting_has_no_roles() -> None:
    truth = EventTruth(place="Astana", status="held")
    got = event_fields([(truth, verdict(visitor=None, host=None, place="Astana"))])
    assert (got["visitor_host_accuracy"], got["date_n"], got["date_found"]) == (1.0, 0, 0.0)


def test_only_correctly_flagged_items_count() -> None:
    examples = [
        Example("a", "", 1, event=TRUTH),
        Example("b", "", 1, event=TRUTH),  # missed: its fields are not judged
        Example("c", "", 0),
    ]
    verdicts = [verdict(), verdict(label=False, status="announced"), verdict(label=False)]
    fields = report(examples, verdicts, 1.0).event_fields
    assert (fields["n"], fields["status_accuracy"]) == (1, 1.0)


def test_files_without_event_fields_report_none() -> None:
    examples = [Example("a", "", 1), Example("c", "", 0)]
    result = report(examples, [verdict(), verdict(label=False)], 1.0)
    assert result.event_fields == {} and result.as_json()["event_fields"] == {}


def test_read_jsonl_reads_event_fields(tmp_path: Path) -> None:
    rows = [
        {"title": "t", "text": "x", "label": 1, "visitor": "uz", "host": "fr"}
        | {"event_date": "2024-05-02", "place": "Paris", "status": "held"},
        {"title": "u", "text": "y", "label": 0, "visitor": None, "status": None},
        {"title": "v", "text": "z", "label": 1},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [e.event for e in read_jsonl(path)] == [TRUTH, None, None]
