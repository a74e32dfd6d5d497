"""Web UI fixtures: a real application on a SQLite file, items classified by the real seed model,
and a TestClient that talks to the FastAPI app in process."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from collectors import Entry
from summitwatch.app import App, open_app
from summitwatch.pipeline import classify_pending
from summitwatch.storage import catalog, ingest
from summitwatch.web.server import create_app

BASE = "http://127.0.0.1:8765"
NOW = datetime.now(UTC).replace(microsecond=0)
FEED = "https://news.example.org/rss"

# (uid, title, text, language, hours ago): written for these tests
STORIES: list[tuple[str, str, str, str, int]] = [
    (
        "kz-tj",
        "Tokayev arrives in Dushanbe for a state visit",
        "President Kassym-Jomart Tokayev of Kazakhstan arrived in Dushanbe on a state visit "
        "and held talks with President Emomali Rahmon of Tajikistan. The two leaders signed "
        "agreements.",
        "en",
        2,
    ),
    (
        "uz-cn",
        "Mirziyoyev and Xi Jinping hold talks in Beijing",
        "President Shavkat Mirziyoyev of Uzbekistan held talks with President Xi Jinping of China "
        "in Beijing during his state visit, and the two heads of state signed a joint statement.",
        "en",
        5,
    ),
    (
        "kg-ru",
        "Жапаров прибыл в Москву с государственным визитом",
        "Президент Кыргызстана Садыр Жапаров прибыл в Москву с государственным визитом. "
        "Состоялись переговоры с президентом России Владимиром Путиным.",
        "ru",
        8,
    ),
    (
        "tm-tr",
        "Berdimuhamedov meets Erdogan in Ankara",
        "President Serdar Berdimuhamedov of Turkmenistan was received by President Recep Tayyip "
        "Erdogan in Ankara for official talks between the two heads of state.",
        "en",
        11,
    ),
    (
        "min",
        "Kazakh foreign minister visits Baku",
        "Foreign Minister of Kazakhstan met his Azerbaijani counterpart in Baku to discuss "
        "transit routes. No leaders took part.",
        "en",
        14,
    ),
    (
        "wheat",
        "Kazakhstan wheat exports rise",
        "Grain exports from Kazakhstan rose by ten percent "
        "this season, according to the ministry of agriculture.",
        "en",
        20,
    ),
]
SCRIPT_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> Tokayev visits Tashkent'


def entry(
    uid: str, title: str, text: str, lang: str = "en", hours: int = 1, feed: str = FEED
) -> Entry:
    return Entry(
        uid=f"https://news.example.org/{uid}",
        uid_kind="guid",
        title=title,
        summary=text,
        summary_html=f"<p>{text}</p>",
        link=f"https://news.example.org/{uid}",
        published=NOW - timedelta(hours=hours),
        published_is_fallback=False,
        updated=None,
        language=lang,
        feed_url=feed,
        authors=("Desk",),
    )


def make_app(tmp_path: Path, cache: Path, **overrides: Any) -> App:
    config = tmp_path / "summitwatch.toml"
    config.write_text("[watch]\ncountries = ['KZ', 'KG', 'TJ', 'TM', 'UZ']\n", encoding="utf-8")
    values = {
        "database.url": f"sqlite:///{tmp_path / 'web.db'}",
        "classifier.cache_dir": str(cache),
        "outbox.dir": str(tmp_path / "outbox"),
        **overrides,
    }
    return open_app(config, values, env={})


def add_stories(
    application: App, stories: list[tuple[str, str, str, str, int]] = STORIES, feed: str = FEED
) -> dict[str, int]:
    """Store and classify stories; returns item id by uid."""
    record, _ = catalog.add_feed(application.db, feed, name="Example News")
    ids = {}
    for uid, title, text, lang, hours in stories:
        new = add_entries(application, record.id, [entry(uid, title, text, lang, hours, feed)])
        ids[uid] = new[0]
    classify_pending(application)
    return ids


def add_entries(application: App, feed_id: int, entries: list[Entry]) -> list[int]:
    """Store entries as a poll would, outside one; returns the new item ids."""
    with application.db.session() as s:
        return ingest.insert_entries(s, feed_id, entries, datetime.now(UTC))


@pytest.fixture
def application(tmp_path: Path, model_cache: Path) -> Iterator[App]:
    app = make_app(tmp_path, model_cache)
    yield app
    app.close()


@pytest.fixture
def stories(application: App) -> dict[str, int]:
    return add_stories(application)


@pytest.fixture
def client(application: App) -> Iterator[TestClient]:
    with TestClient(create_app(application), base_url=BASE) as c:
        yield c


def csrf_token(client: TestClient, page: str = "/queue") -> str:
    """Open a page (which starts a session) and read its CSRF token."""
    html = client.get(page).text
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page carries no CSRF token"
    return match.group(1)


class Served:
    """``create_app`` under uvicorn in a thread, listening on ``host`` (a loopback address)."""

    def __init__(self, application: App, host: str = "127.0.0.1", log_level: str = "error") -> None:
        with socket.socket() as s:
            s.bind((host, 0))
            self.port = int(s.getsockname()[1])
        self.host = host
        config = uvicorn.Config(
            create_app(application, bind_host=host), host=host, port=self.port, log_level=log_level
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://{self.host}:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
