"""Collector benchmark (``make bench-collect``): starts the local feed farm (bench/feed_server.py)
as a subprocess, polls every feed twice with FeedFetcher, the second time sending the validators
stored from the first, and prints wall time per poll, share of 304s, items/s, peak RSS and a
rough split of where the time went: CPU of the event-loop process (HTTP client, dispatch) versus
CPU of the parse workers. Storage is not part of this benchmark (the collectors know no
database); the application commits each result as it arrives. Feeds that failed in the first
poll are backing off and are therefore not due in the second, as in a real run."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from collectors import (
    FeedFetcher,
    FeedState,
    FetchResult,
    FetchSettings,
    ParsedFeed,
    parse_feed,
)
from collectors.parser import parse_with_feedparser

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from feed_server import feed_body, launch, loopback_hosts  # noqa: E402


@dataclass
class Poll:
    wall: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    items: int = 0
    http_s: float = 0.0
    parse_s: float = 0.0
    main_cpu: float = 0.0
    worker_cpu: float = 0.0
    worker_peak_mb: float = 0.0


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def descendants(exclude: set[int]) -> dict[int, tuple[float, float]]:
    """CPU seconds and peak RSS (MB) of every live descendant: the parse workers and the
    forkserver that starts them (the feed server is excluded)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = {}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in exclude:
                frontier.append(pid)
                found[pid] = _usage(pid)
    return found


def _usage(pid: int) -> tuple[float, float]:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        peak = 0.0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
        return seconds, peak
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


async def poll(
    settings: FetchSettings, states: list[FeedState], server_pid: int
) -> tuple[Poll, dict[str, FetchResult]]:
    stats, kept = Poll(), {}
    main_before = cpu(resource.RUSAGE_SELF)
    helpers_before = descendants({server_pid})
    start = time.perf_counter()
    async with FeedFetcher(settings) as fetcher:
        async for result in fetcher.fetch_many(states):
            stats.statuses[result.status] += 1
            if result.error_kind:
                stats.errors[result.error_kind] += 1
            stats.items += len(result.entries)
            stats.http_s += result.latency_s
            stats.parse_s += result.parse_s
            # Keep what the application stores, not the entries.
            kept[result.url] = replace(result, entries=())
        stats.wall = time.perf_counter() - start
        helpers = descendants({server_pid})
    stats.main_cpu = cpu(resource.RUSAGE_SELF) - main_before
    stats.worker_cpu = sum(
        seconds - helpers_before.get(pid, (0.0, 0.0))[0] for pid, (seconds, _) in helpers.items()
    )
    stats.worker_peak_mb = max((peak for _, peak in helpers.values()), default=0.0)
    return stats, kept


def report(name: str, stats: Poll, feeds: int) -> None:
    done = sum(stats.statuses.values())
    share_304 = stats.statuses["not_modified"] / done if done else 0.0
    print(f"{name}: {done} feeds in {stats.wall:.2f} s wall ({done / stats.wall:.0f} feeds/s)")
    print(f"  statuses {dict(stats.statuses)}  errors {dict(stats.errors) or '-'}")
    print(
        f"  304 share {share_304:.1%}  items {stats.items} ({stats.items / stats.wall:.0f} items/s)"
    )
    print(
        f"  CPU: event loop + HTTP client {stats.main_cpu:.2f} s, parse workers "
        f"{stats.worker_cpu:.2f} s | summed per-feed: HTTP {stats.http_s:.1f} s, "
        f"parse incl. queueing {stats.parse_s:.1f} s"
    )
    if stats.worker_peak_mb:
        print(f"  peak RSS of the largest parse worker {stats.worker_peak_mb:.0f} MB")


def parse_costs() -> tuple[float, float]:
    """Seconds per bench feed: parse_feed (fast path) and the feedparser path alone."""
    body, url, now = feed_body(1), "http://127.0.0.1/feed/1", datetime.now(UTC)
    where = (url, url, now)
    costs = []
    parsers: list[Callable[[], ParsedFeed]] = [
        lambda: parse_feed(body, url, fetched_at=now),
        lambda: parse_with_feedparser(body, where),
    ]
    for parse in parsers:
        parse()
        start = time.perf_counter()
        for _ in range(30):
            parse()
        costs.append((time.perf_counter() - start) / 30)
    return costs[0], costs[1]


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], int, int]:
    command = [
        sys.executable, str(HERE / "feed_server.py"), "--feeds", str(args.feeds),
        "--hosts", str(args.hosts), "--latency", str(args.latency), "--jitter", str(args.jitter),
        "--faulty", str(args.faulty),
    ]  # fmt: skip
    return launch(command)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jitter", type=float, default=0.05)
    parser.add_argument(
        "--faulty", type=float, default=0.0, help="share of faulty feeds, e.g. 0.05"
    )
    parser.add_argument("--concurrency", type=int, default=FetchSettings().max_concurrency)
    parser.add_argument("--per-host", type=int, default=FetchSettings().per_host_concurrency)
    parser.add_argument(
        "--workers", type=int, default=None, help="parse processes (default: cores)"
    )
    parser.add_argument(
        "--timeout", type=float, default=FetchSettings().read_timeout, help="read timeout (s)"
    )
    args = parser.parse_args()

    # the farm listens on 127.0.x.y, which the address policy refuses unless allowed
    settings = FetchSettings(
        max_concurrency=args.concurrency, per_host_concurrency=args.per_host,
        parse_workers=args.workers, read_timeout=args.timeout,
        total_timeout=max(FetchSettings().total_timeout, args.timeout),
        allow_private_networks=True,
    )  # fmt: skip
    fast, slow = parse_costs()
    print(
        f"parse cost per 20-item feed, one core: {fast * 1000:.1f} ms with the fast path, "
        f"{slow * 1000:.1f} ms through feedparser (fallback for unusual feeds)"
    )
    server, port, host_count = start_server(args)
    hosts = loopback_hosts(host_count)
    states = [
        FeedState(url=f"http://{hosts[i % host_count]}:{port}/feed/{i}") for i in range(args.feeds)
    ]
    print(
        f"{args.feeds} feeds on {host_count} hosts, latency {args.latency * 1000:.0f} ms "
        f"+ up to {args.jitter * 1000:.0f} ms, faulty {args.faulty:.0%}, concurrency "
        f"{settings.max_concurrency} (per host {settings.per_host_concurrency}), "
        f"{settings.parse_workers or os.cpu_count()} parse workers"
    )
    try:
        first, stored = asyncio.run(poll(settings, states, server.pid))
        report("first poll", first, args.feeds)
        due = [
            FeedState(url=r.url, etag=r.etag, last_modified=r.last_modified, body_hash=r.body_hash)
            for r in stored.values()
            if r.status != "error"
        ]
        print(f"second poll: {len(stored) - len(due)} failing feeds are backing off, not due")
        second, _ = asyncio.run(poll(settings, due, server.pid))
        report("second poll", second, len(due))
    finally:
        server.terminate()
        server.wait(timeout=10)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the collecting process {peak:.0f} MB")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
