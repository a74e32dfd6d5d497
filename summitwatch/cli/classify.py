"""``summitwatch classify`` and ``summitwatch evaluate``: scoring text and labelled files.

Text comes as an argument (first line = title), a file, or JSON Lines on stdin; verdicts go out
as a readable block per item or, with ``--json``, one JSON object per line for scripts.
``evaluate`` scores a labelled file with the current model and never trains on it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from classifier.detector import ItemInput
from classifier.evaluation import Report
from classifier.evaluation import evaluate as run_evaluation
from classifier.training import read_jsonl
from summitwatch import modelstore, pipeline
from summitwatch.app import App
from summitwatch.cli.context import get_app
from summitwatch.settings import SettingsError

console = Console()
# what the command does before its answer goes to stderr, so --json output stays parseable
_say = Console(stderr=True).print


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
    application = get_app(ctx)
    modelstore.prepare_model(application, _say)
    if pending or rescore:
        scored, flagged = pipeline.classify_pending(application, rescore=rescore)
        console.print(f"{scored} items scored, {flagged} flagged")
        return
    inputs = read_inputs(text, file, sys.stdin)
    classify_inputs(application, inputs, as_json, console)


def evaluate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Labelled JSONL (title, text, label, ...).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Score a labelled file with the current model (never trains on it)."""
    application = get_app(ctx)
    modelstore.prepare_model(application, _say)
    report = run_evaluation(application.detector(), read_jsonl(file))
    if as_json:
        console.print_json(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print_report(report, console)


def _split(text: str) -> ItemInput:
    title, _, body = text.strip().partition("\n")
    return ItemInput(title.strip(), body.strip())


def read_inputs(text: str | None, file: Path | None, stdin: TextIO) -> list[ItemInput]:
    if text:
        return [_split(text)]
    if file:
        return [_split(file.read_text(encoding="utf-8"))]
    if stdin.isatty():
        raise SettingsError("nothing to classify: give TEXT, --file, or JSON Lines on stdin")
    inputs = []
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            inputs.append(
                ItemInput(str(obj.get("title", "")), str(obj.get("text", "")), obj.get("lang"))
            )
        except (json.JSONDecodeError, AttributeError):
            raise SettingsError(
                f"stdin line {number}: expected a JSON object with title/text"
            ) from None
    return inputs


def verdict_json(verdict: Any) -> dict[str, Any]:
    data = asdict(verdict)
    data["event_date"] = verdict.event_date.isoformat() if verdict.event_date else None
    return data


def classify_inputs(app: App, inputs: Iterable[ItemInput], as_json: bool, console: Console) -> None:
    detector = app.detector()
    for item, verdict in zip(inputs, detector.classify_many(list(inputs)), strict=True):
        if as_json:
            print(json.dumps(verdict_json(verdict), ensure_ascii=False))
            continue
        mark = "[green]FLAGGED[/green]" if verdict.label else "[dim]not flagged[/dim]"
        console.print(f"{mark} {verdict.score:.2f}  {item.title[:100]}", highlight=False)
        console.print(f"  {verdict.summary}", highlight=False)
        if verdict.countries:
            console.print(
                f"  pair: {'–'.join(verdict.countries)}  visitor: {verdict.visitor}  "
                f"host: {verdict.host}  status: {verdict.status}  "
                f"date: {verdict.event_date}  place: {verdict.place}",
                highlight=False,
            )
        console.print("  reasons: " + "; ".join(verdict.reasons), highlight=False)


def _print_event_fields(fields: dict[str, Any], console: Console) -> None:
    """Event-field accuracy on the correctly flagged items, when the file labels them."""
    if not fields or not fields.get("n"):
        return

    def share(key: str) -> str:
        value = fields.get(key)
        return "n/a" if value is None else f"{value:.3f}"

    console.print(
        f"event fields on {fields['n']} correct flags: status={share('status_accuracy')}  "
        f"visitor and host={share('visitor_host_accuracy')}  place={share('place_accuracy')}  "
        f"date found={share('date_found')} exact={share('date_exact')} "
        f"(of {fields.get('date_n', 0)} with a stated date)"
    )


def print_report(report: Report, console: Console) -> None:
    o = report.overall
    console.print(
        f"n={report.n}  precision={o['precision']:.3f}  recall={o['recall']:.3f}  "
        f"F1={o['f1']:.3f}  dyad accuracy={report.dyad_accuracy:.3f}  "
        f"{report.items_per_second:.0f} items/s"
    )
    c = report.confusion
    console.print(f"confusion: TP={c['tp']} FP={c['fp']} FN={c['fn']} TN={c['tn']}")
    table = Table(title="by language")
    for column in ("lang", "n", "precision", "recall", "F1"):
        table.add_column(column)
    for lang, row in report.by_lang.items():
        table.add_row(
            lang,
            str(row["n"]),
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
        )
    console.print(table)
    _print_event_fields(report.event_fields, console)
    if report.by_category:
        cats = Table(title="flag rate by category")
        for column in ("category", "n", "flagged", "rate"):
            cats.add_column(column)
        for cat, row in report.by_category.items():
            cats.add_row(cat, str(row["n"]), str(row["flagged"]), f"{row['rate']:.2f}")
        console.print(cats)
    if report.errors:
        console.print("worst errors:")
        for e in report.errors:
            console.print(
                f"  {e['id']} [{e['lang']}] label={e['label']} score={e['score']:.2f} "
                f"{e['title']}\n      {e['why']}",
                highlight=False,
                markup=False,
            )
