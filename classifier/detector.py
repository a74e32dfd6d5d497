"""The classifier's front door: turn items into verdicts with a trained model.

``Detector`` bundles the gazetteer, the cue lexicon and a ``SummitModel``; ``classify_many`` is
the batch path the pipeline uses (one matrix product for the whole batch), ``classify`` the
single-item one. A verdict is flagged when its calibrated score reaches the threshold *and* a
pair of states with at least one watched state was found: a summit we cannot name is shown as a
near miss, never as an alert. An item that names no watched state at all is ruled out from the
gazetteer scan alone (``classifier.screen``), before the cues, the model and the explanations.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from classifier.cues import CueLexicon
from classifier.event import read_event
from classifier.features import Analysis, analyse
from classifier.gazetteer import Gazetteer
from classifier.reasons import CUES, reason
from classifier.screen import RULED_OUT, RuledOut, screen
from classifier.verdict import Evidence, Verdict

if TYPE_CHECKING:  # scikit-learn costs a second at import; commands that never score skip it
    from classifier.model import SummitModel

DEFAULT_WATCHED = ("KZ", "KG", "TJ", "TM", "UZ")
EXPLAIN_FLOOR = 0.05


@dataclass(frozen=True, slots=True)
class ItemInput:
    title: str
    text: str
    lang: str | None = None
    published: date | None = None


class Detector:
    def __init__(
        self,
        model: SummitModel,
        *,
        watched: Collection[str] = DEFAULT_WATCHED,
        threshold: float = 0.5,
        gazetteer: Gazetteer | None = None,
        lexicon: CueLexicon | None = None,
        rule_out: bool = True,
    ) -> None:
        self.model = model
        self.watched = frozenset(watched)
        self.threshold = threshold
        self.gazetteer = gazetteer or Gazetteer.default()
        self.lexicon = lexicon or CueLexicon.default()
        # off only to measure what the rule saves and to check it changes no label
        self.rule_out = rule_out

    def analyse(self, title: str, text: str, on: date | None = None) -> Analysis:
        return analyse(title, text, self.gazetteer, self.lexicon, on)

    def classify(
        self, title: str, text: str, lang: str | None = None, published: date | None = None
    ) -> Verdict:
        return self.classify_many([ItemInput(title, text, lang, published)])[0]

    def classify_many(self, items: Sequence[ItemInput], *, explain: bool = True) -> list[Verdict]:
        verdicts: dict[int, Verdict] = {}
        kept: list[int] = []
        for k, item in enumerate(items):
            ruled = (
                screen(item.title, item.text, self.gazetteer, self.watched, item.published)
                if self.rule_out
                else None
            )
            if ruled is None:
                kept.append(k)
            else:
                verdicts[k] = self._ruled_out(item, ruled)
        scored = self._score([items[k] for k in kept], explain) if kept else []
        verdicts.update(zip(kept, scored, strict=True))
        return [verdicts[k] for k in range(len(items))]

    def _ruled_out(self, item: ItemInput, ruled: RuledOut) -> Verdict:
        """Score 0: with no watched state named, no pair for a verdict can be found."""
        scan = Analysis(item.title, item.text, ruled.title_mentions, ruled.text_mentions, (), ())
        return Verdict(
            score=0.0,
            label=False,
            countries=(),
            visitor=None,
            host=None,
            status="unknown",
            event_date=None,
            place=None,
            language=item.lang or _detect_language(item.title + " " + item.text),
            model_version=self.model.version,
            summary=f"Not a bilateral summit — {RULED_OUT}",
            reasons=(RULED_OUT,),
            evidence=_evidence(scan),
        )

    def _score(self, items: Sequence[ItemInput], explain: bool) -> list[Verdict]:
        """The full path: cues, the pair of states, the model's score and its reasons."""
        analyses = [self.analyse(i.title, i.text, i.published) for i in items]
        all_facts = [
            read_event(a, self.watched, i.published) for a, i in zip(analyses, items, strict=True)
        ]
        # an item's date for matching confirmed summits: when it was published, else as stated
        dated = [
            (f.countries, i.published or f.event_date)
            for f, i in zip(all_facts, items, strict=True)
        ]
        scores, matrix, notes = self.model.scores(analyses, self.watched, dated)
        verdicts = []
        for row, (item, analysis, score) in enumerate(zip(items, analyses, scores, strict=True)):
            facts = all_facts[row]
            raw = float(score)
            if not facts.countries:
                # no nameable pair with a watched state: keep it visible as a near miss only
                raw = min(raw, self.threshold * 0.9)
            label = raw >= self.threshold
            # feature contributions only where someone will read them (flags and near misses)
            reasons: tuple[str, ...] = ()
            if explain and raw >= EXPLAIN_FLOOR:
                reasons = tuple(reason(*c) for c in self.model.contributions(matrix[row]))
            if explain and notes[row]:
                # a reviewer's decision on the same story or event is the first thing to tell
                reasons = (*notes[row], *reasons)
            evidence = _evidence(analysis)
            verdicts.append(
                Verdict(
                    score=round(raw, 4),
                    label=label,
                    countries=facts.countries,
                    visitor=facts.visitor,
                    host=facts.host,
                    status=facts.status,
                    event_date=facts.event_date,
                    place=facts.place,
                    language=item.lang or _detect_language(item.title + " " + item.text),
                    model_version=self.model.version,
                    summary=_summary(label, facts.countries, evidence, facts.place),
                    reasons=reasons,
                    evidence=evidence,
                    date_inferred=facts.date_inferred,
                )
            )
        return verdicts


def _detect_language(text: str) -> str | None:
    if not text.strip():
        return None
    import py3langid  # loads its model on first use; most items carry their feed's language

    # a few hundred characters settle the language; the cost grows with the length
    return str(py3langid.classify(text[:400])[0])


def _evidence(analysis: Analysis) -> tuple[Evidence, ...]:
    out: set[Evidence] = set()
    # a headline that stood in for a dateline is a sentence of the text: point into the text
    shift = analysis.headline_at
    title_field, at = ("title", 0) if shift is None else ("text", shift)
    for field_name, offset, mentions, cues in (
        (title_field, at, analysis.title_mentions, analysis.title_cues),
        ("text", 0, analysis.text_mentions, analysis.text_cues),
    ):
        out.update(
            Evidence(m.kind, m.code, m.text, field_name, m.start + offset, m.end + offset)
            for m in mentions
        )
        out.update(
            Evidence("cue", c.cue, c.text, field_name, c.start + offset, c.end + offset)
            for c in cues
        )
    return tuple(sorted(out, key=lambda e: (e.field != "title", e.start, e.end, e.kind, e.label)))


def _summary(
    label: bool, countries: tuple[str, ...], evidence: tuple[Evidence, ...], place: str | None
) -> str:
    # one name per leader: "Mirziyoyev" is the "Shavkat Mirziyoyev" named before it
    forms = sorted({e.text for e in evidence if e.kind == "leader"}, key=len, reverse=True)
    leaders = sorted(f for n, f in enumerate(forms) if not any(f in g for g in forms[:n]))[:3]
    cues = sorted({CUES.get(e.label, e.label) for e in evidence if e.kind == "cue"})[:4]
    parts = []
    if countries:
        parts.append("–".join(countries))
    if leaders:
        parts.append("leaders: " + ", ".join(leaders))
    if cues:
        parts.append("cues: " + ", ".join(cues))
    if place:
        parts.append(f"place: {place}")
    head = "Bilateral summit" if label else "Not a bilateral summit"
    return head + (" — " + "; ".join(parts) if parts else "")
