"""Model registry across processes: a model activated by one App (the web UI's retrain) is the
one another App (the scheduler) classifies with at its next call, without a restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summitwatch import modelstore
from summitwatch.app import open_app

EXTRA = [
    {
        "title": "Presidents of Kyrgyzstan and Uzbekistan meet in Osh",
        "text": "Sadyr Japarov and Shavkat Mirziyoyev held talks in Osh on water and border trade.",
        "label": 1,
        "countries": ["KG", "UZ"],
        "lang": "en",
    },
    {
        "title": "Wheat prices rise in Almaty",
        "text": "Flour mills in Almaty raised prices.",
        "label": 0,
        "countries": ["KZ"],
        "lang": "en",
    },
]


def test_second_app_picks_up_a_newly_activated_model(tmp_path: Path, model_cache: Path) -> None:
    overrides = {
        "database.url": f"sqlite:///{tmp_path / 'sw.db'}",
        "classifier.cache_dir": str(model_cache),
    }
    web, scheduler = open_app(None, overrides, env={}), open_app(None, overrides, env={})
    before = scheduler.detector().model.version
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(e) for e in EXTRA), encoding="utf-8")
    outcome = modelstore.train_new(web, labels=[labels], activate=True)
    assert outcome.activated and outcome.model.version != before
    assert scheduler.detector().model.version == outcome.model.version
    web.close()
    scheduler.close()


def test_training_is_an_explicit_step_never_a_getters(tmp_path: Path) -> None:
    """On a new machine (empty model cache) asking for the model does not train it: the
    explicit step does, once, saying what it does; after it the getter finds the model."""
    overrides = {
        "database.url": f"sqlite:///{tmp_path / 'sw.db'}",
        "classifier.cache_dir": str(tmp_path / "fresh-cache"),
    }
    app = open_app(None, overrides, env={})
    with pytest.raises(modelstore.ModelNotTrained, match="summitwatch train"):
        modelstore.active_model(app)
    said: list[str] = []
    assert modelstore.prepare_model(app, said.append) is True
    assert said[0].startswith("training the model from") and "model trained in" in said[1]
    assert modelstore.prepare_model(app, said.append) is False and len(said) == 2
    assert modelstore.active_model(app).version
    app.close()
