"""Fixtures for the collectors tests: a scripted HTTP server on 127.0.0.1, fresh per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest imports test modules in importlib mode here, so make the shared helpers importable.
sys.path.insert(0, str(Path(__file__).parent))

from collector_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server
