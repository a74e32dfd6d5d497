"""Classifier fixtures: the seed model, trained once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.detector import Detector
from classifier.model import SummitModel
from classifier.training import load_or_train, load_seeds

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seed_model(model_cache: Path) -> SummitModel:
    return load_or_train(load_seeds(SEEDS), model_cache)


@pytest.fixture(scope="session")
def detector(seed_model: SummitModel) -> Detector:
    return Detector(seed_model)
