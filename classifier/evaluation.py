"""Scoring a labelled file with a model, without training on it.

Produces the figures ``summitwatch evaluate`` prints: precision, recall, F1, the confusion
matrix, dyad accuracy (share of true positives whose predicted pair equals the labelled pair),
the same per language, false-positive rates per hard-negative category, the worst errors, the
scoring speed and, when the file labels them (``visitor``, ``host``, ``event_date``, ``place``,
``status``), how well the event fields of the correctly flagged items were read.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import py3langid

from classifier.detector import Detector, ItemInput
from classifier.memory import memory_key
from classifier.verdict import EventTruth, Example, Verdict


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: int, predicted: bool) -> None:
        if predicted and truth:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    def summary(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        n = self.tp + self.fp + self.fn + self.tn
        return {"n": n, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


@dataclass
class Report:
    n: int
    overall: dict[str, Any]
    confusion: dict[str, int]
    dyad_accuracy: float
    by_lang: dict[str, dict[str, Any]]
    by_category: dict[str, dict[str, Any]]
    items_per_second: float
    errors: list[dict[str, Any]] = field(default_factory=list)
    # empty when the file labels no event fields (see ``event_fields``)
    event_fields: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "precision": self.overall["precision"],
            "recall": self.overall["recall"],
            "f1": self.overall["f1"],
            "dyad_accuracy": self.dyad_accuracy,
            "confusion": self.confusion,
            "by_lang": self.by_lang,
            "by_category": self.by_category,
            "items_per_second": self.items_per_second,
            "errors": self.errors,
            "event_fields": self.event_fields,
        }


def _input(example: Example) -> ItemInput:
    return ItemInput(example.title, example.text, example.lang, example.published)


def evaluate(detector: Detector, examples: Sequence[Example], worst: int = 10) -> Report:
    inputs = [_input(e) for e in examples]
    started = time.perf_counter()
    verdicts = detector.classify_many(inputs, explain=False)
    return report(examples, verdicts, time.perf_counter() - started, worst)


def evaluate_held_out(
    detector: Detector, examples: Sequence[Example], folds: int = 5, worst: int = 10
) -> Report:
    """Evaluate a model on labelled items it may remember (reviews, ``--labels``) without
    testing on its own training data: each fold of ``examples`` is scored by the model with
    that fold forgotten. Reviews reach a model only through its memory, so this is what the
    model would score on those items had they been new."""
    model = detector.model
    confirmed = model.events
    if model.memory is None and confirmed is None:
        return evaluate(detector, examples, worst)
    by_index: dict[int, Verdict] = {}
    started = time.perf_counter()
    for fold in range(folds):
        members = range(fold, len(examples), folds)
        forgotten = {memory_key(examples[i].title, examples[i].text) for i in members}
        held_out = Detector(
            dataclasses.replace(
                model,
                memory=model.memory.forget(forgotten) if model.memory else None,
                events=confirmed.forget(forgotten) if confirmed else None,
            ),
            watched=detector.watched,
            threshold=detector.threshold,
        )
        scored = held_out.classify_many(
            [_input(examples[i]) for i in members],
            explain=False,
        )
        by_index.update(zip(members, scored, strict=True))
    verdicts = [by_index[i] for i in range(len(examples))]
    return report(examples, verdicts, time.perf_counter() - started, worst)


def report(
    examples: Sequence[Example], verdicts: Sequence[Verdict], elapsed: float, worst: int = 10
) -> Report:
    """The figures of ``verdicts`` against the labels of ``examples`` (same order)."""
    overall = Counts()
    per_lang: defaultdict[str, Counts] = defaultdict(Counts)
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    dyad_hits = dyad_total = 0
    errors: list[tuple[float, Example, Verdict]] = []
    for example, verdict in zip(examples, verdicts, strict=True):
        lang = example.lang or str(py3langid.classify(example.title + " " + example.text)[0])
        overall.add(example.label, verdict.label)
        per_lang[lang].add(example.label, verdict.label)
        if example.category:
            per_category[example.category][0] += 1
            per_category[example.category][1] += int(verdict.label)
        if example.label and verdict.label and example.countries:
            dyad_total += 1
            dyad_hits += int(set(verdict.countries) == set(example.countries))
        if bool(example.label) != verdict.label:
            errors.append((abs(example.label - verdict.score), example, verdict))
    errors.sort(key=lambda t: t[0], reverse=True)
    hits = [
        (e.event, v)
        for e, v in zip(examples, verdicts, strict=True)
        if e.label and v.label and e.event
    ]
    return Report(
        n=len(examples),
        overall=overall.summary(),
        confusion={"tp": overall.tp, "fp": overall.fp, "fn": overall.fn, "tn": overall.tn},
        dyad_accuracy=round(dyad_hits / dyad_total, 4) if dyad_total else 0.0,
        by_lang={lang: c.summary() for lang, c in sorted(per_lang.items())},
        by_category={
            cat: {"n": n, "flagged": k, "rate": round(k / n, 4)}
            for cat, (n, k) in sorted(per_category.items())
        },
        items_per_second=round(len(examples) / elapsed, 1) if elapsed > 0 else 0.0,
        errors=[
            {
                "id": e.id,
                "lang": e.lang,
                "label": e.label,
                "score": v.score,
                "countries": list(v.countries),
                "title": e.title[:120],
                "why": v.summary,
            }
            for _, e, v in errors[:worst]
        ],
        event_fields=event_fields(hits),
    )


def event_fields(hits: Sequence[tuple[EventTruth, Verdict]]) -> dict[str, Any]:
    """Accuracy of the event fields on correctly flagged items with labelled fields.

    ``status_accuracy``: held / announced as labelled. ``visitor_host_accuracy``: both roles as
    labelled (both None for a meeting in a third country). ``date_found``: share of the items
    whose text states a date where a date was read from the text (a publication date standing
    in for an unstated one does not count); ``date_exact``: and it is the labelled day.
    ``place_accuracy``: the city as labelled, None where the text names none (case-insensitive).
    Each ``*_n`` is the number of items the share is taken over.
    """
    if not hits:
        return {}
    statuses = [(t.status, v.status) for t, v in hits if t.status]
    dated = [(t.event_date, v) for t, v in hits if t.event_date]
    stated = [(day, v.event_date) for day, v in dated if v.event_date and not v.date_inferred]
    return {
        "n": len(hits),
        "status_accuracy": _share(sum(a == b for a, b in statuses), len(statuses)),
        "status_n": len(statuses),
        "visitor_host_accuracy": _share(
            sum((t.visitor, t.host) == (v.visitor, v.host) for t, v in hits), len(hits)
        ),
        "date_n": len(dated),
        "date_found": _share(len(stated), len(dated)),
        "date_exact": _share(sum(a == b for a, b in stated), len(dated)),
        "place_accuracy": _share(sum(_same_place(t.place, v.place) for t, v in hits), len(hits)),
    }


def _same_place(truth: str | None, read: str | None) -> bool:
    return (truth or "").casefold() == (read or "").casefold()


def _share(k: int, n: int) -> float:
    return round(k / n, 4) if n else 0.0
