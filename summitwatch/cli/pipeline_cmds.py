"""The pipeline's commands: ``collect``, ``run`` (the scheduled loop or one cycle), ``train``
and ``demo``: thin shells over ``summitwatch.pipeline``, ``scheduler``, ``modelstore`` and
``demo``, printing what each step did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from summitwatch import modelstore, pipeline
from summitwatch.cli.context import get_app, get_context
from summitwatch.demo import run_demo
from summitwatch.embedded import run_forever
from summitwatch.progress import collect_with_progress
from summitwatch.settings import SettingsError

console = Console()


def collect(ctx: typer.Context) -> None:
    """Poll the feeds that are due and store new items."""
    report = collect_with_progress(get_app(ctx))
    console.print(report.line())
    for url, message in report.errors[:20]:
        console.print(f"  [red]failed[/red] {url}: {message}")


def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One full cycle, then exit.")] = False,
) -> None:
    """Run the scheduled loop: poll due feeds, classify, send digests on schedule."""
    application = get_app(ctx)
    if not once and application.settings["runner.mode"] == "workers":
        raise SettingsError(
            "runner.mode = workers: the scheduled loop runs in `summitwatch worker` processes"
        )
    modelstore.prepare_model(application, console.print)
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


def train(
    ctx: typer.Context,
    labels: Annotated[list[Path], typer.Option(help="Extra labelled JSONL file(s).")] = [],  # noqa: B006
    no_activate: Annotated[
        bool, typer.Option("--no-activate", help="Train and record, but keep the old model.")
    ] = False,
) -> None:
    """Train a model from seeds/, reviewers' decisions and --labels files."""
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


def demo(
    ctx: typer.Context,
    workdir: Annotated[Path, typer.Option(help="Folder for the demo database and outbox.")] = Path(
        "demo-run"
    ),
) -> None:
    """Serve the bundled demo feeds on 127.0.0.1 and run one full cycle, offline."""
    run_demo(workdir, console, get_context(ctx).overrides)
