"""``summitwatch review``: the terminal review of the queue (the walk itself is
``summitwatch.review_tui``, which the tests drive without a command line)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from summitwatch.cli.context import get_app
from summitwatch.review_tui import review_command


def review(
    ctx: typer.Context,
    near: Annotated[bool, typer.Option("--near", help="Review the near misses instead.")] = False,
) -> None:
    """Review flagged items in the terminal: y confirm, n reject, s skip, u undo, q quit."""
    review_command(get_app(ctx), Console(), view="near" if near else "queue")
