"""Review memory: the reviewed news items a model remembers, to score items very like them.

Reviewers label real news from the feeds the model reads, and one event is reported by many
outlets in near-identical words, hours or days apart. A linear model over general features learns
little from a few dozen such labels (they are outnumbered by the written seeds and are noisier),
but the label of an item about the same event is strong evidence for the next report of it. So a
model trained with reviews also keeps them: word TF-IDF vectors of their title and first
paragraphs, and their labels. A new item's calibrated log-odds move toward the labels of the
reviewed items whose cosine similarity to it exceeds ``SIMILAR``, in proportion to how far above
it they are, and without bound as they approach a copy (a syndicated story the reviewer has
already judged takes the reviewer's label); items unlike every reviewed one are scored by the
linear model alone. The vectors
are fitted once at training time, so scoring stays deterministic and the memory is saved with
the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# word cosine from which two news items are about the same event. Among labelled news pairs,
# those at 0.3 or above share their label about nine times in ten, but near 0.3 the rare names
# of the same two leaders carry most of the similarity, so a call and a visit of one pair lean
# on each other: with 0.3 the review experiment lost F1 in 3 of 10 halvings and gained in 1; from
# 0.4 it changes nothing there (the corpus has no second report of one event across halves) and
# a rewritten report of a reviewed event still scores about 0.9
SIMILAR = 0.4
# log-odds shift toward a neighbour's label: PULL * c / (1 + COPY - c**4) for closeness c, which
# runs from 0 at SIMILAR to 1 for an identical text: about PULL * c up to c ~ 0.6, so a report
# of the same event only nudges the score, but PULL / COPY for a copy
PULL = 6.0
COPY = 0.05
NEIGHBOURS = 3  # at most this many neighbours vote, so a large cluster cannot drown the model
TEXT_CHARS = 1000  # the top of the story, where what happened is told
TITLE_CHARS = 90  # quoted in explanations
# an item's pair of states (empty when none was found) and date (None when unknown)
Context = tuple[frozenset[str], date | None]
UNKNOWN: Context = (frozenset(), None)
# items about different pairs of states this far apart are different stories (see ``recall``)
OTHER_PAIR_DAYS = 31


def memory_text(title: str, text: str) -> str:
    return f"{title}\n{text[:TEXT_CHARS]}"


def memory_key(title: str, text: str) -> str:
    """Identity of a remembered item (as ``training.combine`` identifies examples)."""
    return hashlib.sha256(f"{title.strip()}\x00{text.strip()}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Recall:
    """The reviewed item most like a scored one, and how it moved the score."""

    similarity: float
    label: int
    title: str
    shift: float  # total log-odds shift from every neighbour that voted

    def reason(self) -> str:
        verb = "confirmed" if self.label else "rejected"
        sign = "+" if self.shift >= 0 else "-"
        return (
            f"{sign}{abs(self.shift):.2f} similar ({self.similarity:.2f}) to an item a reviewer "
            f"{verb}: {self.title[:TITLE_CHARS]!r}"
        )


class ReviewMemory:
    """TF-IDF vectors and labels of reviewed items; see the module docstring."""

    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        matrix: sparse.csr_matrix,
        labels: Sequence[int],
        titles: Sequence[str],
        keys: Sequence[str] = (),
        contexts: Sequence[Context] = (),
    ) -> None:
        self.vectorizer = vectorizer
        self.matrix = matrix
        self.labels = np.asarray(labels, dtype=np.int8)
        self.titles = list(titles)
        self.keys = list(keys)
        self.contexts = list(contexts) or [UNKNOWN] * len(self.titles)

    @classmethod
    def build(
        cls,
        reviewed: Sequence[tuple[str, str, int]],
        background: Sequence[str],
        contexts: Sequence[Context] = (),
    ) -> ReviewMemory | None:
        """Memory of ``reviewed`` (title, text, label); word weights from ``background`` too.

        The document frequencies come from every training text, so the words all summit news
        shares ("president", "talks") weigh little and the ones naming an event weigh much.
        ``contexts`` holds each reviewed item's pair of states and date (see ``recall``).
        """
        if not reviewed:
            return None
        docs = [memory_text(t, x) for t, x, _ in reviewed]
        vectorizer = TfidfVectorizer(sublinear_tf=True, max_features=100_000, dtype=np.float32)
        vectorizer.fit([*background, *docs])
        matrix = sparse.csr_matrix(vectorizer.transform(docs).T)  # terms x reviewed items
        return cls(
            vectorizer,
            matrix,
            [y for _, _, y in reviewed],
            [t for t, _, _ in reviewed],
            [memory_key(t, x) for t, x, _ in reviewed],
            contexts,
        )

    def forget(self, keys: Collection[str]) -> ReviewMemory | None:
        """The same memory without the items of ``keys`` (None when nothing is left): what a
        model would know had those reviews never been made, for held-out evaluation."""
        known: list[str] = getattr(self, "keys", [])
        if not known:  # saved before keys were kept: it cannot tell its items apart
            return self
        kept = [j for j, key in enumerate(known) if key not in keys]
        if not kept:
            return None
        return ReviewMemory(
            self.vectorizer,
            self.matrix[:, kept],
            self.labels[kept].tolist(),
            [self.titles[j] for j in kept],
            [self.keys[j] for j in kept],
            [self._contexts()[j] for j in kept],
        )

    def __len__(self) -> int:
        return len(self.labels)

    def _contexts(self) -> list[Context]:
        # memories saved before contexts were kept know neither pairs nor dates
        return getattr(self, "contexts", None) or [UNKNOWN] * len(self.labels)

    def recall(
        self, docs: Sequence[str], contexts: Sequence[Context] | None = None
    ) -> tuple[np.ndarray, list[Recall | None]]:
        """Per document: the log-odds shift, and the closest reviewed item that caused it.

        With ``contexts`` (each document's pair of states and date), a reviewed item about
        another pair dated more than ``OTHER_PAIR_DAYS`` away is never a neighbour: it cannot be
        the same story, however many words the two share. In a language the training texts
        hardly contain, the commonest words look rare and carry the cosine: two Tagalog wire
        stories about visits eight years apart scored 0.63 on words alone. Another pair in the
        same weeks still counts, so rejecting a run of look-alike stories (leaders' spouses at a
        charity fair) also turns down the next one about other leaders.
        """
        known = self._contexts()
        shifts = np.zeros(len(docs))
        found: list[Recall | None] = [None] * len(docs)
        sims = (self.vectorizer.transform(docs) @ self.matrix).tocsr()
        signs = 2.0 * self.labels - 1.0
        for row in range(len(docs)):
            start, end = sims.indptr[row], sims.indptr[row + 1]
            values, columns = sims.data[start:end], sims.indices[start:end]
            near = values >= SIMILAR
            if contexts is not None and near.any():
                # checked only where the words are close: most items share some word with
                # hundreds of reviewed ones and are close to none
                near[near] = [_may_be_one_story(contexts[row], known[c]) for c in columns[near]]
            if not near.any():
                continue
            values, columns = values[near], columns[near]
            order = np.argsort(-values, kind="stable")[:NEIGHBOURS]
            closeness = np.minimum((values[order] - SIMILAR) / (1.0 - SIMILAR), 1.0)
            pull = PULL * closeness / (1.0 + COPY - closeness**4)
            shift = float((pull * signs[columns[order]]).sum())
            best = int(columns[order[0]])
            shifts[row] = shift
            found[row] = Recall(
                float(values[order[0]]), int(self.labels[best]), self.titles[best], shift
            )
        return shifts, found


def _may_be_one_story(a: Context, b: Context) -> bool:
    (pair_a, day_a), (pair_b, day_b) = a, b
    if not pair_a or not pair_b or pair_a == pair_b or day_a is None or day_b is None:
        return True
    return abs((day_a - day_b).days) <= OTHER_PAIR_DAYS
