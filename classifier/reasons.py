"""Wording of a verdict's reasons: feature names turned into phrases an analyst can read.

A reason is one feature's contribution to the score. Features are standardised, so a feature
that is *absent* also contributes (a missing phone-call cue pushes the score up, since phone
calls are negatives): such reasons say "no phone call in the opening sentence" or "exactly two
states named: no", never just "phone call", which would read as the opposite of what happened.
"""

from __future__ import annotations

# what the cue classes of classifier/data/cues.json stand for
CUES = {
    "agreements": "agreements signed",
    "announcement": "future tense (announced)",
    "attend": "attending an event",
    "bilateral": "'bilateral'",
    "counterpart": "'counterpart'",
    "formal_visit": "state or official visit",
    "held": "past tense (held)",
    "leader_title": "president or prime minister",
    "message": "message, congratulations or condolences",
    "ministerial": "minister-level wording",
    "multilateral": "multilateral format",
    "parliamentary": "parliament-level wording",
    "phone_call": "phone call",
    "sidelines": "'on the sidelines'",
    "state_visit": "visit wording",
    "summit": "'summit'",
    "talks": "talks",
    "welcome_ceremony": "welcome ceremony",
    "working_visit": "working visit",
}
WHERE = {"title": "in the headline", "lead": "in the opening sentence", "cue": "in the text"}

FEATURES = {
    "attend_event_near": "attending the summit or event named next to it",
    "attend_multilateral": "attending a multilateral event",
    "lone_head_no_meeting": "one leader and nobody of rank to meet",
    "message_opening": "a message, congratulations or condolences in the opening",
    "minister_leads": "a minister is the principal actor",
    "phone_opening": "a call in the opening, no visit",
    "lead_multilateral_no_bilateral": "opening sentence on a multilateral event, no bilateral part",
    "leader_meeting": "leaders meeting",
    "leader_states_eq1": "one state's leader named",
    "leader_states_eq2": "leaders of two states named",
    "leader_states_ge3": "leaders of three or more states named",
    "ministerial_no_leader": "ministers but no leader",
    "multilateral_and_many": "multilateral format and many states",
    "multilateral_no_bilateral": "multilateral format, no bilateral part",
    "pair_with_watched": "a pair of states with a watched one",
    "phone_no_visit": "phone call and no visit",
    "states_eq2": "exactly two states named",
    "states_ge3": "three or more states named",
    "states_ge4": "four or more states named",
    "title_leaders_ge1": "a leader in the headline",
    "title_meeting_no_phone": "a meeting in the headline, not a call",
    "title_states_eq2": "two states in the headline",
    "title_states_ge3": "three or more states in the headline",
    "watched_in_title": "a watched state in the headline",
    "watched_leader": "a watched state's leader named",
    "watched_named": "a watched state named",
    "working_visit_multilateral": "working visit to a multilateral event",
}
# continuous features: (above their usual value, below it) rather than present or absent
SHARES = {
    "multilateral_share": ("much multilateral wording", "little multilateral wording"),
    "third_state_share": ("a third state often mentioned", "a third state rarely mentioned"),
    "top2_share": ("two states dominate the mentions", "mentions spread beyond two states"),
}


def describe(name: str, present: bool, above_usual: bool) -> str:
    """The phrase for feature ``name``; ``present``: its raw value is non-zero;
    ``above_usual``: it is above its training mean (used for the share features)."""
    if name.startswith("text:"):
        return f"wording like {name[5:]}"
    if name in SHARES:
        return SHARES[name][0 if above_usual else 1]
    prefix, _, cue = name.partition(":")
    if cue and prefix in WHERE:
        phrase = f"{CUES.get(cue, cue.replace('_', ' '))} {WHERE[prefix]}"
        return phrase if present else f"no {phrase}"
    phrase = FEATURES.get(name, name.replace("_", " "))
    return phrase if present else f"{phrase}: no"


def reason(name: str, contribution: float, present: bool, above_usual: bool) -> str:
    sign = "+" if contribution >= 0 else "-"
    return f"{sign}{abs(contribution):.2f} {describe(name, present, above_usual)}"
