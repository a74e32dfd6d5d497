"""``summitwatch demo``: one full offline cycle on feeds that ship with the project.

It serves ``summitwatch/demo_feeds`` over HTTP on 127.0.0.1 (so the real collector, with its
conditional GET and parsing, does the work), writes a small configuration into the work folder
(a fresh SQLite database, the local outbox, one recipient with the ``immediate`` schedule), runs
collect → classify → digest → deliver, and prints what was flagged and why.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from summitwatch import modelstore, pipeline
from summitwatch.app import open_app
from summitwatch.storage import items as item_store

DEMO_FEEDS = Path(__file__).parent / "demo_feeds"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on an ephemeral 127.0.0.1 port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_feed_files() -> list[Path]:
    # expected.json is the answer key for tests, not a feed
    return sorted(
        p for p in DEMO_FEEDS.iterdir() if p.suffix in FEED_SUFFIXES and p.name != "expected.json"
    )


def write_demo_config(workdir: Path, base_url: str) -> Path:
    lines = [
        "# written by `summitwatch demo`; safe to delete",
        "[database]",
        f'url = "sqlite:///{(workdir / "summitwatch.db").resolve()}"',
        "[watch]",
        'countries = ["KZ", "KG", "TJ", "TM", "UZ"]',
        "[outbox]",
        f'dir = "{(workdir / "outbox").resolve()}"',
        "[collector]",
        "parse_workers = 0",
        "",
        "[[recipients]]",
        'email = "analyst@example.org"',
        'schedule = "immediate"',
        'timezone = "Asia/Almaty"',
    ]
    for path in demo_feed_files():
        lines += ["", "[[feeds]]", f'url = "{base_url}/{path.name}"', f'name = "{path.stem}"']
    config = workdir / "summitwatch.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_demo(workdir: Path, console: Console, overrides: Mapping[str, Any] | None = None) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("summitwatch.db", "summitwatch.db-wal", "summitwatch.db-shm"):
        (workdir / stale).unlink(missing_ok=True)
    shutil.rmtree(workdir / "outbox", ignore_errors=True)
    with serve_folder(DEMO_FEEDS) as base_url:
        config = write_demo_config(workdir, base_url)
        # the demo must stay offline and self-contained whatever the environment says
        settings = {
            **(overrides or {}),
            "smtp.host": "",
            "collector.parse_workers": 0,
            # the demo feeds are served on 127.0.0.1, which the address policy refuses otherwise
            "collector.allow_private_networks": True,
            "database.url": f"sqlite:///{(workdir / 'summitwatch.db').resolve()}",
            "outbox.dir": str((workdir / "outbox").resolve()),
        }
        app = open_app(config, settings)
        console.print(f"serving {len(demo_feed_files())} demo feeds at {base_url}")
        if not modelstore.prepare_model(app, console.print):
            console.print("model: cached, trained from seeds/")
        report = pipeline.run_cycle(app, force_digest=True)
    console.print(report.collect.line())
    console.print(f"{report.scored} items classified, {report.flagged} flagged")
    table = Table(title="Flagged items")
    for column in ("score", "pair", "status", "title", "why"):
        table.add_column(column, overflow="fold")
    for view in item_store.flagged_items(app.db):
        table.add_row(
            f"{view.score:.2f}",
            "–".join(view.countries),
            view.status,
            view.title[:70],
            str(view.explanation.get("summary", ""))[:120],
        )
    console.print(table)
    emls = sorted((workdir / "outbox").glob("*.eml"))
    for eml in emls:
        console.print(f"digest written to {eml.resolve()}")
    if not emls:
        console.print("no digest was written (nothing flagged)")
    console.print(f"review the items: summitwatch --config {config} serve")
    app.close()
    return config
