"""Retraining in the background: one job at a time, with progress the model page can poll.

Training runs in a thread so the UI stays responsive. A trained model is recorded but not
activated: the model page shows how the old and the new model score on the reviewed items, and
the reviewer decides. Activation switches the detector and rescores the stored items, so the
queue shows the new model's verdicts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from summitwatch.app import App

log = logging.getLogger(__name__)


@dataclass
class JobState:
    kind: str  # "train" | "activate"
    stage: str
    fraction: float
    started_at: datetime
    finished_at: datetime | None = None
    error: str | None = None
    version: str | None = None
    old_eval: dict[str, Any] | None = None
    new_eval: dict[str, Any] | None = None
    rescored: int = 0

    @property
    def running(self) -> bool:
        return self.finished_at is None


@dataclass(frozen=True)
class Candidate:
    """A trained model waiting for a reviewer to activate it."""

    version: str
    trained_at: datetime
    n_train: int
    n_reviews: int
    metrics: dict[str, Any]
    path: str


class Trainer:
    def __init__(self, app: App) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.state: JobState | None = None
        self.candidate: Candidate | None = None

    def snapshot(self) -> dict[str, Any] | None:
        with self._lock:
            if self.state is None:
                return None
            out = asdict(self.state)
            out["running"] = self.state.running
            out["candidate"] = self.candidate.version if self.candidate else None
            return out

    def _start(self, kind: str, target: Any, *args: Any) -> bool:
        with self._lock:
            if self.state is not None and self.state.running:
                return False
            self.state = JobState(kind, "starting", 0.0, datetime.now(UTC))
            self._thread = threading.Thread(
                target=self._run, args=(target, *args), name=f"summitwatch-{kind}", daemon=True
            )
            self._thread.start()
            return True

    def start_training(self) -> bool:
        return self._start("train", self._train)

    def start_activation(self, version: str) -> bool:
        if self.candidate is None or self.candidate.version != version:
            raise KeyError(f"no trained model {version!r} waits for activation")
        return self._start("activate", self._activate, self.candidate)

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _progress(self, stage: str, fraction: float) -> None:
        with self._lock:
            assert self.state is not None
            self.state.stage, self.state.fraction = stage, fraction

    def _run(self, target: Any, *args: Any) -> None:
        try:
            target(*args)
            self._progress("done", 1.0)
        except Exception as exc:  # shown on the model page; the server keeps running
            log.exception("background model job failed")
            with self._lock:
                assert self.state is not None
                self.state.error = f"{type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                assert self.state is not None
                self.state.finished_at = datetime.now(UTC)

    def _train(self) -> None:
        from summitwatch import modelstore

        outcome = modelstore.train_new(self.app, activate=False, progress=self._progress)
        m = outcome.model
        with self._lock:
            assert self.state is not None
            self.state.version = m.version
            self.state.old_eval, self.state.new_eval = outcome.old_eval, outcome.new_eval
            self.candidate = Candidate(
                m.version,
                datetime.now(UTC),
                m.n_train,
                m.sources.get("reviews", 0),
                {**m.metrics, "reviews_eval": outcome.new_eval},
                str(outcome.path),
            )

    def _activate(self, candidate: Candidate) -> None:
        from summitwatch.pipeline import classify_pending
        from summitwatch.storage import registry

        registry.record(
            self.app.db,
            version=candidate.version,
            trained_at=candidate.trained_at,
            n_train=candidate.n_train,
            n_reviews=candidate.n_reviews,
            metrics=candidate.metrics,
            path=candidate.path,
            activate=True,
        )
        self.app.reset_detector()
        with self._lock:
            assert self.state is not None
            self.state.version = candidate.version
            self.candidate = None
        self._progress("rescoring stored items", 0.5)
        scored, _ = classify_pending(self.app, rescore=True)
        with self._lock:
            assert self.state is not None
            self.state.rescored = scored
