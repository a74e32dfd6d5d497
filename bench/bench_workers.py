"""Workers benchmark (``make bench-workers``): N feeds polled by 1, 2 and 4 ``summitwatch worker``
processes on PostgreSQL, against the feed farm of bench/feed_server.py (100 loopback hosts, 50 ms
latency plus jitter) cut to a few items per feed.

For each worker count, on a fresh database, once the workers have started: a cold period (every
feed due at once and new: poll, store, classify), a warm one (every feed due at once again and
answered 304 Not Modified) and a steady one (feeds falling due one by one at ``--rate`` a second,
as thousands of feeds polled every half hour do). Reported: feeds/s from the first deferral to
the last poll; job latency from deferred to started, p50/p95 (in the burst periods mostly the
wait behind the burst, in the steady one what a job really waits); the most PostgreSQL
connections open at once; CPU seconds per 1000 feeds in the workers and in PostgreSQL, which is
what predicts the figures on more cores. The farm's texts are dense with place names, so scoring
them costs the classifier more than ordinary news does."""

from __future__ import annotations

import argparse
import io
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import feed_server  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/summitwatch_bench"
TICK = "* * * * * */2"  # every two seconds: a tick's cost is small next to 10,000 polls


def small_feed(items: int) -> object:
    """feed_server's body generator cut to ``items`` entries per feed."""
    full = feed_server.feed_body

    def body(index: int) -> bytes:
        xml = full(index).decode()
        head, *entries = xml.split("<item>")
        kept = "".join("<item>" + e for e in entries[:items])
        return (head + kept + ("" if "</channel>" in kept else "</channel></rss>")).encode()

    return body


def serve_farm(args: argparse.Namespace) -> None:
    feed_server.feed_body = small_feed(args.items)  # type: ignore[assignment]
    import asyncio

    asyncio.run(feed_server.serve(args))


def start_farm(args: argparse.Namespace) -> tuple[subprocess.Popen[str], int, int]:
    command = [
        sys.executable, __file__, "--serve", "--feeds", str(args.feeds), "--items",
        str(args.items), "--hosts", str(args.hosts), "--latency", str(args.latency),
        "--jitter", str(args.jitter),
    ]  # fmt: skip
    return feed_server.launch(command)


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def prepare(url: str, folder: Path, feed_urls: list[str]) -> Path:
    """Schema, feeds (bulk-inserted: the CLI adds them one by one) and the model, ready."""
    from summitwatch.app import open_app
    from summitwatch.workers import schema

    config = folder / "summitwatch.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[runner]\nmode = "workers"\n'
        # allow_private_networks: the farm listens on 127.0.x.y, refused by default
        f"[collector]\nparse_workers = 0\nallow_private_networks = true\n"
        f'[outbox]\ndir = "{folder / "outbox"}"\n',
        encoding="utf-8",
    )
    app = open_app(config, env={})
    schema.upgrade(app.db)
    with app.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO feeds (url, name, full_text, origin, consecutive_failures, gone,"
                " fetch_count, total_latency_s, items_total, created_at, next_check_at)"
                " VALUES (:url, :url, false, 'bench', 0, false, 0, 0, 0, now(),"
                " now() + interval '1 day')"
            ),
            [{"url": u} for u in feed_urls],
        )
    app.detector()
    app.close()
    return config


def cpu_of(names: tuple[str, ...], pids: set[int] | None = None) -> float:
    """CPU seconds of the processes whose command is in ``names`` (or whose pid is given), of
    their live descendants (the workers' parser pools), and of their children already reaped:
    PostgreSQL's backends exit with their connections and their CPU moves to the postmaster's
    children counters, so counting live processes alone would make the figure go backwards."""
    ticks = os.sysconf("SC_CLK_TCK")
    procs: dict[int, tuple[str, int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        # fields[1] is the parent pid; 11/12 own user/system time; 13/14 reaped children's
        cpu = sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks
        procs[int(entry.name)] = (comm, int(fields[1]), cpu)
    roots = pids if pids is not None else {pid for pid, p in procs.items() if p[0] in names}
    total = 0.0
    for pid, (_, _, cpu) in procs.items():
        ancestor, hops = pid, 0
        while ancestor in procs and ancestor not in roots and hops < 64:
            ancestor, hops = procs[ancestor][1], hops + 1
        if ancestor in roots:
            total += cpu
    return total


class Sampler(threading.Thread):
    """Samples the number of PostgreSQL connections to the bench database."""

    def __init__(self, engine: Engine, database: str) -> None:
        super().__init__(daemon=True)
        self.engine, self.database, self.peak, self.stop = engine, database, 0, threading.Event()

    def run(self) -> None:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db")
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                # minus this sampler's own connection
                self.peak = max(
                    self.peak, int(conn.execute(query, {"db": self.database}).scalar() or 0) - 1
                )
                conn.commit()
                time.sleep(0.2)


@dataclass
class Period:
    feeds: int
    seconds: float
    p50: float
    p95: float
    connections: int
    worker_cpu: float
    pg_cpu: float

    def line(self) -> str:
        per_k = 1000 / self.feeds
        return (
            f"{self.feeds / self.seconds:7.0f} feeds/s  latency p50 {self.p50:6.2f} s "
            f"p95 {self.p95:6.2f} s  PG connections {self.connections:3d}  CPU per 1000 feeds: "
            f"workers {self.worker_cpu * per_k:5.2f} s, PostgreSQL {self.pg_cpu * per_k:5.2f} s"
        )


def measure(engine: Engine, feeds: int, sampler: Sampler, pids: set[int], *,
            due: str, items: bool = False) -> Period:  # fmt: skip
    """Make feeds due (the ``due`` SQL), then wait until ``feeds`` of them were polled (and,
    with ``items``, every item scored); returns the period's figures."""
    since = time.time()
    cpu0 = (cpu_of((), pids), cpu_of(("postgres",)))
    sampler.peak = 0
    done = text("SELECT count(*) FROM feeds WHERE last_checked_at >= to_timestamp(:t)")
    unscored = text("SELECT count(*) FROM items WHERE verdict_id IS NULL")
    with engine.connect() as conn:
        conn.execute(text(due))
        conn.commit()
        while True:
            polled = int(conn.execute(done, {"t": since}).scalar() or 0)
            waiting = int(conn.execute(unscored).scalar() or 0) if items else 0
            conn.commit()
            if polled >= feeds and not waiting:
                break
            time.sleep(0.2)
        cpu = (cpu_of((), pids) - cpu0[0], cpu_of(("postgres",)) - cpu0[1])
        first, last, waits = conn.execute(
            text(
                "SELECT extract(epoch FROM min(d.at)), extract(epoch FROM max(f.at)),"
                " array_agg(extract(epoch FROM s.at - d.at))"
                " FROM procrastinate_jobs j"
                " JOIN procrastinate_events d ON d.job_id = j.id AND d.type = 'deferred'"
                " JOIN procrastinate_events s ON s.job_id = j.id AND s.type = 'started'"
                " JOIN procrastinate_events f ON f.job_id = j.id AND f.type = 'succeeded'"
                " WHERE j.task_name = 'poll_feed' AND d.at >= to_timestamp(:t)"
            ),
            {"t": since},
        ).one()
    waits = sorted(float(w) for w in waits or [0.0])
    seconds = max(float(last or 0) - float(first or since), 0.001)
    p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))]
    return Period(feeds, seconds, statistics.median(waits), p95, sampler.peak, *cpu)


def run(args: argparse.Namespace, count: int, feed_urls: list[str]) -> dict[str, Period]:
    fresh_database(args.database)
    with tempfile.TemporaryDirectory() as folder:
        config = prepare(args.database, Path(folder), feed_urls)
        engine = create_engine(make_url(args.database), poolclass=NullPool)
        sampler = Sampler(engine, str(make_url(args.database).database))
        sampler.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMITWATCH_")}
        env["SUMMITWATCH_CONFIG"] = str(config)
        command = [sys.executable, "-m", "summitwatch", "worker", "--tick", TICK]
        command += ["--concurrency", str(args.concurrency)]
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)
        ]
        pids = {w.pid for w in workers}
        registered = text("SELECT count(*) FROM procrastinate_workers")
        try:
            with engine.connect() as conn:  # start-up (imports, model) is not measured
                while int(conn.execute(registered).scalar() or 0) < count:
                    conn.commit()
                    time.sleep(0.2)
            every = "UPDATE feeds SET next_check_at = now()"
            steady = args.steady_feeds
            # the steady period: feeds fall due one by one, args.rate a second, as when
            # thousands of feeds are polled every half hour
            spread = (
                (
                    "UPDATE feeds SET next_check_at = now() + make_interval(secs => n / :rate)"
                    " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM feeds) o"
                    " WHERE feeds.id = o.id AND o.n <= :steady"
                )
                .replace(":rate", str(float(args.rate)))
                .replace(":steady", str(steady))
            )
            return {
                "cold": measure(engine, args.feeds, sampler, pids, due=every, items=True),
                "warm": measure(engine, args.feeds, sampler, pids, due=every),
                "steady": measure(engine, steady, sampler, pids, due=spread),
            }
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                w.wait(60)
            sampler.stop.set()
            sampler.join()
            engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=3, help="entries per feed")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to compare")
    parser.add_argument("--concurrency", type=int, default=10, help="jobs at once per worker")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jitter", type=float, default=0.05)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--faulty", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steady-feeds", type=int, default=2000, help="feeds in the steady run")
    parser.add_argument("--rate", type=float, default=50.0, help="feeds/s due in the steady run")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL URL; the database is dropped and created for each run",
    )
    args = parser.parse_args()
    if args.serve:
        serve_farm(args)
        return
    farm, port, hosts = start_farm(args)
    addresses = feed_server.loopback_hosts(hosts)
    feed_urls = [f"http://{addresses[i % hosts]}:{port}/feed/{i}" for i in range(args.feeds)]
    print(
        f"{args.feeds} feeds of {args.items} items on {hosts} loopback hosts, latency "
        f"{args.latency * 1000:.0f} ms + up to {args.jitter * 1000:.0f} ms; "
        f"{args.concurrency} jobs at once per worker; {os.cpu_count()} cores"
    )
    results: dict[int, dict[str, Period]] = {}
    try:
        for count in (int(n) for n in args.workers.split(",")):
            results[count] = found = run(args, count, feed_urls)
            steady = found["steady"]
            print(f"{count} worker{'s' if count > 1 else ''}")
            print(f"  cold (new items, stored and scored): {found['cold'].line()}")
            print(f"  warm (every feed 304):               {found['warm'].line()}")
            print(
                f"  steady ({args.rate:g} feeds/s falling due): latency p50 {steady.p50:.3f} s "
                f"p95 {steady.p95:.3f} s, PG connections {steady.connections}"
            )
    finally:
        farm.terminate()
        farm.wait(10)
    one = min(results)
    for phase in ("cold", "warm"):
        base = results[one][phase]
        rates = ", ".join(
            f"{n}: x{(r[phase].feeds / r[phase].seconds) / (base.feeds / base.seconds):.2f}"
            for n, r in results.items()
        )
        print(f"scaling ({phase}, throughput relative to {one} worker): {rates}")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
