"""The summit model: a calibrated linear model over structured and masked-text features.

Training is deterministic (fixed folds, lbfgs). The model is a logistic regression over the
structured features of ``classifier.features`` (standardised) and character n-grams of the
masked text (down-weighted, since a few hundred examples cannot carry many n-gram weights).
Its decision value is calibrated with Platt scaling fitted on out-of-fold decision values, so the
score means what it says and one linear model still explains every verdict: each feature's
contribution is its weight times its value.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from classifier.confirmed import ConfirmedEvents
from classifier.features import SIGN_PRIORS, Analysis, masked_text, structured_features
from classifier.memory import ReviewMemory, memory_text
from classifier.ngrams import CharNgramTransform

TEXT_WEIGHT = 0.35
# inverse regularisation strength, chosen on the development corpus (F1 0.89 at 0.5, 0.90 at 3)
C_REG = 3.0
_PACKAGE = Path(__file__).parent


@functools.cache
def code_fingerprint() -> str:
    """Digest of the classifier's own code and data: a changed feature or lexicon retrains.

    A version number bumped by hand is forgotten sooner or later, and a cached model whose
    features no longer match the code scores silently wrong.
    """
    h = hashlib.sha256()
    files = sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("data/*.json")])
    for path in files:
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class SummitModel:
    """Fitted parameters plus the metadata the model file carries."""

    version: str = ""
    trained_at: str = ""
    sklearn_version: str = sklearn.__version__
    n_train: int = 0
    n_positive: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    dict_vectorizer: DictVectorizer | None = None
    mean: Any = None
    scale: Any = None
    tfidf: TfidfVectorizer | None = None
    coef: Any = None
    intercept: float = 0.0
    platt_a: float = 1.0
    platt_b: float = 0.0
    # reviewed items the score of a very similar new item leans toward (classifier.memory)
    memory: ReviewMemory | None = None
    # confirmed summits that lift other reports of them (classifier.confirmed)
    events: ConfirmedEvents | None = None

    # -- features ----------------------------------------------------------------------

    def _matrix(self, analyses: Sequence[Analysis], watched: Collection[str]) -> sparse.csr_matrix:
        assert self.dict_vectorizer is not None and self.tfidf is not None
        # a plain lookup per known name: DictVectorizer.transform costs more than the features
        index = self._dense_index()
        dense = np.zeros((len(analyses), len(index)))
        for row, analysis in enumerate(analyses):
            for name, value in structured_features(analysis, watched).items():
                column = index.get(name)
                if column is not None:
                    dense[row, column] = value
        dense = (dense - self.mean) / self.scale
        text = self._ngrams().transform([masked_text(a) for a in analyses]) * TEXT_WEIGHT
        return sparse.hstack([sparse.csr_matrix(dense), text], format="csr")

    def _dense_index(self) -> dict[str, int]:
        cached: dict[str, int] | None = self.__dict__.get("_dense")
        if cached is None:
            assert self.dict_vectorizer is not None
            cached = {n: j for j, n in enumerate(self.dict_vectorizer.get_feature_names_out())}
            self.__dict__["_dense"] = cached
        return cached

    def _ngrams(self) -> CharNgramTransform:
        cached: CharNgramTransform | None = self.__dict__.get("_ngram_transform")
        if cached is None:
            assert self.tfidf is not None
            cached = CharNgramTransform(self.tfidf)
            self.__dict__["_ngram_transform"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        # the lookup caches are rebuilt on first use; the word cache would only bloat the file
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def feature_names(self) -> list[str]:
        # built once per loaded model: explanations look names up for every scored item
        cached: list[str] | None = self.__dict__.get("_names")
        if cached is None:
            assert self.dict_vectorizer is not None and self.tfidf is not None
            cached = list(self.dict_vectorizer.get_feature_names_out())
            cached += [f"text:{g!r}" for g in self.tfidf.get_feature_names_out()]
            self.__dict__["_names"] = cached
        return cached

    # -- fitting -----------------------------------------------------------------------

    def fit(
        self,
        analyses: Sequence[Analysis],
        labels: Sequence[int],
        watched: Collection[str],
        weights: Sequence[float] | None = None,
    ) -> SummitModel:
        # One BLAS thread: lbfgs makes thousands of calls on vectors too small to share out; on
        # a loaded machine each waited for a descheduled worker (40-50 s instead of 4, same
        # iterations). One thread also keeps the sums, and so the model, reproducible.
        with threadpool_limits(limits=1):
            return self._fit(analyses, labels, watched, weights)

    def _fit(
        self,
        analyses: Sequence[Analysis],
        labels: Sequence[int],
        watched: Collection[str],
        weights: Sequence[float] | None,
    ) -> SummitModel:
        y = np.asarray(labels, dtype=int)
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
        self.dict_vectorizer = DictVectorizer(sparse=False)
        dense = self.dict_vectorizer.fit_transform(
            [structured_features(a, watched) for a in analyses]
        )
        self.mean = dense.mean(axis=0)
        self.scale = dense.std(axis=0) + 1e-6
        self.tfidf = _vectorizer()
        self.tfidf.fit([masked_text(a) for a in analyses])
        self.__dict__.pop("_ngram_transform", None)
        x = self._matrix(analyses, watched)
        signs = self._signs()
        decision = np.zeros(len(y))
        folds = StratifiedKFold(
            n_splits=min(5, int(np.bincount(y).min())), shuffle=True, random_state=0
        )
        for train, test in folds.split(x, y):
            coef, intercept = _fit_signed(x[train], y[train], signs, w[train])
            decision[test] = x[test] @ coef + intercept
        platt = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), y, sample_weight=w)
        self.platt_a, self.platt_b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        oof = self._calibrate(decision) >= 0.5
        self.metrics = _metrics(y, oof)
        self.coef, self.intercept = _fit_signed(x, y, signs, w)
        self.n_train, self.n_positive = len(y), int(y.sum())
        self.trained_at = datetime.now(UTC).isoformat(timespec="seconds")
        return self

    def _signs(self) -> Any:
        """Per column: +1 / -1 where the weight's sign is known in advance, 0 where it is free."""
        signs = np.zeros(len(self.feature_names()))
        for j, name in enumerate(self.feature_names()):
            signs[j] = SIGN_PRIORS.get(name, 0)
        return signs

    def _calibrate(self, decision: Any, shift: Any = 0.0) -> Any:
        """Platt-scaled probability of a decision value; ``shift`` is added in log-odds."""
        return 1.0 / (1.0 + np.exp(-(self.platt_a * decision + self.platt_b + shift)))

    # -- scoring -----------------------------------------------------------------------

    def scores(
        self,
        analyses: Sequence[Analysis],
        watched: Collection[str],
        events: Sequence[tuple[Sequence[str], date | None]] | None = None,
    ) -> tuple[Any, sparse.csr_matrix, list[tuple[str, ...]]]:
        """Calibrated scores, the feature rows, and per item what the reviews it leaned on say.

        ``events`` gives each item's pair of states and date, to match confirmed summits.
        """
        x = self._matrix(analyses, watched)
        decision = np.asarray(x @ self.coef + self.intercept).ravel()
        shifts = np.zeros(len(analyses))
        notes: list[tuple[str, ...]] = [()] * len(analyses)
        contexts = [(frozenset(p), d) for p, d in events] if events is not None else None
        if self.memory is not None:
            docs = [memory_text(a.title, a.text) for a in analyses]
            near, recalls = self.memory.recall(docs, contexts)
            shifts += near
            notes = [(r.reason(),) if r is not None else () for r in recalls]
        # models saved before confirmed events existed read the class default, None
        if self.events is not None and events is not None:
            for row, (pair, day) in enumerate(events):
                match = self.events.match(pair, day)
                if match is not None:
                    shifts[row] += match.shift
                    notes[row] = (*notes[row], match.reason())
        return self._calibrate(decision, shifts), x, notes

    def contributions(
        self, row: sparse.csr_matrix, top: int = 5
    ) -> list[tuple[str, float, bool, bool]]:
        """The features of one row that moved the decision most: (name, weight × value × Platt
        a, whether the feature is present, whether it is above its training mean)."""
        names = self.feature_names()
        n_dense = len(self.mean)
        row = row.tocsr()
        found = []
        for j, v in zip(row.indices, row.data, strict=True):
            if v == 0.0:
                continue
            # a standardised value v is present when its raw value v * scale + mean is not 0
            raw = v * self.scale[j] + self.mean[j] if j < n_dense else v
            effect = float(v * self.coef[j] * self.platt_a)
            found.append((names[j], effect, bool(abs(raw) > 1e-9), bool(v > 0)))
        found.sort(key=lambda p: abs(p[1]), reverse=True)
        return found[:top]


def _fit_signed(x: sparse.csr_matrix, y: Any, signs: Any, weights: Any) -> tuple[Any, float]:
    """Logistic regression whose weights respect ``signs`` (sign-constrained by elimination).

    A few hundred training examples leave some weights with the wrong sign by accident (in the
    seeds, positives happened to name more leaders than negatives, so "three or more leaders"
    learnt a positive weight). A feature whose weight comes out against its prior is dropped
    and the model refitted, until none does.
    """
    keep = np.ones(x.shape[1])
    for _ in range(10):
        model = _logreg().fit(x @ sparse.diags(keep), y, sample_weight=weights)
        coef = model.coef_[0].astype(np.float64) * keep
        wrong = (signs * coef) < 0
        if not wrong.any():
            break
        keep[wrong] = 0.0
    return coef, float(model.intercept_[0])


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=2,
        max_features=30000,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _logreg() -> LogisticRegression:
    return LogisticRegression(C=C_REG, class_weight="balanced", max_iter=3000)


def _metrics(y: Any, predicted: Any) -> dict[str, Any]:
    tp = int(((predicted == 1) & (y == 1)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "cv_precision": round(precision, 4),
        "cv_recall": round(recall, 4),
        "cv_f1": round(f1, 4),
    }


def training_key(payload: Sequence[str]) -> str:
    """Digest of the training inputs and the library versions: the model cache key."""
    h = hashlib.sha256()
    for part in [code_fingerprint(), sklearn.__version__, np.__version__, *payload]:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def describe(model: SummitModel) -> str:
    return json.dumps(
        {
            "version": model.version,
            "trained_at": model.trained_at,
            "sklearn_version": model.sklearn_version,
            "n_train": model.n_train,
            "n_positive": model.n_positive,
            "metrics": model.metrics,
            "sources": model.sources,
        },
        ensure_ascii=False,
    )
