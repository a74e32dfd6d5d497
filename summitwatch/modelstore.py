"""Which model is active, and how a new one is trained from seeds, reviews and label files.

The seed-only model is built on first use and cached (``classifier.training``); a model trained
with reviewers' labels is recorded in the ``models`` table and becomes active when
``summitwatch train`` (or the web UI) activates it. Before a new model replaces the old one, both
are evaluated on the reviewed items, each scored as if it had never been reviewed (held-out
folds, since both models may remember it), so the reviewer sees whether it got better.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from classifier.detector import Detector
from classifier.evaluation import evaluate_held_out
from classifier.model import SummitModel
from classifier.training import (
    as_reviewed,
    combine,
    load_model,
    load_or_train,
    load_seeds,
    model_path,
    read_jsonl,
    save_model,
    train,
)
from classifier.verdict import Example
from summitwatch.storage import registry
from summitwatch.storage import reviews as review_store

log = logging.getLogger(__name__)
PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seeds_dir(app: Any) -> Path:
    configured = str(app.settings["classifier.seeds_dir"])
    if configured:
        return Path(configured).expanduser()
    return PROJECT_SEEDS if PROJECT_SEEDS.is_dir() else Path("seeds")


def cache_dir(app: Any) -> Path:
    configured = str(app.settings["classifier.cache_dir"])
    base = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_cache_dir("summitwatch"))
    )
    return base / "models"


class ModelNotTrained(RuntimeError):
    """No model is active and the seed model is not in the cache: ``prepare_model`` (or
    ``summitwatch train``) must run first. Training is an explicit step, never a getter's."""


def seed_model(app: Any) -> SummitModel:
    """The cached seed model; ``ModelNotTrained`` when the cache has none for these seeds."""
    path = model_path(cache_dir(app), load_seeds(seeds_dir(app)))
    model = load_model(path)
    if model is not None:
        return model
    if path.is_file():
        raise ModelNotTrained(f"model cache {path} is unreadable: run `summitwatch train`")
    raise ModelNotTrained(
        f"no model trained from {seeds_dir(app)} yet in {cache_dir(app)}: run `summitwatch train`"
    )


def model_ready(app: Any) -> bool:
    """Whether a model is there to classify with, without loading it."""
    current = registry.active(app.db)
    if current is not None and current[0] and Path(current[0]).is_file():
        return True
    return model_path(cache_dir(app), load_seeds(seeds_dir(app))).is_file()


def prepare_model(app: Any, say: Callable[[str], None] | None = None) -> bool:
    """Make sure a model is there to classify with: the active one, or the seed model, trained
    now (with ``say`` told what is happening and how long it took) when the cache has none.
    Returns True when it trained."""
    if model_ready(app):
        return False
    examples = load_seeds(seeds_dir(app))
    if say is not None:
        say(f"training the model from {len(examples)} examples in {seeds_dir(app)} (first run)")
    start = time.perf_counter()
    load_or_train(examples, cache_dir(app), sources={"seeds": len(examples)}, force=True)
    if say is not None:
        say(f"model trained in {time.perf_counter() - start:.1f} s, cached in {cache_dir(app)}")
    return True


def active_model(app: Any) -> SummitModel:
    current = registry.active(app.db)
    # an active model that cannot be read falls back to the seed model rather than stop the
    # pipeline (load_model logged why)
    model = load_model(Path(current[0])) if current is not None and current[0] else None
    return model if model is not None else seed_model(app)


def review_examples(app: Any) -> list[Example]:
    return [
        Example(
            r.title, r.text, r.label, r.countries, r.lang, id=f"review:{n}", published=r.published
        )
        for n, r in enumerate(review_store.review_labels(app.db))
    ]


@dataclass(frozen=True)
class TrainOutcome:
    model: SummitModel
    path: Path
    activated: bool
    old_eval: dict[str, Any] | None
    new_eval: dict[str, Any] | None


def train_new(
    app: Any,
    *,
    labels: list[Path] | None = None,
    activate: bool = True,
    progress: Any = None,
) -> TrainOutcome:
    """Train on seeds + reviews + label files, evaluate against the reviews, then activate."""
    seeds = load_seeds(seeds_dir(app))
    reviews = as_reviewed(review_examples(app))
    extra = as_reviewed(e for path in labels or [] for e in read_jsonl(path))
    examples = combine(seeds, extra, reviews)
    if progress:
        progress("training", 0.1)
    model = train(
        examples, sources={"seeds": len(seeds), "labels": len(extra), "reviews": len(reviews)}
    )
    path = cache_dir(app) / f"{model.version}.joblib"
    save_model(model, path)
    if progress:
        progress("evaluating", 0.7)
    old_eval = new_eval = None
    if reviews:
        threshold = float(app.settings["classifier.threshold"])
        prepare_model(app)  # the model to compare with: the seed model on a first training
        old = Detector(active_model(app), watched=app.watched, threshold=threshold)
        new = Detector(model, watched=app.watched, threshold=threshold)
        # both models may remember these reviews: score each as if it had never been made
        old_eval = evaluate_held_out(old, reviews).as_json()
        new_eval = evaluate_held_out(new, reviews).as_json()
    registry.record(
        app.db,
        version=model.version,
        trained_at=datetime.now(UTC),
        n_train=model.n_train,
        n_reviews=len(reviews),
        metrics={**model.metrics, "reviews_eval": new_eval},
        path=str(path),
        activate=activate,
    )
    if activate:
        app.reset_detector()
    if progress:
        progress("done", 1.0)
    return TrainOutcome(model, path, activate, old_eval, new_eval)


def model_info(app: Any) -> dict[str, Any]:
    model = active_model(app)
    current = registry.active(app.db)
    trained_since = current[1] if current is not None else None
    reviews_since = review_store.count_reviews(app.db, since=trained_since)
    return {
        "version": model.version,
        "trained_at": model.trained_at,
        "sklearn_version": model.sklearn_version,
        "n_train": model.n_train,
        "n_positive": model.n_positive,
        "metrics": model.metrics,
        "sources": model.sources,
        "reviews_since_training": reviews_since,
    }
