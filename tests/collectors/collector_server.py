"""A real HTTP server on 127.0.0.1 with scripted replies per path, for the collectors tests.

Each path gets a list of replies served in order (the last one repeats), so a test can script
"200 with an ETag, then whatever the conditional request deserves". Every request is recorded
with its headers, and the server counts concurrent requests to check politeness limits."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Only meaningful with status 200: answer 304 when the request's validators match.
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


Script = Reply | Callable[[Seen], Reply]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-body (size caps, timeouts) are expected in these tests.
        pass


class FeedServer:
    def __init__(self) -> None:
        self._routes: dict[str, list[Script]] = {}
        self._served: dict[str, int] = {}
        self.requests: list[Seen] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Script) -> str:
        self._routes[path] = list(replies)
        self._served[path] = 0
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def _next_reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            script = self._routes.get(seen.path)
            if not script:
                return Reply(404, b"no such path")
            index = min(self._served[seen.path], len(script) - 1)
            self._served[seen.path] += 1
        step = script[index]
        return step(seen) if callable(step) else step

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    self._answer(server._next_reply(seen), seen)
                finally:
                    with server._lock:
                        server.active -= 1

            def _answer(self, reply: Reply, seen: Seen) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                status, body = reply.status, reply.body
                validators = {}
                if reply.etag:
                    validators["ETag"] = reply.etag
                if reply.last_modified:
                    validators["Last-Modified"] = reply.last_modified
                matched = (reply.etag and seen.headers.get("if-none-match") == reply.etag) or (
                    reply.last_modified
                    and seen.headers.get("if-modified-since") == reply.last_modified
                )
                if status == 200 and matched:
                    status, body = 304, b""
                self.send_response(status)
                for key, value in {**validators, **reply.headers}.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        return Handler

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
