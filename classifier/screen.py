"""Ruling an item out from the gazetteer scan alone, before cues, n-grams, model and reasons.

Most news names no watched state and no leader, capital or city of one. Such an item can never be
flagged: a verdict needs a pair of states with a watched one (``event.pick_pair``), and every state
of a pair comes from a mention. So its verdict is written at once, score 0, with the places and
people it does name as evidence, and the costly steps are spent only on the items that remain.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from classifier.actors import is_dateline
from classifier.gazetteer import Gazetteer, Mention

RULED_OUT = "no watched state or leader of one named"


@dataclass(frozen=True, slots=True)
class RuledOut:
    """What the scan found in an item that names no watched state."""

    title_mentions: tuple[Mention, ...]
    text_mentions: tuple[Mention, ...]


def screen(
    title: str, text: str, gazetteer: Gazetteer, watched: Collection[str], on: date | None = None
) -> RuledOut | None:
    """The scan of an item that can be ruled out, or None when it must be scored.

    Any mention of a watched state counts, even an ambiguous one or a former leader: the rule
    must never drop an item the model could have flagged, only spare it the work.
    """
    if is_dateline(title):
        # analyse() reads such a headline out of the text: leave the item to the full path
        return None
    in_title = tuple(gazetteer.find(title, on))
    if any(m.code in watched for m in in_title):
        return None
    in_text = tuple(gazetteer.find(text, on))
    if any(m.code in watched for m in in_text):
        return None
    return RuledOut(in_title, in_text)
