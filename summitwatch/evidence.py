"""The classifier's evidence offsets as spans of a text: what the web page marks up and the
terminal review styles.

Offsets come from the stored explanation of a verdict, which may have been made on another
version of the text; a span is kept only when it lies inside the text, matches the text it
claims, and does not overlap an earlier one. Neutral ground: no web or terminal imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

EVIDENCE_KINDS = frozenset({"country", "adjective", "capital", "venue", "leader", "cue"})

Span = tuple[int, int, str, str]


def spans(text: str, evidence: Iterable[Mapping[str, Any]], field: str) -> list[Span]:
    """Valid, non-overlapping (start, end, kind, label) spans of ``field`` within ``text``."""
    found = []
    for e in evidence:
        try:
            start, end = int(e["start"]), int(e["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if e.get("field") != field or not 0 <= start < end <= len(text):
            continue
        if e.get("text") and text[start:end] != e["text"]:
            continue  # offsets from another version of the text: show nothing rather than lie
        kind = str(e.get("kind", ""))
        found.append(
            (start, end, kind if kind in EVIDENCE_KINDS else "other", str(e.get("label", "")))
        )
    found.sort()
    out: list[Span] = []
    for span in found:
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out
