"""Local feed farm for the collector benchmark: an asyncio HTTP/1.1 server that serves N feeds
of 20 items (about 20 KB each unpacked) spread over many loopback addresses, so per-host limits
behave as they would across real sites. It answers conditional requests (ETag, Last-Modified)
with 304, gzips on request, waits a configurable latency with jitter before each answer, and can
make a share of the feeds faulty: stalled (never answer), failing (HTTP 500), garbage (not a
feed) or huge (an endless body). Run it alone with ``python bench/feed_server.py --feeds 1000``;
it prints ``READY <port> <hosts>`` once it listens."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import resource
import signal
import subprocess
from datetime import UTC, datetime
from email.utils import format_datetime

WORDS = [
    "summit",
    "president",
    "minister",
    "talks",
    "Astana",
    "Tashkent",
    "Bishkek",
    "Dushanbe",
    "Ashgabat",
    "cooperation",
    "trade",
    "energy",
    "water",
    "agreement",
    "visit",
    "delegation",
    "bilateral",
    "railway",
    "customs",
    "investment",
    "border",
    "memorandum",
    "transit",
    "corridor",
    "reservoir",
    "grain",
    "statement",
    "official",
    "ceremony",
]
LAST_MODIFIED = format_datetime(datetime(2026, 5, 12, 8, 0, tzinfo=UTC), usegmt=True)
FAULTS = ("stalled", "failing", "garbage", "huge")


# the words that name a Central Asian state's city: an item using none of them is ruled out by
# the classifier's first scan, as most real news is
CENTRAL_ASIAN = frozenset({"Astana", "Tashkent", "Bishkek", "Dushanbe", "Ashgabat"})
ELSEWHERE = [w for w in WORDS if w not in CENTRAL_ASIAN]


def feed_body(index: int, central_asian_share: float = 1.0) -> bytes:
    """Feed ``index``: 20 items of random words; a ``central_asian_share`` of them may name a
    Central Asian capital (1.0: every item can, the classifier's worst case)."""
    rng = random.Random(index)
    items = []
    for n in range(20):
        words = WORDS if rng.random() < central_asian_share else ELSEWHERE
        title = " ".join(rng.choice(words) for _ in range(9)).capitalize()
        text = " ".join(rng.choice(words) for _ in range(110))
        items.append(
            f"<item><title>{title}</title>"
            f"<link>https://site{index % 997}.example/news/{index}/{n}?utm_source=rss</link>"
            f'<guid isPermaLink="false">feed{index}-item{n}</guid>'
            f"<pubDate>Tue, 12 May 2026 {n:02d}:{index % 60:02d}:00 +0500</pubDate>"
            f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {index}</title><link>https://site{index % 997}.example/</link>"
        f"<language>en</language>{''.join(items)}</channel></rss>"
    ).encode()


class Farm:
    def __init__(
        self,
        feeds: int,
        latency: float,
        jitter: float,
        faulty: float,
        seed: int,
        central_asian_share: float = 1.0,
    ) -> None:
        self.feeds, self.latency, self.jitter = feeds, latency, jitter
        self.central_asian_share = central_asian_share
        rng = random.Random(seed)
        faulty_ids = rng.sample(range(feeds), int(feeds * faulty))
        self.fault = {fid: FAULTS[n % len(FAULTS)] for n, fid in enumerate(faulty_ids)}
        self._gzipped: dict[int, bytes] = {}
        self.rng = rng

    def etag(self, index: int) -> str:
        return f'"f{index}-v1"'

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not await self._answer(head, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # Shutdown cancels stalled answers; nothing to report for those.
            pass
        finally:
            writer.close()

    async def _answer(self, head: bytes, writer: asyncio.StreamWriter) -> bool:
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        await asyncio.sleep(self.latency + self.rng.random() * self.jitter)
        try:
            index = int(path.rsplit("/", 1)[1])
        except ValueError:
            index = -1
        if not 0 <= index < self.feeds:
            return self._send(writer, 404, {}, b"not found")
        fault = self.fault.get(index)
        if fault == "stalled":
            await asyncio.sleep(3600)
            return False
        if fault == "failing":
            return self._send(writer, 500, {}, b"internal error")
        if fault == "garbage":
            return self._send(writer, 200, {"Content-Type": "text/html"}, b"<html>oops</html>")
        if fault == "huge":
            await self._endless(writer)
            return False
        etag = self.etag(index)
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if (
            headers.get("if-none-match") == etag
            or headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return self._send(writer, 304, validators, b"")
        extra = {"Content-Type": "application/rss+xml; charset=utf-8", **validators}
        if "gzip" in headers.get("accept-encoding", ""):
            body = self._gzipped.get(index)
            if body is None:
                body = self._gzipped[index] = gzip.compress(
                    feed_body(index, self.central_asian_share), 6
                )
            extra["Content-Encoding"] = "gzip"
        else:
            body = feed_body(index, self.central_asian_share)
        return self._send(writer, 200, extra, body)

    async def _endless(self, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"<rss>" + b" " * 65531
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        for _ in range(400):  # ~26 MB, more than any sane cap
            writer.write(framed)
            await writer.drain()

    @staticmethod
    def _send(
        writer: asyncio.StreamWriter, status: int, headers: dict[str, str], body: bytes
    ) -> bool:
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found", 500: "Internal Server Error"}
        lines = [f"HTTP/1.1 {status} {reason.get(status, 'OK')}"]
        lines += [f"{key}: {value}" for key, value in headers.items()]
        if status != 304:
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return True


def launch(command: list[str]) -> tuple[subprocess.Popen[str], int, int]:
    """Start a farm process (``command`` runs ``serve``) and wait for its READY line: the
    process, the port and how many loopback addresses it listens on."""
    farm = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert farm.stdout is not None
    line = farm.stdout.readline().split()
    if not line or line[0] != "READY":
        farm.kill()
        raise SystemExit("feed farm did not start")
    return farm, int(line[1]), int(line[2])


def loopback_hosts(count: int) -> list[str]:
    return [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(count)]


async def serve(args: argparse.Namespace) -> None:
    farm = Farm(
        args.feeds, args.latency, args.jitter, args.faulty, args.seed, args.central_asian_share
    )
    hosts = loopback_hosts(args.hosts)
    server = await asyncio.start_server(farm.handle, hosts[0], args.port, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    others = (
        await asyncio.start_server(farm.handle, hosts[1:], port, backlog=4096)
        if hosts[1:]
        else None
    )
    print(f"READY {port} {len(hosts)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    if others:
        others.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"server peak RSS {peak_mb:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument(
        "--hosts", type=int, default=100, help="loopback addresses to spread feeds over"
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before each answer")
    parser.add_argument("--jitter", type=float, default=0.05, help="extra random delay, up to")
    parser.add_argument("--faulty", type=float, default=0.0, help="share of faulty feeds (0-1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--central-asian-share",
        type=float,
        default=1.0,
        help="share of items that may name a Central Asian capital (1 = all)",
    )
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
