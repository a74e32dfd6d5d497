"""Faults in what feeds send, end to end: feeds served over HTTP on 127.0.0.1, a real database.

A raw NUL byte in one feed (feedparser passes it through) must neither stop the collection nor
cost the items of the other feeds polled in the same cycle, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from summitwatch import pipeline
from summitwatch.app import open_app
from summitwatch.demo import serve_folder
from summitwatch.storage.models import Item

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
