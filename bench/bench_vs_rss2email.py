"""Benchmark: `summitwatch run --once` against rss2email 3.14 in digest mode, side by side in one
run, on the same local farm: 500 feeds × 20 items (RSS, gzip, ETag and Last-Modified, 50–100 ms
per answer) over 50 loopback addresses, first poll (every item new) then a second poll (all 304),
on two farms: a news-like one where 5 % of items may name a Central Asian capital (of real
international feeds, 0.3 % name a watched state, its leader or a city of it), and the worst case
where every item may, so that every item goes through the whole classifier.

SummitWatch collects, classifies and writes its digest to the outbox folder (no SMTP, as a new
user runs it); rss2email fetches and mails one digest per feed to a local SMTP sink (aiosmtpd).
rss2email lives in its own virtual environment (``.venv/bench-rss2email``, created on first use
from PyPI); it is never a dependency of the project. The model cache is the user's, so training
is not timed (``summitwatch train`` first). Prints wall times and the ratio of each poll.

Run: .venv/bin/python bench/bench_vs_rss2email.py [--feeds 500] [--hosts 50]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feed_server import launch, loopback_hosts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
R2E_VENV = ROOT / ".venv" / "bench-rss2email"
R2E = R2E_VENV / "bin" / "r2e"


class Sink:
    """SMTP sink: counts the messages rss2email sends."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_rss2email() -> None:
    if R2E.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(R2E_VENV)], check=True)
    pip = [str(R2E_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "rss2email==3.14"], check=True)


def start_farm(
    feeds: int, hosts: int, share: float = 1.0
) -> tuple[subprocess.Popen[str], list[str]]:
    command = [
        sys.executable, str(HERE / "feed_server.py"), "--feeds", str(feeds), "--hosts",
        str(hosts), "--latency", "0.05", "--jitter", "0.05", "--central-asian-share", str(share),
    ]  # fmt: skip
    server, port, _ = launch(command)
    addresses = loopback_hosts(hosts)
    return server, [f"http://{addresses[i % hosts]}:{port}/feed/{i}" for i in range(feeds)]


def rss2email_config(folder: Path, urls: list[str], smtp_port: int) -> Path:
    lines = [
        "[DEFAULT]",
        "from = r2e@bench.test",
        "to = analyst@bench.test",
        "digest = True",
        "email-protocol = smtp",
        "smtp-server = 127.0.0.1",
        f"smtp-port = {smtp_port}",
        "smtp-ssl = False",
        "smtp-auth = False",
        "feed-timeout = 60",
        "",
    ]
    for n, url in enumerate(urls):
        lines += [f"[feed.f{n}]", f"url = {url}", ""]
    path = folder / "r2e.cfg"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def summitwatch_config(folder: Path, urls: list[str]) -> Path:
    lines = [
        "[database]",
        f'url = "sqlite:///{folder / "sw.db"}"',
        "[collector]",
        "allow_private_networks = true",
        "[outbox]",
        f'dir = "{folder / "outbox"}"',
        "",
        "[[recipients]]",
        'email = "analyst@bench.test"',
        'schedule = "immediate"',
        "send_empty = true",
        "",
    ]
    for url in urls:
        lines += ["[[feeds]]", f'url = "{url}"', ""]
    path = folder / "summitwatch.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall


def compare(
    feeds: int, hosts: int, share: float, env: dict[str, str]
) -> list[tuple[str, float, float]]:
    """Both tools on one farm, each on its own fresh state: first poll, then the all-304 poll."""
    farm, urls = start_farm(feeds, hosts, share)
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            r2e_cfg = rss2email_config(folder, urls, smtp.port)
            r2e = [str(R2E), "-c", str(r2e_cfg), "-d", str(folder / "r2e.json"), "run"]
            sw_cfg = summitwatch_config(folder, urls)
            sw = [str(ROOT / ".venv" / "bin" / "summitwatch"), "--config", str(sw_cfg)]
            rows = []
            for label in ("first poll (all new)", "second poll (all 304)"):
                r2e_wall = timed(r2e, env)
                sw_wall = timed([*sw, "run", "--once"], env)
                rows.append((label, r2e_wall, sw_wall))
    finally:
        smtp.stop()
        farm.terminate()
        farm.wait(timeout=30)
    if sink.messages == 0:
        raise SystemExit("rss2email sent nothing: the comparison would not be fair")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument(
        "--shares",
        default="0.05,1",
        help="farms to run: share of items that may name a Central Asian capital (news-like "
        "0.05; 1 = every item, the classifier's worst case)",
    )
    args = parser.parse_args()
    ensure_rss2email()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMITWATCH_")}
    print(f"{args.feeds} feeds x 20 items over {args.hosts} loopback addresses")
    print(f"{'':34} {'rss2email':>10} {'summitwatch':>12} {'ratio':>7}")
    for share in (float(x) for x in args.shares.split(",")):
        for label, r2e_wall, sw_wall in compare(args.feeds, args.hosts, share, env):
            name = f"{label}, {share:.0%} CA"
            print(f"{name:34} {r2e_wall:9.1f}s {sw_wall:11.1f}s {r2e_wall / sw_wall:6.1f}x")
    print("(target ratio >= 10x, aim 20x; 'CA': items that may name a Central Asian capital)")


if __name__ == "__main__":
    main()
