"""Shared fixtures: database URLs for SQLite (always) and PostgreSQL (when configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_SKIP = "TEST_DATABASE_URL is not set: PostgreSQL storage tests skipped (.ci/run sets it)"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or the PostgreSQL test database wiped clean."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_SKIP)
    _reset_postgres(url)
    yield url


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache per test session with the seed model trained into it once, as
    ``summitwatch train`` (or a command's first-run step) would on a new machine."""
    from classifier.training import load_or_train, load_seeds
    from summitwatch.modelstore import PROJECT_SEEDS

    cache = tmp_path_factory.mktemp("model-cache")
    load_or_train(load_seeds(PROJECT_SEEDS), cache / "models")
    return cache
