"""The classifier's output: a verdict per item, with the evidence behind it.

These frozen dataclasses are the only things that leave the classifier package: the application
stores them (with the model version) and shows their evidence to reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the input that the verdict rests on."""

    kind: str  # "country" | "adjective" | "capital" | "venue" | "leader" | "cue"
    label: str  # ISO code for places and people, cue class for cues
    text: str
    field: str  # "title" | "text"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float
    label: bool
    countries: tuple[str, ...]  # the two states, or () when no pair was found
    visitor: str | None
    host: str | None
    status: str  # "announced" | "held" | "unknown"
    event_date: date | None
    place: str | None
    language: str | None
    model_version: str
    summary: str  # one line: why the item was (or was not) flagged
    reasons: tuple[str, ...]  # the features that pushed the score most, signed
    evidence: tuple[Evidence, ...]
    # True when no date was stated and ``event_date`` is the publication date of a held meeting
    date_inferred: bool = False


@dataclass(frozen=True, slots=True)
class EventTruth:
    """The labelled facts of a summit (files such as dev2.jsonl): what the verdict should read."""

    visitor: str | None = None  # None when the leaders met in a third country
    host: str | None = None
    event_date: date | None = None  # only when the text states day and month
    place: str | None = None  # city in English, None when the text names none
    status: str | None = None  # "held" | "announced"


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled training or evaluation example."""

    title: str
    text: str
    label: int
    countries: tuple[str, ...] = ()
    lang: str | None = None
    category: str | None = None
    id: str | None = None
    # how much the example counts in training: real news labelled by a reviewer teaches more
    # about the news the model will see than a written seed example does
    weight: float = 1.0
    # labelled real news (a reviewer's decision or a --labels file), remembered by the model
    reviewed: bool = False
    # when it was published: a confirmed report dates the summit for the other reports of it
    published: date | None = None
    # labelled event fields, when the file has them (evaluation only; training ignores them)
    event: EventTruth | None = None


class TrainingDataError(ValueError):
    """A seeds or labels file cannot be read; the message names the file and line."""
