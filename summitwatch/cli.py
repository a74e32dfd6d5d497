"""The ``summitwatch`` command line: thin shells over the pipeline's functions.

Global options (``--config``, ``--set key=value``) are resolved once into an ``App``. Every error
the user can fix (a bad setting, an unreadable file) is printed as one line and exits with 2;
the management sub-commands (feeds, countries, recipients, config, db) live in
``summitwatch.cli_manage``.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import InterfaceError, OperationalError

from summitwatch import cli_manage, pipeline, review_tui, users
from summitwatch.app import App, open_app
from summitwatch.settings import SettingsError
from summitwatch.storage.db import one_line
from summitwatch.workers import commands as worker_commands

console = Console()
err = Console(stderr=True)
# Tracebacks are for bugs; the errors a user can fix are caught in main() and printed as one line.
app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="SummitWatch: bilateral summits involving Central Asia, in your inbox.",
)
app.add_typer(cli_manage.feeds, name="feeds")
app.add_typer(cli_manage.countries, name="countries")
app.add_typer(cli_manage.recipients, name="recipients")
app.add_typer(cli_manage.config, name="config")
app.add_typer(cli_manage.db, name="db")
app.add_typer(users.users, name="users")
app.command("review")(review_tui.review_cli)


class Context:
    def __init__(self, config: Path | None, overrides: dict[str, Any]) -> None:
        self.config, self.overrides = config, overrides
        self._app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = open_app(self.config, self.overrides)
        return self._app


def parse_sets(values: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep:
            raise SettingsError(
                f"--set {value!r}: expected KEY=VALUE, e.g. classifier.threshold=0.6"
            )
        out[key.strip()] = raw
    return out


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="TOML configuration file.")] = None,
    set_: Annotated[list[str], typer.Option("--set", help="Override a setting: KEY=VALUE.")] = [],  # noqa: B006
) -> None:
    from summitwatch.settings import BY_NAME

    overrides = parse_sets(set_)
    for key in overrides:
        if key not in BY_NAME:
            raise SettingsError(f"--set {key}: unknown setting (see `summitwatch config show`)")
    ctx.obj = Context(config, overrides)


def get_app(ctx: typer.Context) -> App:
    obj: Context = ctx.find_root().obj
    return obj.app()


@app.command()
def collect(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option(help="Poll every due feed once and exit.")] = True,
) -> None:
    """Poll the feeds that are due and store new items."""
    from summitwatch.progress import collect_with_progress

    report = collect_with_progress(get_app(ctx))
    console.print(report.line())
    for url, message in report.errors[:20]:
        console.print(f"  [red]failed[/red] {url}: {message}")


@app.command()
def classify(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Text to score (title = first line).")] = None,
    file: Annotated[Path | None, typer.Option(help="File to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    pending: Annotated[
        bool, typer.Option(help="Score the stored items without a verdict.")
    ] = False,
    rescore: Annotated[
        bool, typer.Option(help="With --pending: rescore all stored items.")
    ] = False,
) -> None:
    """Score text (argument, --file, or JSON Lines {"title","text"} on stdin), or stored items."""
    from summitwatch.classify_cmd import classify_inputs, read_inputs

    application = get_app(ctx)
    if pending or rescore:
        scored, flagged = pipeline.classify_pending(application, rescore=rescore)
        console.print(f"{scored} items scored, {flagged} flagged")
        return
    inputs = read_inputs(text, file, sys.stdin)
    classify_inputs(application, inputs, as_json, console)


@app.command()
def digest(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent.")] = False,
    send: Annotated[bool, typer.Option("--send", help="Build what is due and deliver.")] = False,
    preview: Annotated[str | None, typer.Option(help="Write RECIPIENT's digest HTML.")] = None,
    now: Annotated[bool, typer.Option("--now", help="Treat every schedule as due now.")] = False,
) -> None:
    """Build and deliver email digests (default: --send)."""
    from summitwatch.digest_cmd import run_digest

    run_digest(get_app(ctx), console, dry_run=dry_run, send=send, preview=preview, force=now)


@app.command()
def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One full cycle, then exit.")] = False,
) -> None:
    """Run the scheduled loop: poll due feeds, classify, send digests on schedule."""
    from summitwatch.scheduler import run_forever

    application = get_app(ctx)
    if not once and application.settings["runner.mode"] == "workers":
        raise SettingsError(
            "runner.mode = workers: the scheduled loop runs in `summitwatch worker` processes"
        )
    if once:
        report = pipeline.run_cycle(application)
        console.print(report.collect.line())
        built = [plan for plan in report.digests if plan.error is None]
        console.print(
            f"{report.scored} items scored, {report.flagged} flagged; "
            f"{len(built)} digests built; delivery: {report.delivery}"
        )
        for plan in report.digests:
            if plan.error is not None:
                console.print(f"digest for {plan.recipient} not built: {plan.error}", markup=False)
        return
    run_forever(application, console)


@app.command()
def train(
    ctx: typer.Context,
    labels: Annotated[list[Path], typer.Option(help="Extra labelled JSONL file(s).")] = [],  # noqa: B006
    no_activate: Annotated[
        bool, typer.Option("--no-activate", help="Train and record, but keep the old model.")
    ] = False,
) -> None:
    """Train a model from seeds/, reviewers' decisions and --labels files."""
    from summitwatch import modelstore

    outcome = modelstore.train_new(get_app(ctx), labels=list(labels), activate=not no_activate)
    m = outcome.model
    console.print(
        f"model {m.version}: {m.n_train} examples ({m.n_positive} positive), "
        f"cross-validated {m.metrics}"
    )
    if m.memory is not None:
        confirmed = len(m.events) if m.events is not None else 0
        console.print(
            f"remembers {len(m.memory)} reviewed or labelled items, "
            f"{confirmed} of them dated confirmed summits"
        )
    if outcome.new_eval is not None and outcome.old_eval is not None:
        console.print(
            f"on reviewed items: old F1 {outcome.old_eval['f1']} -> new F1 {outcome.new_eval['f1']}"
        )
    console.print(f"saved to {outcome.path}" + (" and activated" if outcome.activated else ""))


@app.command()
def evaluate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Labelled JSONL (title, text, label, ...).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Score a labelled file with the current model (never trains on it)."""
    from classifier.evaluation import evaluate as run_evaluation
    from classifier.training import read_jsonl
    from summitwatch.classify_cmd import print_report

    report = run_evaluation(get_app(ctx).detector(), read_jsonl(file))
    if as_json:
        console.print_json(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print_report(report, console)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Start the review web UI and JSON API."""
    import uvicorn

    from summitwatch.web.server import create_app

    application = get_app(ctx)
    bind = host or str(application.settings["web.host"])
    where = port or int(application.settings["web.port"])
    listener = listen(bind, where)
    server = uvicorn.Server(uvicorn.Config(create_app(application, bind_host=bind)))
    shown = f"[{bind}]" if ":" in bind else bind
    console.print(f"review UI on http://{shown}:{where}/ (Ctrl+C stops it)", markup=False)
    server.run(sockets=[listener])


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` before the server starts, so an address in use or
    not on this machine is one line, not uvicorn's log and exit."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        raise SettingsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    except OverflowError:
        raise SettingsError(f"cannot listen on {host}:{port}: not a port") from None
    sock.set_inheritable(True)
    return sock


@app.command()
def demo(
    ctx: typer.Context,
    workdir: Annotated[Path, typer.Option(help="Folder for the demo database and outbox.")] = Path(
        "demo-run"
    ),
) -> None:
    """Serve the bundled demo feeds on 127.0.0.1 and run one full cycle, offline."""
    from summitwatch.demo import run_demo

    obj: Context = ctx.find_root().obj
    run_demo(workdir, console, obj.overrides)


# workers mode (summitwatch.workers) and the status of either mode
app.command("worker")(worker_commands.worker)
app.add_typer(worker_commands.jobs, name="jobs")
app.command("status")(worker_commands.status)


def render_table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors that describe bad input (a setting, a file, an address), not a bug."""
    from alerts.addresses import AddressError
    from alerts.schedule import ScheduleError
    from classifier.verdict import TrainingDataError
    from collectors.opml import OpmlError
    from summitwatch.storage.db import StorageError

    return (SettingsError, TrainingDataError, ScheduleError, OpmlError, AddressError, StorageError)


USER_ERRORS = _user_errors()


def main() -> None:
    try:
        app()
    except USER_ERRORS as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except FileNotFoundError as exc:
        err.print(
            f"error: {exc.strerror}: {exc.filename}", markup=False, highlight=False, soft_wrap=True
        )
        raise SystemExit(2) from None
    except (OperationalError, InterfaceError) as exc:
        # the database went away or locked up after it was opened: still the user's to fix
        err.print(
            f"error: database: {one_line(exc)}", markup=False, highlight=False, soft_wrap=True
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
