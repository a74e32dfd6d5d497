"""Fixtures for the alerts tests: a real SMTP server (aiosmtpd) on 127.0.0.1 driven by a
`ScriptedHandler`, started fresh for each test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

# pytest imports test modules in importlib mode here, so make the shared helpers importable.
sys.path.insert(0, str(Path(__file__).parent))

from smtp_scripted import ScriptedHandler, SmtpServer, free_port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(handler, controller.port)
    finally:
        controller.stop()
