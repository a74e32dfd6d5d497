"""Faults in what feeds send, end to end: feeds served over HTTP on 127.0.0.1, a real database.

A raw NUL byte in one feed (feedparser passes it through) must neither stop the collection nor
cost the items of the other feeds polled in the same cycle, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import select

from summitwatch import pipeline
from summitwatch.app import open_app
from summitwatch.demo import DEMO_FEEDS, serve_folder
from summitwatch.storage import catalog
from summitwatch.storage.models import Item
from tests.summitwatch.test_pipeline import Inbox, _free_port, make_app

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{channel}</title><link>https://news.example/</link>
<item><title>{title}</title><link>https://news.example/{slug}/1</link>
<guid>https://news.example/{slug}/1</guid><description>Talks in Astana.</description>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate></item>
<item><title>Second report {slug}</title><link>https://news.example/{slug}/2</link>
<guid>https://news.example/{slug}/2</guid><description>More.</description>
<pubDate>Mon, 23 Nov 2026 09:00:00 +0000</pubDate></item>
</channel></rss>
"""


def test_a_nul_byte_in_one_feed_costs_nothing(tmp_path: Path, db_url: str, model_cache: Path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "clean-a.xml").write_text(RSS.format(channel="A", title="Plain", slug="a"))
    (folder / "nul.xml").write_bytes(
        RSS.format(channel="Wire\x00", title="Tokayev\x00 visits", slug="n").encode()
    )
    (folder / "clean-b.xml").write_text(RSS.format(channel="B", title="Plain too", slug="b"))
    with serve_folder(folder) as base:
        lines = []
        for name in ("clean-a.xml", "nul.xml", "clean-b.xml"):
            lines += ["[[feeds]]", f'url = "{base}/{name}"', ""]
        config = tmp_path / "summitwatch.toml"
        config.write_text("\n".join(lines), encoding="utf-8")
        overrides = {
            "database.url": db_url,
            "classifier.cache_dir": str(model_cache),
            "collector.parse_workers": 0,
            "collector.allow_private_networks": True,
            "outbox.dir": str(tmp_path / "outbox"),
        }
        app = open_app(config, overrides, env={})
        report = pipeline.collect(app)
    assert (report.feeds, report.new_items, report.errors) == (3, 6, [])
    with app.db.session() as s:
        titles = sorted(s.scalars(select(Item.title)))
    assert "Tokayev visits" in titles and not any("\x00" in t for t in titles)
    app.db.dispose()


def test_one_bad_recipient_does_not_block_the_others(
    tmp_path: Path, db_url: str, model_cache: Path
) -> None:
    """A recipient stored before addresses were checked as they are now (``a..b@``) fails its
    own digest, which is reported; the recipient listed after it still gets theirs."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with serve_folder(DEMO_FEEDS) as feeds_url:
            app = make_app(tmp_path, db_url, model_cache, feeds_url, controller.port)
            catalog.upsert_recipient(app.db, "a..b@example.org", {"schedule": "daily 07:00"})
            report = pipeline.run_cycle(app, force_digest=True)
        errors = {plan.recipient: plan.error for plan in report.digests}
        assert "two periods in a row" in str(errors["a..b@example.org"])
        assert errors["desk@example.org"] is None
        assert [rcpt for rcpt, _ in inbox.messages] == [["desk@example.org"]]
        app.close()
    finally:
        controller.stop()
