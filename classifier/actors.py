"""Who acts in an item: the heads of which states, and whether a minister is the principal.

A bilateral summit needs a head of state or government on *each* side. Names of leaders say so
directly; so does a leader's title next to a state ("the President of Uzbekistan", "le président
français", "رئيس الوزراء الطاجيكي"), which is how many reports, and most languages the cue
lexicon does not cover, name the second side. From these "heads" the features tell a meeting of
two leaders from one leader doing something alone (congratulating, receiving a minister, touring
a province), and tell the state where a meeting happens from a party to it.

Everything is read from the headline and the opening of the body: what an item is about is
said there, and scanning the rest costs time for little.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from classifier.cues import CueHit
from classifier.gazetteer import Mention

# the body's opening read for heads: about two sentences of wire copy
OPENING = 600
# how far a state may stand from a leader's title and still be the title's state: after it
# ("President of the Republic of Uzbekistan", "رئيس جمهورية أوزبكستان"), before it ("Kazakh
# President", "Қазақстан Республикасының Президенті")
AFTER_TITLE = 28
BEFORE_TITLE = 20
_STATE_KINDS = frozenset({"country", "adjective"})
# "his Uzbek counterpart" names a head as well as "the Uzbek president" does
_TITLES = frozenset({"leader_title", "counterpart"})
# an agency dateline used as a headline: "ДУШАНБЕ, 29 ноя — Sputnik.", "ASTANA, March 3 (Reuters)"
DATELINE = re.compile(
    r"[^\W\d_][^\W\d_ .-]*(?:[ -][^\W\d_]+)?,?\s+\d{1,2}[\s-]*[^\W\d_]*\.?\s*"
    r"(?:[-—–/(]\s*[^\W\d_][\w ./-]{0,20}\)?\.?)?"
)


def heads(
    mentions: tuple[Mention, ...], cues: tuple[CueHit, ...], limit: int | None = None
) -> set[str]:
    """States with a head of state or government named (before offset ``limit``, if given).

    Mentions and cues come sorted by start, as ``find`` returns them.
    """
    end = limit if limit is not None else 1 << 30
    found = {m.code for m in mentions if m.kind == "leader" and m.start < end}
    titles = [c for c in cues if c.cue in _TITLES and c.start < end]
    if not titles:
        return found
    # nothing else may stand between a title and its state ("President Tokayev received the
    # Chinese Foreign Minister": China has no head here)
    stops = sorted(
        [c.start for c in cues if c.cue == "ministerial" and c.start < end]
        + [m.start for m in mentions if m.start < end]
    )
    for m in mentions:
        if m.start >= end:
            break
        if m.kind not in _STATE_KINDS or m.code in found:
            continue
        for c in titles:
            if c.start > m.end + BEFORE_TITLE:
                break
            if c.end <= m.start <= c.end + AFTER_TITLE:
                lo, hi = c.end, m.start
            elif m.end <= c.start:
                lo, hi = m.end, c.start
            else:
                continue
            at = bisect_left(stops, lo)
            if at == len(stops) or stops[at] >= hi:
                found.add(m.code)
                break
    return found


def minister_leads(
    title: tuple[tuple[Mention, ...], tuple[CueHit, ...]],
    lead: tuple[tuple[Mention, ...], tuple[CueHit, ...]],
) -> bool:
    """Whether a minister is the principal actor: named in the headline (else the lead) before
    any head of state or government is. "Vice Premier Liu visited Astana and met Tokayev" is
    ministerial; "Tokayev and Mirziyoyev held talks; the foreign ministers signed ..." is not."""
    for mentions, cues in (title, lead):
        ministers = [c.start for c in cues if c.cue == "ministerial"]
        leaders = [m.start for m in mentions if m.kind == "leader"]
        leaders += [c.start for c in cues if c.cue == "leader_title"]
        if ministers:
            return not leaders or min(ministers) < min(leaders)
        if leaders:
            return False
    return False


def is_dateline(title: str) -> bool:
    """A headline that is only the agency's place-and-date line says nothing of the story."""
    stripped = title.strip()
    return len(stripped) <= 60 and DATELINE.fullmatch(stripped) is not None


def _near(a: list[CueHit], b: list[CueHit], reach: int) -> bool:
    """Whether a hit of ``a`` and one of ``b`` are at most ``reach`` characters apart."""
    return any(max(x.start - y.end, y.start - x.end) <= reach for x in a for y in b)


def actor_features(
    title: tuple[tuple[Mention, ...], tuple[CueHit, ...]],
    text: tuple[tuple[Mention, ...], tuple[CueHit, ...]],
    lead_cut: int,
) -> dict[str, float]:
    """Features on who meets whom; ``lead_cut`` ends the body's first sentence."""
    t_mentions, t_cues = title
    b_mentions, b_cues = text
    both = heads(t_mentions, t_cues) | heads(b_mentions, b_cues, OPENING)
    lead_cues = [*t_cues, *(c for c in b_cues if c.start < lead_cut)]
    opening = [*t_cues, *(c for c in b_cues if c.start < OPENING)]
    lead = {c.cue for c in lead_cues}
    meeting = lead & {"state_visit", "formal_visit", "working_visit", "talks", "counterpart"}
    in_person = lead & {"formal_visit", "working_visit", "welcome_ceremony", "sidelines"}
    leads = minister_leads(title, (b_mentions, tuple(c for c in b_cues if c.start < lead_cut)))
    events = [c for c in opening if c.cue in ("summit", "multilateral")]
    f = {
        # one leader, nobody of rank to meet: a message, a domestic trip, a minister received
        "lone_head_no_meeting": float(len(both) <= 1 and not meeting),
        "minister_leads": float(leads),
        "phone_opening": float(any(c.cue == "phone_call" for c in opening) and not in_person),
        "message_opening": float("message" in lead),
        # "will take part in the SCO summit": attending stands next to the event it is for
        "attend_event_near": float(
            _near([c for c in opening if c.cue == "attend"], events, 60)
            and not lead & {"sidelines", "bilateral", "formal_visit"}
        ),
    }
    # minister wording counts against a summit only when a minister is the principal actor,
    # not when ministers appear in the report of two leaders' meeting
    # (a minister in the headline or lead defines the event: "Tokayev received the Chinese
    # foreign minister"; one met only further down, at the signing, does not)
    lead_heads = heads(t_mentions, t_cues) | heads(b_mentions, b_cues, lead_cut)
    f["ministers_count"] = float(leads or "ministerial" in lead or len(lead_heads) < 2)
    return f
