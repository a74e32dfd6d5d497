"""The registry of trained models: which versions exist, where their files are, which is active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from summitwatch.storage.db import Database
from summitwatch.storage.models import ModelRecord


def active(db: Database) -> tuple[str, datetime] | None:
    """(path, trained_at) of the active model, or None when the seed model is in use."""
    with db.session() as s:
        row = s.scalar(select(ModelRecord).where(ModelRecord.active))
        return (row.path, row.trained_at) if row is not None else None


def record(
    db: Database,
    *,
    version: str,
    trained_at: datetime,
    n_train: int,
    n_reviews: int,
    metrics: dict[str, Any],
    path: str,
    activate: bool,
) -> None:
    with db.session() as s:
        if s.get(ModelRecord, version) is None:
            s.add(
                ModelRecord(
                    version=version,
                    trained_at=trained_at,
                    n_train=n_train,
                    n_reviews=n_reviews,
                    metrics=metrics,
                    path=path,
                    active=False,
                )
            )
            s.flush()
        if activate:
            s.execute(update(ModelRecord).values(active=False))
            s.execute(update(ModelRecord).where(ModelRecord.version == version).values(active=True))


def history(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(ModelRecord).order_by(ModelRecord.trained_at.desc()))
        return [
            {
                "version": r.version,
                "trained_at": r.trained_at,
                "n_train": r.n_train,
                "n_reviews": r.n_reviews,
                "metrics": r.metrics,
                "active": r.active,
            }
            for r in rows
        ]
