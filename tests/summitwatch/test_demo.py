"""The README's first command, end to end: `summitwatch demo` against its own answer key.

The demo feeds ship with ``expected.json`` (written with the feeds, before the classifier was
tuned on them): which items are bilateral summits, which pair of countries each names, and which
items cover the same event. The demo runs as a real subprocess, through the console entry point.
"""

from __future__ import annotations

import email
import json
import os
import sqlite3
import subprocess
import sys
from email.message import Message
from pathlib import Path

import pytest

from summitwatch.demo import DEMO_FEEDS, demo_feed_files

EXPECTED = json.loads((DEMO_FEEDS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> tuple[Path, str]:
    workdir = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "SUMMITWATCH_CLASSIFIER_CACHE_DIR": str(model_cache), "COLUMNS": "200"}
    env.pop("SUMMITWATCH_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "summitwatch", "demo", "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return workdir, done.stdout


def _rows(workdir: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(workdir / "summitwatch.db") as conn:
        return conn.execute(sql).fetchall()


def test_demo_feed_files_exclude_the_answer_key() -> None:
    names = {p.name for p in demo_feed_files()}
    assert "expected.json" not in names and len(names) == 6


def test_demo_collects_every_item(demo_run: tuple[Path, str]) -> None:
    workdir, stdout = demo_run
    assert _rows(workdir, "SELECT count(*) FROM items") == [(EXPECTED["total_items"],)]
    assert "0 errors" in stdout


def test_demo_flags_exactly_the_summits(demo_run: tuple[Path, str]) -> None:
    workdir, _ = demo_run
    flagged = {uid for (uid,) in _rows(workdir, "SELECT uid FROM items WHERE flagged")}
    assert flagged == set(EXPECTED["positives"])


def test_demo_names_the_right_pairs(demo_run: tuple[Path, str]) -> None:
    workdir, _ = demo_run
    rows = _rows(workdir, "SELECT uid, country_a, country_b FROM items WHERE flagged")
    found = {uid: {a, b} for uid, a, b in rows}
    assert found == {uid: set(pair) for uid, pair in EXPECTED["pairs"].items()}


def test_demo_digest_groups_events_and_is_multipart(demo_run: tuple[Path, str]) -> None:
    workdir, stdout = demo_run
    emls = sorted((workdir / "outbox").glob("*.eml"))
    assert len(emls) == 1 and "digest written to" in stdout
    message = email.message_from_bytes(emls[0].read_bytes())
    assert message.get_content_type() == "multipart/alternative"
    parts: list[Message] = [p for p in message.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    [(raw_events,)] = _rows(workdir, "SELECT events FROM outbox")
    uid_of = dict(_rows(workdir, "SELECT id, uid FROM items"))
    groups = {frozenset(uid_of[i] for i in ids) for ids in json.loads(str(raw_events)).values()}
    assert groups == {frozenset(event) for event in EXPECTED["events"]}


def test_demo_prints_why_and_how_to_review(demo_run: tuple[Path, str]) -> None:
    _, stdout = demo_run
    assert "Flagged items" in stdout and "leaders:" in stdout
    assert "summitwatch --config" in stdout and "serve" in stdout
