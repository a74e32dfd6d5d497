"""Faults an operator meets, through the real command line: each is one line on stderr naming
the path or address and the problem, exit code 2, and no traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.summitwatch.test_cli import run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def _one_line(done, mentions: str) -> None:  # type: ignore[no-untyped-def]
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and mentions in lines[0], done.stderr


@pytest.mark.parametrize(
    ("command", "url", "mentions"),
    [
        pytest.param(
            ["feeds", "list"],
            "postgresql://postgres:s3cret@127.0.0.1:{port}/nowhere",
            "Connection refused",
            id="postgres-unreachable",
        ),
        pytest.param(
            ["countries", "list"],
            "sqlite:///{tmp}/a-file/summitwatch.db",
            "is a file, not a folder",
            id="folder-is-a-file",
        ),
        pytest.param(
            ["recipients", "list"],
            "sqlite:////proc/summitwatch.db",
            "unable to open database file",
            id="folder-not-writable",
        ),
    ],
)
def test_a_database_that_cannot_be_opened_is_one_line(
    tmp_path: Path, model_cache: Path, command: list[str], url: str, mentions: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    url = url.format(port=_free_port(), tmp=tmp_path)
    done = run(tmp_path, model_cache, "--set", f"database.url={url}", *command)
    _one_line(done, mentions)
    assert "s3cret" not in done.stderr + done.stdout


def test_config_show_works_without_a_database(tmp_path: Path, model_cache: Path) -> None:
    url = f"postgresql://postgres:s3cret@127.0.0.1:{_free_port()}/nowhere"
    done = run(tmp_path, model_cache, "--set", f"database.url={url}", "config", "show")
    assert done.returncode == 0, done.stderr
    assert (
        "classifier.threshold" in done.stdout and "watched now (database): unknown" in done.stdout
    )
    assert "s3cret" not in done.stdout and "***" in done.stdout


def test_serve_on_a_port_in_use_is_one_line(
    tmp_path: Path, model_cache: Path, busy_port: int
) -> None:
    done = run(tmp_path, model_cache, "--set", f"web.port={busy_port}", "serve")
    _one_line(done, f"cannot listen on 127.0.0.1:{busy_port}: Address already in use")


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        pytest.param(["--set", "classifier.threshold=1.5"], "0 to 1", id="threshold-above-one"),
        pytest.param(["--set", "collector.max_body_mb=nan"], "finite", id="nan"),
        pytest.param(["--set", "web.port=70000"], "1 to 65535", id="port-out-of-range"),
        pytest.param(["--set", "smtp.password=hunter2"], "SUMMITWATCH_SMTP_PASSWORD", id="secret"),
    ],
)
def test_bad_values_on_the_command_line(
    tmp_path: Path, model_cache: Path, args: list[str], mentions: str
) -> None:
    done = run(tmp_path, model_cache, *args, "config", "show")
    _one_line(done, mentions)
    assert "hunter2" not in done.stderr + done.stdout


def test_a_config_file_that_is_not_utf8(tmp_path: Path, model_cache: Path) -> None:
    (tmp_path / "latin.toml").write_bytes("# Almaty, café\n".encode("latin-1"))
    done = run(tmp_path, model_cache, "--config", "latin.toml", "config", "show")
    _one_line(done, "latin.toml is not UTF-8 text")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://analyst:hunter2@feeds.example.org/rss", id="user-and-password"),
        pytest.param("https://hunter2@feeds.example.org/rss", id="user-only"),
    ],
)
def test_feed_urls_with_credentials_are_refused(
    tmp_path: Path, model_cache: Path, url: str
) -> None:
    added = run(tmp_path, model_cache, "feeds", "add", "--no-check", url)
    if "No such option" in added.stderr:  # --no-check arrives with the feed check of feeds add
        added = run(tmp_path, model_cache, "feeds", "add", url)
    _one_line(added, "user name or password are refused")
    (tmp_path / "with-creds.toml").write_text(f'[[feeds]]\nurl = "{url}"\n', encoding="utf-8")
    configured = run(tmp_path, model_cache, "--config", "with-creds.toml", "feeds", "list")
    _one_line(configured, "feeds[0].url")
    listed = run(tmp_path, model_cache, "feeds", "list")
    assert "hunter2" not in added.stderr + configured.stderr + listed.stdout


def test_opml_import_skips_a_feed_with_credentials(tmp_path: Path, model_cache: Path) -> None:
    (tmp_path / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="A" xmlUrl="https://a.example.org/rss"/>'
        '<outline type="rss" text="B" xmlUrl="https://u:hunter2@b.example.org/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    done = run(tmp_path, model_cache, "feeds", "import", "feeds.opml")
    assert done.returncode == 0, done.stderr
    assert "2 feeds in feeds.opml, 1 added, 1 refused" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr
