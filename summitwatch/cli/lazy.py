"""A command group that imports a sub-command's module only when that command is used.

The root of ``summitwatch`` knows each sub-command from a ``LazyCommand`` row (name, module,
attribute, one-line help) and lists them in ``--help`` from the rows alone, so ``summitwatch
--help`` imports none of the command modules and their heavy dependencies (SQLAlchemy,
scikit-learn, FastAPI, trafilatura). Running a command, or asking for its own ``--help``, imports
its module and turns the Typer app or function found there into a click command. In this Typer
release click is vendored as ``typer._click`` and ``TyperGroup`` is its group class.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a sub-command lives: ``attribute`` of ``module`` is a ``typer.Typer`` (a group of
    commands) or a function (one command); ``help`` is what the root's ``--help`` shows."""

    name: str
    module: str
    attribute: str
    help: str


def load(row: LazyCommand) -> _click.Command:
    """The click command of ``row``: its module imported, its Typer app or function built."""
    target: typer.Typer | Callable[..., Any] = getattr(
        importlib.import_module(row.module), row.attribute
    )
    # built as the sub-command of a holder group, as Typer builds add_typer / command: alone, a
    # Typer app of one command would collapse into that command (``db`` has only ``upgrade``)
    holder = typer.Typer(add_completion=False)
    holder.callback()(_no_options)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=row.name)
    else:
        holder.command(row.name)(target)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group.commands[row.name]


def _no_options() -> None:
    """The holder group's callback: it only makes Typer build a group."""


class LazyGroup(TyperGroup):
    """A ``TyperGroup`` whose sub-commands are imported on first use (see ``LazyCommand``)."""

    lazy_commands: Sequence[LazyCommand] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._rows = {row.name: row for row in self.lazy_commands}
        self._listing = False
        # placeholders keep Typer's "did you mean" suggestions and the listing order working
        for row in self.lazy_commands:
            self.commands.setdefault(row.name, _placeholder(row))

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        row = self._rows.get(cmd_name)
        command = self.commands.get(cmd_name)
        if row is None or self._listing or not isinstance(command, _Placeholder):
            return command
        loaded = self.commands[cmd_name] = load(row)
        return loaded

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        with self._listing_only():
            super().format_help(ctx, formatter)

    @contextmanager
    def _listing_only(self) -> Iterator[None]:
        # while the root's help is printed, every command is seen through its placeholder
        self._listing = True
        try:
            yield
        finally:
            self._listing = False


class _Placeholder(TyperCommand):
    """Stands for a command not yet imported: a name and the help line, nothing to run."""


def _placeholder(row: LazyCommand) -> _Placeholder:
    return _Placeholder(name=row.name, help=row.help, short_help=row.help)


def lazy_group(rows: Sequence[LazyCommand]) -> type[LazyGroup]:
    """A ``LazyGroup`` class serving ``rows``, for ``typer.Typer(cls=...)``."""
    return type("SummitWatchGroup", (LazyGroup,), {"lazy_commands": tuple(rows)})
