"""``summitwatch review``: the review queue in the terminal, one item at a time, with Rich.

Keys: ``y`` confirm, ``n`` reject, ``s`` skip, ``u`` undo the last review of this session,
``q`` quit. On a terminal each key acts at once; when input is piped, one key per line is read,
which is also how the tests drive it. Items are read a page at a time from the same keyset queue
as the web UI, so a queue of 100,000 items starts as fast as one of ten. The command itself is
``summitwatch.cli.review``.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from summitwatch.app import App
from summitwatch.evidence import spans
from summitwatch.records import ItemView
from summitwatch.storage import items as item_store
from summitwatch.storage import queue
from summitwatch.storage import reviews as review_store
from summitwatch.storage.queue import QueueFilter

KEYS = (
    "[bold green]y[/] confirm  [bold red]n[/] reject  [bold]s[/] skip  [bold]u[/] undo  "
    "[bold]q[/] quit"
)
STYLES = {
    "cue": "bold green",
    "leader": "bold yellow",
    "country": "bold cyan",
    "capital": "cyan",
    "adjective": "cyan",
    "venue": "cyan",
}


@dataclass
class ReviewSummary:
    confirmed: int = 0
    rejected: int = 0
    skipped: int = 0
    undone: int = 0
    reviewed: list[tuple[int, str]] = field(default_factory=list)


def read_key_from(stream: Any) -> Callable[[], str]:
    """A key reader: single keypresses on a terminal, else the first letter of each line."""
    if hasattr(stream, "isatty") and stream.isatty():
        import termios
        import tty

        def raw() -> str:
            fd = stream.fileno()
            old = termios.tcgetattr(fd)
            try:
                tty.setraw(fd)
                char = stream.read(1)
            finally:
                termios.tcsetattr(fd, termios.TCSADRAIN, old)
            return "q" if char in ("\x03", "\x04", "") else char.lower()

        return raw

    def line() -> str:
        text = stream.readline()
        return text.strip()[:1].lower() if text else "q"

    return line


def styled(text: str, evidence: list[dict[str, Any]], field_name: str, limit: int = 0) -> Text:
    """``text`` with the classifier's evidence spans styled (Rich never interprets feed text)."""
    shown = text[:limit] + "…" if limit and len(text) > limit else text
    out = Text(shown)
    for start, end, kind, _label in spans(shown, evidence, field_name):
        out.stylize(STYLES.get(kind, "bold"), start, end)
    return out


def item_panel(view: ItemView, position: str) -> Panel:
    evidence = list(view.explanation.get("evidence", []))
    body = Text()
    body.append_text(styled(view.title, evidence, "title"))
    body.append("\n")
    states = " – ".join(view.countries) or "no pair"
    body.append(
        f"{view.source or '?'} · {view.language or '?'} · "
        f"{view.published:%Y-%m-%d %H:%M} UTC · {states} · {view.status} · "
        f"score {view.score or 0:.2f}\n\n",
        style="dim",
    )
    body.append_text(styled(view.content or view.summary, evidence, "text", 700))
    summary = str(view.explanation.get("summary", ""))
    if summary:
        body.append("\n\n" + summary, style="italic")
    return Panel(body, title=f"item {view.id} ({position})", subtitle=KEYS, expand=True)


def review_command(
    app: App,
    console: Console,
    *,
    view: str = "queue",
    read_key: Callable[[], str] | None = None,
    reviewer: str | None = None,
    page_size: int = 50,
) -> ReviewSummary:
    """Walk the ``view`` queue (queue or near), asking a key per item; returns the tally."""
    if read_key is None:
        read_key = read_key_from(sys.stdin)
    who = reviewer or _os_user()
    threshold = float(app.settings["classifier.threshold"])
    near = float(app.settings["classifier.near_miss"])
    flt = QueueFilter(view=view)
    total = queue.count(app.db, flt, threshold=threshold, near_miss=near)
    summary = ReviewSummary()
    if total == 0:
        console.print("Nothing to review: the queue is empty.")
        return summary
    console.print(f"{total} items to review as [bold]{who}[/bold].")
    cursor: str | None = None
    shown = 0
    pending: list[ItemView] = []
    while True:
        if not pending:
            page = queue.queue_page(
                app.db, flt, threshold=threshold, near_miss=near, cursor=cursor, limit=page_size
            )
            if not page.items:
                break
            pending, cursor = list(page.items), page.next_cursor
        current = pending.pop(0)
        shown += 1
        console.print(item_panel(current, f"{shown} of {total}"))
        step = _decide(app, console, summary, read_key, pending, current, who)
        if step == "quit":
            _report(console, summary)
            return summary
        if step == "undone":
            shown -= 2  # both items will be shown again
        if not pending and cursor is None:
            break
    _report(console, summary)
    return summary


def _decide(
    app: App,
    console: Console,
    summary: ReviewSummary,
    read_key: Callable[[], str],
    pending: list[ItemView],
    current: ItemView,
    who: str,
) -> str:
    """Ask keys until one decides ``current``: "done", "undone" (the previous decision was
    taken back and both items come again) or "quit"."""
    while True:
        key = read_key()
        if key in ("y", "n"):
            decision = "confirm" if key == "y" else "reject"
            review_store.add_review(app.db, current.id, decision, reviewer=who)
            summary.reviewed.append((current.id, decision))
            if key == "y":
                summary.confirmed += 1
            else:
                summary.rejected += 1
            console.print(f"  {decision}ed", style="green" if key == "y" else "red")
            return "done"
        if key == "s":
            summary.skipped += 1
            return "done"
        if key == "u":
            if _undo(app, summary, console, pending, current):
                return "undone"
            continue
        if key == "q":
            return "quit"
        console.print("  keys: y confirm, n reject, s skip, u undo, q quit")


def _undo(
    app: App, summary: ReviewSummary, console: Console, pending: list[ItemView], current: ItemView
) -> bool:
    """Take back this session's last review and show that item again; False if none."""
    if not summary.reviewed:
        console.print("  nothing to undo")
        return False
    item_id, decision = summary.reviewed.pop()
    review_store.undo_last_review(app.db, item_id)
    summary.undone += 1
    if decision == "confirm":
        summary.confirmed -= 1
    else:
        summary.rejected -= 1
    again = item_store.get_item(app.db, item_id)
    pending.insert(0, current)
    if again is not None:
        pending.insert(0, again)
    console.print(f"  undid the review of item {item_id}")
    return True


def _report(console: Console, s: ReviewSummary) -> None:
    console.print(
        f"{s.confirmed} confirmed, {s.rejected} rejected, {s.skipped} skipped, {s.undone} undone."
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "terminal"
