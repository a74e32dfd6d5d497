"""Fast scoring-time transform for the model's character n-gram TF-IDF features.

scikit-learn's ``TfidfVectorizer.transform`` with ``analyzer="char_wb"`` builds every n-gram of
every word and looks each one up in the vocabulary, raising and catching a ``KeyError`` for the
many that are not in it; for short news items that was half of the classifier's time. This
transform gives the same matrix (lower-cased words padded with a space, n-grams inside words,
sublinear term frequency, the fitted idf, L2-normalised rows) but remembers, per distinct word,
which vocabulary columns its n-grams hit, so a word seen before costs one dictionary lookup.
Words recur constantly across news items, so the cache is small and hot. Fitting still uses
scikit-learn; a test checks that both transforms agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# distinct words remembered; cleared when full, which in practice means never within a run
CACHE_LIMIT = 200_000


class CharNgramTransform:
    """``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)``'s transform, with a word cache."""

    def __init__(self, fitted: TfidfVectorizer) -> None:
        self.vocabulary: dict[str, int] = dict(fitted.vocabulary_)
        self.idf = np.asarray(fitted.idf_, dtype=np.float64)
        self.min_n, self.max_n = fitted.ngram_range
        self.dtype = fitted.dtype
        self.n_features = len(self.idf)
        self._words: dict[str, tuple[int, ...]] = {}

    def _columns(self, word: str) -> tuple[int, ...]:
        """Vocabulary columns of one word's n-grams, with repeats (they count as occurrences)."""
        get = self.vocabulary.get
        padded = f" {word} "
        length = len(padded)
        found: list[int] = []
        for n in range(self.min_n, self.max_n + 1):
            if length <= n:
                # as scikit-learn: a word no longer than n is one n-gram, and ends the word
                column = get(padded)
                if column is not None:
                    found.append(column)
                break
            for start in range(length - n + 1):
                column = get(padded[start : start + n])
                if column is not None:
                    found.append(column)
        return tuple(found)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        words = self._words
        if len(words) > CACHE_LIMIT:
            words.clear()
        # every occurrence is one column entry; scipy then sums the repeats of a row in C
        indptr = [0]
        columns: list[int] = []
        for text in texts:
            for word in text.lower().split():
                hit = words.get(word)
                if hit is None:
                    hit = words[word] = self._columns(word)
                columns.extend(hit)
            indptr.append(len(columns))
        cols = np.asarray(columns, dtype=np.int32)
        matrix = sparse.csr_matrix(
            (np.ones(len(cols)), cols, np.asarray(indptr, dtype=np.int32)),
            shape=(len(texts), self.n_features),
        )
        matrix.sum_duplicates()
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        matrix = sparse.diags(1.0 / norms) @ matrix
        return matrix.astype(self.dtype).tocsr()
