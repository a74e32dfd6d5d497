"""The fast n-gram transform must give exactly scikit-learn's TF-IDF matrix."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.model import _vectorizer
from classifier.ngrams import CharNgramTransform

TRAINING = [
    "the presidents held talks in ⟨p⟩ and signed agreements",
    "президенты провели переговоры в ⟨p⟩ и подписали соглашения",
    "les présidents ont tenu des entretiens à ⟨p⟩",
    "prezidentlar ⟨p⟩da muzokaralar o'tkazdi",
    "a phone call between the leaders of ⟨c⟩ and ⟨c⟩",
    "the ministers met in ⟨p⟩ for talks on trade and energy",
    "cumhurbaşkanları ⟨p⟩'da görüştü ve anlaşmalar imzaladı",
    "the summit of the leaders of the organisation in ⟨p⟩",
] * 2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("the presidents held talks in ⟨p⟩", id="seen-words"),
        pytest.param("The   Presidents\n\tHELD talks", id="case-and-whitespace"),
        pytest.param("a an i o talks talks talks talks", id="short-words-and-repeats"),
        pytest.param("переговоры переговоры в ⟨p⟩ соглашения", id="cyrillic"),
        pytest.param("zzzz qqqq xxxx", id="nothing-in-vocabulary"),
        pytest.param("", id="empty"),
        pytest.param("o'tkazdi görüştü présidents", id="apostrophes-and-accents"),
    ],
)
def test_fast_transform_equals_scikit_learn(text: str) -> None:
    fitted = _vectorizer().fit(TRAINING)
    docs = [text, TRAINING[0], text + " " + TRAINING[5]]
    expected = fitted.transform(docs)
    got = CharNgramTransform(fitted).transform(docs)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-6, atol=1e-7)


def test_word_cache_gives_the_same_rows_on_a_second_pass() -> None:
    transform = CharNgramTransform(_vectorizer().fit(TRAINING))
    first = transform.transform(TRAINING).toarray()
    second = transform.transform(TRAINING).toarray()
    np.testing.assert_array_equal(first, second)
