"""Fixtures for the collectors tests: a scripted HTTP server on 127.0.0.1, fresh per test, and a
guard on every TCP connection the collector opens, so that no test (and no policy bug) ever
makes it connect beyond the loopback interface."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpcore
import pytest

# pytest imports test modules in importlib mode here, so make the shared helpers importable.
sys.path.insert(0, str(Path(__file__).parent))

from collector_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: the vetting backend should only ever pass addresses on
        return False


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The address of every connection attempt, in order; only loopback ones go ahead.

    A stray attempt fails the test at teardown: raising inside the fetch alone would only turn
    into a failed poll, which a test expecting a failure could mistake for success.
    """
    opened: list[str] = []
    stray: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def guarded(
        self: httpcore.AnyIOBackend, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        opened.append(host)
        if not _is_loopback(host):
            stray.append(f"{host}:{port}")
            raise httpcore.ConnectError(f"test guard: no connections to {host}")
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", guarded)
    yield opened
    assert stray == [], f"the collector tried to connect beyond loopback: {stray}"
