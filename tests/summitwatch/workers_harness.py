"""Real components for the workers tests: a fresh PostgreSQL database, a feed site on 127.0.0.1
that counts requests and can hold one, an SMTP server (aiosmtpd) that can hold or refuse a
message, and ``summitwatch worker`` processes started through the real entry point."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from summitwatch.app import App, open_app
from summitwatch.storage import catalog
from summitwatch.workers import schema

PG_SKIP = (
    "TEST_DATABASE_URL is not set: workers mode needs PostgreSQL, so the workers tests are "
    "skipped (.ci/run sets it to postgresql+psycopg://postgres@127.0.0.1:5432/test)"
)
# a tick every second and a 1 s heartbeat: a killed worker is noticed within ~4 s
FAST = ["--tick", "* * * * * *", "--heartbeat", "1", "--graceful-timeout", "5"]


@contextmanager
def fresh_database(suffix: str) -> Iterator[str]:
    """A new, empty database next to TEST_DATABASE_URL's (dropped again afterwards)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip(PG_SKIP)
    url = make_url(base)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """An RSS 2.0 document; items are (guid, title, description, link)."""
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{t}</title>"
        f"<description>{d}</description><link>{link}</link>"
        "<pubDate>Fri, 27 Nov 2026 08:00:00 +0000</pubDate></item>"
        for guid, t, d, link in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}"
        f"</title><link>http://127.0.0.1/</link><language>en</language>{body}</channel></rss>"
    ).encode()


@dataclass
class Site:
    """Documents served on 127.0.0.1, with a count of requests per path; ``hold`` makes the
    first request for a path wait until ``release`` (the connection's client may be dead)."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    held: set[str] = field(default_factory=set)
    entered: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def add(self, path: str, body: bytes, kind: str = "application/rss+xml") -> str:
        self.pages[path] = (kind, body)
        return self.base + path

    def hold(self, path: str) -> None:
        self.held.add(path)

    def release(self) -> None:
        self.released.set()


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.hits[self.path] += 1
                hold = self.path in site.held
                site.held.discard(self.path)
            if hold:
                site.entered.set()
                site.released.wait(60)
            page = site.pages.get(self.path)
            try:
                if page is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", page[0])
                self.send_header("Content-Length", str(len(page[1])))
                self.end_headers()
                self.wfile.write(page[1])
            except OSError:  # the client died while we held it
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release()
        server.shutdown()
        server.server_close()


@dataclass
class Inbox:
    """aiosmtpd handler: keeps accepted messages; can hold the first DATA until ``release``
    (then drops it, as a server does when its client vanished) or refuse addresses (550)."""

    hold_first: bool = False
    refuse: frozenset[str] = frozenset()
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    entered: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold_first and not self.entered.is_set():
            self.entered.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 60)
            return "451 4.4.2 connection lost"
        if set(envelope.rcpt_tos) & self.refuse:
            return "550 5.1.1 mailbox unavailable"
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 2.0.0 accepted"


@contextmanager
def smtp(inbox: Inbox) -> Iterator[int]:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        inbox.released.set()
        controller.stop()


def write_config(
    folder: Path,
    db_url: str,
    model_cache: Path,
    smtp_port: int | None = None,
    mode: str = "workers",
) -> Path:
    lines = [
        "[database]",
        f'url = "{db_url}"',
        "[runner]",
        f'mode = "{mode}"',
        "[classifier]",
        f'cache_dir = "{model_cache}"',
        "[collector]",
        "parse_workers = 0",
        "allow_private_networks = true",  # the feed site is on 127.0.0.1
        "[outbox]",
        f'dir = "{folder / "outbox"}"',
    ]
    if smtp_port is not None:
        lines += ["[smtp]", 'host = "127.0.0.1"', f"port = {smtp_port}", 'security = "none"']
    config = folder / "summitwatch.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def demo_feeds(site: Site) -> list[str]:
    """The demo feeds shipped with SummitWatch (60 items, 12 of them summits), on ``site``."""
    from summitwatch.demo import demo_feed_files

    kinds = {".json": "application/feed+json", ".atom": "application/atom+xml"}
    return [
        site.add(f"/demo/{p.name}", p.read_bytes(), kinds.get(p.suffix, "application/rss+xml"))
        for p in demo_feed_files()
    ]


def prepared(
    folder: Path, db_url: str, model_cache: Path, urls: list[str], smtp_port: int | None = None
) -> App:
    """The application on ``db_url`` with ``urls`` as feeds and the job queue's schema, the
    model trained (once per session, not by each worker)."""
    app = open_app(write_config(folder, db_url, model_cache, smtp_port), env={})
    for url in urls:
        catalog.add_feed(app.db, url)
    schema.upgrade(app.db)
    app.detector()
    return app


def environment(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMITWATCH_")}
    return {**env, "SUMMITWATCH_CONFIG": str(config), "PYTHONUNBUFFERED": "1"}


def summitwatch(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "summitwatch", *args],
        env=environment(config),
        capture_output=True,
        text=True,
        timeout=120,
    )


class Workers:
    """``summitwatch worker`` processes; on exit, kills the survivors and shows their logs."""

    def __init__(self, config: Path, folder: Path) -> None:
        self.config, self.folder = config, folder
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = self.folder / f"worker-{len(self.procs)}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "summitwatch", "worker", *args],
            env=environment(self.config),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append((proc, log))
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')}" for _, log in self.procs
        )

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()
        print(self.logs())  # shown by pytest when the test failed


def wait_until(
    check: Callable[[], bool], what: str, timeout: float = 60.0, every: float = 0.25
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for: {what}")


def scalar(db_url: str, sql: str, **params: Any) -> Any:
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def rows(db_url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()
