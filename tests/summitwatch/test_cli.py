"""The command line as a user meets it: the real entry point in a subprocess.

Bad input of every kind ends with one line on stderr naming what is wrong, exit code 2 and no
traceback; the management commands change the database and report what they did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summitwatch.demo import DEMO_FEEDS, serve_folder


def run(
    tmp_path: Path, model_cache: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("SUMMITWATCH_")
    }
    environment.update(
        SUMMITWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        SUMMITWATCH_CLASSIFIER_CACHE_DIR=str(model_cache),
        SUMMITWATCH_COLLECTOR_PARSE_WORKERS="0",
        COLUMNS="200",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "summitwatch", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


BAD_INPUT = [
    pytest.param(
        ["--set", "classifier.threshold=high", "config", "show"],
        "classifier.threshold",
        id="not-a-number",
    ),
    pytest.param(
        ["--set", "watch.countries=KZZ", "config", "show"], "did you mean KZ", id="country-typo"
    ),
    pytest.param(
        ["--set", "classifier.treshold=0.4", "config", "show"],
        "unknown setting",
        id="unknown-setting",
    ),
    pytest.param(["--set", "smtp.sender=nobody", "config", "show"], "smtp.sender", id="bad-sender"),
    pytest.param(
        ["--config", "missing.toml", "config", "show"], "missing.toml", id="missing-config"
    ),
    pytest.param(["countries", "add", "XX"], "XX", id="unknown-country"),
    pytest.param(["feeds", "add", "ftp://example.org/feed"], "ftp://", id="feed-scheme"),
    pytest.param(["recipients", "add", "not-an-address"], "not-an-address", id="bad-recipient"),
    pytest.param(
        ["recipients", "add", "a@example.org", "--schedule", "sometimes"],
        "sometimes",
        id="bad-schedule",
    ),
    pytest.param(["evaluate", "nothing-here.jsonl"], "nothing-here.jsonl", id="missing-file"),
]


@pytest.mark.parametrize(("args", "mentions"), BAD_INPUT)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, model_cache: Path, args: list[str], mentions: str
) -> None:
    done = run(tmp_path, model_cache, *args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and mentions in lines[0], done.stderr


def test_bad_config_file_names_the_file(tmp_path: Path, model_cache: Path) -> None:
    (tmp_path / "broken.toml").write_text("[watch\ncountries = 3\n", encoding="utf-8")
    done = run(tmp_path, model_cache, "--config", "broken.toml", "config", "show")
    assert done.returncode == 2 and "broken.toml" in done.stderr and "TOML" in done.stderr


def test_config_show_masks_secrets(tmp_path: Path, model_cache: Path) -> None:
    done = run(tmp_path, model_cache, "config", "show", SUMMITWATCH_SMTP_PASSWORD="hunter2-secret")
    assert done.returncode == 0, done.stderr
    assert "hunter2-secret" not in done.stdout and "smtp.password" in done.stdout


def test_countries_add_list_remove(tmp_path: Path, model_cache: Path) -> None:
    assert run(tmp_path, model_cache, "countries", "add", "az").returncode == 0
    listed = run(tmp_path, model_cache, "countries", "list").stdout
    assert "AZ" in listed and "KZ" in listed
    assert run(tmp_path, model_cache, "countries", "remove", "AZ").returncode == 0
    assert "AZ" not in run(tmp_path, model_cache, "countries", "list").stdout


def test_classify_explains_its_verdict(tmp_path: Path, model_cache: Path) -> None:
    text = (
        "Tokayev arrives in Tashkent on a state visit\n"
        "President Kassym-Jomart Tokayev held talks with President Shavkat Mirziyoyev in "
        "Tashkent; the two leaders signed agreements on water and transport."
    )
    done = run(tmp_path, model_cache, "classify", "--json", text)
    assert done.returncode == 0, done.stderr
    assert '"label": true' in done.stdout and "KZ" in done.stdout and "UZ" in done.stdout


def test_feeds_check_reports_without_storing(tmp_path: Path, model_cache: Path) -> None:
    with serve_folder(DEMO_FEEDS) as base:
        done = run(
            tmp_path,
            model_cache,
            "feeds",
            "check",
            f"{base}/steppe-wire.xml",
            SUMMITWATCH_COLLECTOR_ALLOW_PRIVATE_NETWORKS="true",  # served on 127.0.0.1
        )
    assert done.returncode == 0, done.stderr
    assert "status: ok" in done.stdout.lower() or "entries" in done.stdout.lower()
    assert "steppe" not in run(tmp_path, model_cache, "feeds", "list").stdout.lower()


def _jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


# Written for this test: a report a reviewer confirmed, and a later report of the same visit in
# German, which the seed model is unsure of.
CONFIRMED_REPORT = {
    "title": "Xi Jinping and Emomali Rahmon hold talks in Dushanbe",
    "text": "Chinese President Xi Jinping and Tajik President Emomali Rahmon held talks in "
    "Dushanbe on Friday during a state visit and signed a joint statement.",
    "label": 1,
    "countries": ["CN", "TJ"],
    "published": "2024-07-05",
}
GERMAN_REPORT = {
    # only the visitor is named: the seed model alone cannot tell it is a summit
    "title": "Xi Jinping in Duschanbe",
    "text": "Der chinesische Präsident Xi Jinping ist am Donnerstagabend in Duschanbe, "
    "der Hauptstadt Tadschikistans, gelandet.",
    "label": 1,
    "countries": ["CN", "TJ"],
    "lang": "de",
    "published": "2024-07-06",
}


def test_train_with_labels_then_evaluate(tmp_path: Path, model_cache: Path) -> None:
    labels = _jsonl(tmp_path / "labels.jsonl", CONFIRMED_REPORT)
    test = _jsonl(tmp_path / "test.jsonl", GERMAN_REPORT)

    def recall() -> float:
        done = run(tmp_path, model_cache, "evaluate", "--json", str(test))
        assert done.returncode == 0, done.stderr
        return float(json.loads(done.stdout)["recall"])

    assert recall() == 0.0  # the seed model misses it
    kept = run(tmp_path, model_cache, "train", "--labels", str(labels), "--no-activate")
    assert kept.returncode == 0, kept.stderr
    assert "1 of them dated confirmed summits" in kept.stdout and "activated" not in kept.stdout
    assert recall() == 0.0
    trained = run(tmp_path, model_cache, "train", "--labels", str(labels))
    assert trained.returncode == 0 and "activated" in trained.stdout, trained.stderr
    assert recall() == 1.0


def test_train_rejects_a_bad_labels_file(tmp_path: Path, model_cache: Path) -> None:
    bad = _jsonl(tmp_path / "bad.jsonl", {**CONFIRMED_REPORT, "published": "last Friday"})
    done = run(tmp_path, model_cache, "train", "--labels", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bad.jsonl:1" in done.stderr and "published must be an ISO date" in done.stderr
