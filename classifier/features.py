"""Feature extraction: from a title and a text to the numbers the model weighs.

Two kinds of features. Structured ones come from the gazetteer (which states, leaders, capitals
are named, and where) and the cue lexicon (talks, state visit, phone call, multilateral formats,
ministers ...), counted separately in the title and the body because a headline says what the
article is about. Text features are character n-grams of the text with every state, leader and
place replaced by a placeholder, so that the model learns how a summit is reported ("held talks
with ⟨L⟩ in ⟨P⟩") rather than which countries happened to meet in the training examples.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from classifier.actors import actor_features, is_dateline
from classifier.cues import CueHit, CueLexicon
from classifier.gazetteer import Gazetteer, Mention

# placeholders used in the masked text; single characters keep n-grams short
MASKS = {
    "country": "⟨C⟩",
    "adjective": "⟨A⟩",
    "capital": "⟨P⟩",
    "venue": "⟨P⟩",
    "leader": "⟨L⟩",
    "former": "⟨L⟩",
}
STRONG_KINDS = frozenset({"country", "adjective", "leader"})
LEAD_MAX = 400
NGRAM_CHARS = 1000
_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)|\n")
TITLE_CUES = (
    "talks",
    "state_visit",
    "counterpart",
    "summit",
    "phone_call",
    "multilateral",
    "ministerial",
    "parliamentary",
    "announcement",
    "held",
    "sidelines",
    "bilateral",
    "leader_title",
    "attend",
    "formal_visit",
    "working_visit",
    "message",
)

# What each feature must mean for a summit, whatever a small training set suggests: +1 may only
# raise the score, -1 may only lower it (see ``model._fit_signed``); unlisted features are free.
_AGAINST = ("phone_call", "ministerial", "parliamentary", "multilateral", "attend", "message")
_FOR = ("state_visit", "formal_visit", "talks", "counterpart", "bilateral", "welcome_ceremony")
SIGN_PRIORS: dict[str, int] = {
    **{f"{where}:{cue}": -1 for cue in _AGAINST for where in ("cue", "title", "lead")},
    **{f"{where}:{cue}": 1 for cue in _FOR for where in ("cue", "title", "lead")},
    **dict.fromkeys(
        (
            "states_ge3",
            "states_ge4",
            "title_states_ge3",
            "leader_states_ge3",
            "third_state_share",
            "phone_no_visit",
            "ministerial_no_leader",
            "multilateral_and_many",
            "multilateral_no_bilateral",
            "lead_multilateral_no_bilateral",
            "attend_multilateral",
            "multilateral_share",
            "working_visit_multilateral",
            "lone_head_no_meeting",
            "minister_leads",
            "phone_opening",
            "message_opening",
            "attend_event_near",
        ),
        -1,
    ),
    **dict.fromkeys(
        (
            "pair_with_watched",
            "states_eq2",
            "title_states_eq2",
            "leader_states_eq2",
            "watched_leader",
            "leader_meeting",
            "title_meeting_no_phone",
            "top2_share",
        ),
        1,
    ),
}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the gazetteer and the cue lexicon found in one item."""

    title: str
    text: str
    title_mentions: tuple[Mention, ...]
    text_mentions: tuple[Mention, ...]
    title_cues: tuple[CueHit, ...]
    text_cues: tuple[CueHit, ...]
    # when the headline was only a dateline, the body's first sentence stands in for it, and
    # this is where that sentence starts in the text (title offsets + it = text offsets)
    headline_at: int | None = None

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return self.title_mentions + self.text_mentions

    @property
    def cues(self) -> tuple[CueHit, ...]:
        return self.title_cues + self.text_cues


def analyse(
    title: str, text: str, gazetteer: Gazetteer, lexicon: CueLexicon, on: date | None = None
) -> Analysis:
    """Mentions and cues of an item; ``on`` (its publication date, when known) tells a leader in
    office from a former one."""
    headline_at = None
    if is_dateline(title):
        # "ДУШАНБЕ, 29 ноя — Sputnik." says nothing; the story's first sentence says what it is
        start = len(text) - len(text.lstrip())
        if text.startswith(title.strip(), start):  # the excerpt repeats the dateline
            start += len(title.strip())
        start += len(text[start:]) - len(text[start:].lstrip())
        body = text[start:]
        headline_at, title = start, body[: lead_end(body)].rstrip()
    return Analysis(
        title=title,
        text=text,
        title_mentions=tuple(gazetteer.find(title, on)),
        text_mentions=tuple(gazetteer.find(text, on)),
        title_cues=tuple(lexicon.find(title)),
        text_cues=tuple(lexicon.find(text)),
        headline_at=headline_at,
    )


def state_weights(analysis: Analysis) -> dict[str, float]:
    """How strongly each state is a principal of the item: leaders and the title count most."""
    weights: defaultdict[str, float] = defaultdict(float)
    for m, in_title in [(m, True) for m in analysis.title_mentions] + [
        (m, False) for m in analysis.text_mentions
    ]:
        base = {"leader": 3.0, "country": 2.0, "adjective": 1.5}.get(m.kind, 0.7)
        if getattr(m, "ambiguous", False):
            base *= 0.4
        weights[m.code] += base * (2.0 if in_title else 1.0)
    return weights


def _log(n: float) -> float:
    return math.log1p(n)


def lead_end(text: str) -> int:
    """End of the lead: the first sentence of the body (at most ``LEAD_MAX`` characters).

    News writing puts the event of the story in its first sentence; what comes later is
    background ("the presidents last met at the SCO summit ..."), so cues there weigh less.
    """
    match = _SENTENCE_END.search(text, 40, LEAD_MAX)
    return match.end() if match else min(len(text), LEAD_MAX)


def structured_features(analysis: Analysis, watched: Collection[str]) -> dict[str, float]:
    """Named numeric features; the names appear in explanations, so keep them readable.

    Counts are bucketed (``_eq2``, ``_ge3``) rather than raw: a raw count of states or leaders
    lets a linear model reward "many leaders", which is exactly what a multilateral summit has.
    The order of the names is the order of the model's columns: keep it.
    """
    f, states, leader_states = _state_features(analysis, watched)
    title_counts = Counter(c.cue for c in analysis.title_cues)
    text_counts = Counter(c.cue for c in analysis.text_cues)
    cut = lead_end(analysis.text)
    lead_counts = title_counts + Counter(c.cue for c in analysis.text_cues if c.start < cut)
    for cue in CueLexicon.default().classes():
        f[f"cue:{cue}"] = _log(title_counts[cue] + text_counts[cue])
    for cue in TITLE_CUES:
        f[f"title:{cue}"] = float(title_counts[cue] > 0)
        f[f"lead:{cue}"] = float(lead_counts[cue] > 0)
    f.update(_combinations(title_counts, text_counts, lead_counts, len(states), leader_states))
    actors = actor_features(
        (analysis.title_mentions, analysis.title_cues),
        (analysis.text_mentions, analysis.text_cues),
        cut,
    )
    if not actors.pop("ministers_count"):
        for name in ("cue:ministerial", "title:ministerial", "lead:ministerial"):
            f[name] = 0.0
    f.update(actors)
    return f


def _state_features(
    analysis: Analysis, watched: Collection[str]
) -> tuple[dict[str, float], set[str], set[str]]:
    """How many states and leaders are named, where, and how much the top two dominate; with
    the states and the states whose leader is named, which later features use."""
    strong = [m for m in analysis.mentions if m.kind in STRONG_KINDS]
    states = {m.code for m in strong}
    title_states = {m.code for m in analysis.title_mentions if m.kind in STRONG_KINDS}
    leader_states = {m.code for m in analysis.mentions if m.kind == "leader"}
    title_leader_states = {m.code for m in analysis.title_mentions if m.kind == "leader"}
    watched_states = states & set(watched)
    ranked = sorted(state_weights(analysis).values(), reverse=True)
    total = sum(ranked) or 1.0
    f = {
        "states_eq2": float(len(states) == 2),
        "states_ge3": float(len(states) >= 3),
        "states_ge4": float(len(states) >= 4),
        "title_states_eq2": float(len(title_states) == 2),
        "title_states_ge3": float(len(title_states) >= 3),
        "watched_named": float(bool(watched_states)),
        "watched_in_title": float(bool(title_states & set(watched))),
        "leader_states_eq1": float(len(leader_states) == 1),
        "leader_states_eq2": float(len(leader_states) == 2),
        "leader_states_ge3": float(len(leader_states) >= 3),
        "watched_leader": float(bool(leader_states & set(watched))),
        "title_leaders_ge1": float(len(title_leader_states) >= 1),
        "top2_share": sum(ranked[:2]) / total,
        "third_state_share": (ranked[2] / total) if len(ranked) > 2 else 0.0,
        "pair_with_watched": float(len(states) >= 2 and bool(watched_states)),
    }
    return f, states, leader_states


def _combinations(
    title_counts: Counter[str],
    text_counts: Counter[str],
    lead_counts: Counter[str],
    n_states: int,
    leader_states: set[str],
) -> dict[str, float]:
    """Features of cues together: a call and no visit, a multilateral event with no bilateral
    part, a trip that exists for the multilateral event."""

    def anywhere(cue: str) -> int:
        return title_counts[cue] + text_counts[cue]

    f: dict[str, float] = {}
    meeting = title_counts["talks"] + title_counts["state_visit"] + title_counts["counterpart"]
    f["title_meeting_no_phone"] = float(meeting > 0 and title_counts["phone_call"] == 0)
    f["phone_no_visit"] = float(anywhere("phone_call") > 0 and anywhere("state_visit") == 0)
    f["ministerial_no_leader"] = float(anywhere("ministerial") > 0 and not leader_states)
    f["leader_meeting"] = float(
        len(leader_states) == 2
        and (text_counts["talks"] + text_counts["state_visit"] + meeting) > 0
    )
    f["multilateral_and_many"] = float(anywhere("multilateral") > 0 and n_states >= 3)
    # a state or official visit is bilateral by definition, like talks on the sidelines: "came
    # to Astana for the SCO summit and a state visit" reports a bilateral summit too
    two_way = ("bilateral", "sidelines", "formal_visit")
    lead_two_way = sum(lead_counts[c] for c in two_way)
    f["multilateral_no_bilateral"] = float(
        anywhere("multilateral") > 0 and sum(anywhere(c) for c in two_way) == 0
    )
    # "arrived in Astana to attend the SCO summit": the visit exists for the multilateral event
    f["attend_multilateral"] = float(
        (lead_counts["attend"] > 0 or anywhere("attend") > 1)
        and lead_counts["multilateral"] + lead_counts["summit"] > 0
        and lead_two_way == 0
    )
    f["lead_multilateral_no_bilateral"] = float(
        lead_counts["multilateral"] > 0 and lead_two_way == 0
    )
    # CIS protocol calls a trip to a multilateral event a "working visit" to its host
    f["working_visit_multilateral"] = float(
        lead_counts["working_visit"] > 0
        and anywhere("multilateral") + lead_counts["summit"] > 0
        and anywhere("formal_visit") + lead_counts["bilateral"] + lead_counts["sidelines"] == 0
    )
    f["multilateral_share"] = anywhere("multilateral") / (
        1.0 + anywhere("talks") + anywhere("state_visit") + anywhere("bilateral")
    )
    return f


def masked_text(analysis: Analysis) -> str:
    """Title and the start of the text, places and people replaced by placeholders, lower-cased.

    Only the first ``NGRAM_CHARS`` characters of the body feed the n-grams: how a story reports
    its event is written at the top, and counting n-grams is the classifier's main cost.
    """

    def mask(text: str, mentions: tuple[Mention, ...]) -> str:
        out, pos = [], 0
        for m in mentions:
            if m.end > len(text):
                break
            out.append(text[pos : m.start])
            out.append(MASKS.get(m.kind, "⟨P⟩"))
            pos = m.end
        out.append(text[pos:])
        return "".join(out)

    return (
        mask(analysis.title, analysis.title_mentions)
        + " ⟨T⟩ "
        + mask(analysis.text[:NGRAM_CHARS], analysis.text_mentions)
    ).lower()
