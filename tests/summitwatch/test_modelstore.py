"""Model registry across processes: a model activated by one App (the web UI's retrain) is the
one another App (the scheduler) classifies with at its next call, without a restart."""

from __future__ import annotations

import json
from pathlib import Path

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
