"""``summitwatch review`` in the terminal, driven by piped keys against a real database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from summitwatch.review_tui import read_key_from, review_command
from summitwatch.storage import items as item_store
from summitwatch.storage import reviews as review_store
from tests.web.conftest import STORIES, add_stories, make_app

FLAGGED_NEWEST_FIRST = ["kz-tj", "uz-cn", "kg-ru", "tm-tr"]


@pytest.mark.parametrize(
    ("keys", "states", "tally"),
    [
        ("y\nn\ns\ny\n", ["confirmed", "rejected", None, "confirmed"], (2, 1, 1, 0)),
        ("y\nu\nn\nq\n", ["rejected", None, None, None], (0, 1, 0, 1)),
        ("x\ny\n\n", ["confirmed", None, None, None], (1, 0, 0, 0)),
        ("u\nq\n", [None, None, None, None], (0, 0, 0, 0)),
    ],
    ids=["confirm-reject-skip", "undo-then-reject", "unknown-key-then-eof", "nothing-to-undo"],
)
def test_review_keys(
    tmp_path: Path,
    model_cache: Path,
    keys: str,
    states: list[str | None],
    tally: tuple[int, int, int, int],
) -> None:
    app = make_app(tmp_path, model_cache)
    ids = add_stories(app, STORIES)
    out = io.StringIO()
    summary = review_command(
        app,
        Console(file=out, width=100),
        read_key=read_key_from(io.StringIO(keys)),
        reviewer="tess",
    )
    assert [
        item_store.get_item(app.db, ids[k]).review_state  # type: ignore[union-attr]
        for k in FLAGGED_NEWEST_FIRST
    ] == states
    assert (summary.confirmed, summary.rejected, summary.skipped, summary.undone) == tally
    reviewers = {r.reviewer for i in ids.values() for r in review_store.reviews_for(app.db, i)}
    assert reviewers <= {"tess"}
    assert "item " in out.getvalue() and "Tokayev" in out.getvalue()
    app.close()


def test_empty_queue_says_so(tmp_path: Path, model_cache: Path) -> None:
    app = make_app(tmp_path, model_cache)
    out = io.StringIO()
    review_command(app, Console(file=out), read_key=lambda: "q")
    assert "queue is empty" in out.getvalue()
    app.close()
