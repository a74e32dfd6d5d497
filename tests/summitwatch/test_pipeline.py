"""The whole pipeline against real components: feeds served over HTTP on 127.0.0.1, a real SMTP
server (aiosmtpd), and a real database (a SQLite file, and PostgreSQL when configured).

These are the promises an analyst relies on: every flagged event reaches the inbox once, a
failing mail server loses nothing, and a second cycle does not send the same digest again.
"""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from summitwatch import digest_steps, pipeline
from summitwatch.app import App, open_app
from summitwatch.demo import DEMO_FEEDS, demo_feed_files, serve_folder
from summitwatch.storage.db import utcnow


@dataclass
class Inbox:
    """aiosmtpd handler: keeps accepted messages; refuses the first ``refuse`` with 421."""

    refuse: int = 0
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "421 4.3.2 try again later"
            self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
            return "250 2.0.0 accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def feeds_url() -> Iterator[str]:
    with serve_folder(DEMO_FEEDS) as url:
        yield url


def make_app(tmp_path: Path, db_url: str, model_cache: Path, feeds_url: str, port: int) -> App:
    lines = ["[[recipients]]", 'email = "desk@example.org"', 'schedule = "daily 07:00"', ""]
    for path in demo_feed_files():
        lines += ["[[feeds]]", f'url = "{feeds_url}/{path.name}"', ""]
    config = tmp_path / "summitwatch.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    overrides = {
        "database.url": db_url,
        "classifier.cache_dir": str(model_cache),
        "collector.parse_workers": 0,
        "collector.allow_private_networks": True,  # the feeds are served on 127.0.0.1
        "smtp.host": "127.0.0.1",
        "smtp.port": port,
        "smtp.security": "none",
        "outbox.dir": str(tmp_path / "outbox"),
    }
    return open_app(config, overrides, env={})


def test_cycle_mails_one_digest_and_never_twice(
    tmp_path: Path, db_url: str, model_cache: Path, feeds_url: str
) -> None:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        app = make_app(tmp_path, db_url, model_cache, feeds_url, controller.port)
        first = pipeline.run_cycle(app, force_digest=True)
        assert first.collect.new_items == 60 and first.flagged == 12
        assert first.delivery.sent == 1
        [(rcpt, raw)] = inbox.messages
        assert rcpt == ["desk@example.org"]
        message = email.message_from_bytes(raw)
        assert message.get_content_type() == "multipart/alternative"
        # a second cycle finds nothing new: no second digest for the same period or items
        second = pipeline.run_cycle(app, force_digest=True)
        assert second.collect.new_items == 0 and second.delivery.sent == 0
        assert len(inbox.messages) == 1
        app.close()
    finally:
        controller.stop()


def test_refusing_server_delays_but_loses_nothing(
    tmp_path: Path, db_url: str, model_cache: Path, feeds_url: str
) -> None:
    inbox = Inbox(refuse=1)
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        app = make_app(tmp_path, db_url, model_cache, feeds_url, controller.port)
        report = pipeline.run_cycle(app, force_digest=True)
        assert report.delivery.retry == 1 and inbox.messages == []
        # retried once its backoff has passed
        later = digest_steps.deliver(app, now=utcnow() + timedelta(hours=1))
        assert later.sent == 1 and len(inbox.messages) == 1
        app.close()
    finally:
        controller.stop()


def test_server_down_keeps_the_digest_until_it_returns(
    tmp_path: Path, db_url: str, model_cache: Path, feeds_url: str
) -> None:
    port = _free_port()  # nothing listens here yet
    app = make_app(tmp_path, db_url, model_cache, feeds_url, port)
    report = pipeline.run_cycle(app, force_digest=True)
    assert report.delivery.sent == 0 and report.delivery.retry == 1
    assert "refused" in " ".join(d for _, _, d in report.delivery.details).lower()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = digest_steps.deliver(app, now=utcnow() + timedelta(hours=1))
        assert later.sent == 1 and len(inbox.messages) == 1
    finally:
        controller.stop()
        app.close()
