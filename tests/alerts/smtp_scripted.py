"""A scriptable SMTP server handler for the alerts tests: per message, accept it, answer 421 or
550, drop the connection after the data arrived but before replying, or keep the message and
stall before its 250 (the SMTP duplicate window of RFC 1047)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from alerts import SmtpConfig

REPLIES = {
    "421": "421 4.3.2 Service not available, try again later",
    "550": "550 5.7.1 Message rejected by policy",
}


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class ScriptedHandler:
    """Handles DATA according to `script` (one action per message, then 'accept')."""

    script: deque[str] = field(default_factory=deque)
    accepted: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # When set, RCPT waits for `gate` to open: a sender can be caught (and killed) mid-session.
    gate: threading.Event | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    # A "stall" keeps the message, then waits for `release` before answering 250.
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.gate is not None:
            self.holding.set()
            while not self.gate.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            action = self.script.popleft() if self.script else "accept"
            if action == "accept":
                data = bytes(envelope.original_content or envelope.content)
                self.accepted.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data))
                return "250 2.0.0 Message accepted"
            if action == "stall":
                data = bytes(envelope.original_content or envelope.content)
                self.accepted.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data))
                self.holding.set()
        if action == "stall":
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "250 2.0.0 Message accepted"
        with self.lock:
            if action == "drop":
                self.dropped += 1
                server.transport.close()
                return "421 connection closed"  # never reaches the client
            self.refused.append(action)
            return REPLIES[action]


@dataclass
class SmtpServer:
    handler: ScriptedHandler
    port: int

    def config(self, **fields: Any) -> SmtpConfig:
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "security": "none"}
        values.update(fields)
        return SmtpConfig(**values)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
