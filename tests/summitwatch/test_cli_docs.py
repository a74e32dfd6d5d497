"""Every command and every option of ``summitwatch`` says what it does, and the root's help,
read from the lazy table, is the commands' own.

The tree is walked through click, loading each lazy command as running it would; ``--help``
itself is the only option allowed no text of ours. In a fresh interpreter, ``--help``,
``--version`` and ``-h`` answer without importing a single command module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.testing import CliRunner

from summitwatch.cli.root import COMMANDS, app, package_version


def walk(
    command: _click.Command, path: str, ctx: _click.Context
) -> Iterator[tuple[str, _click.Command]]:
    yield path, command
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{path} {name}: not found"
            yield from walk(sub, f"{path} {name}", _click.Context(sub, parent=ctx, info_name=name))


def tree() -> list[tuple[str, _click.Command]]:
    root = typer.main.get_command(app)
    return list(walk(root, "summitwatch", _click.Context(root, info_name="summitwatch")))


TREE = tree()


def test_the_walk_reaches_every_command_of_the_table() -> None:
    paths = {path for path, _ in TREE}
    assert {f"summitwatch {row.name}" for row in COMMANDS} <= paths
    assert {"summitwatch feeds list", "summitwatch db upgrade", "summitwatch jobs retry"} <= paths


@pytest.mark.parametrize(("path", "command"), TREE, ids=[path for path, _ in TREE])
def test_command_and_its_options_have_help(path: str, command: _click.Command) -> None:
    assert (command.help or "").strip(), f"{path}: no help"
    missing = [
        param.name
        for param in command.params
        if isinstance(param, TyperOption | TyperArgument)
        and "--help" not in getattr(param, "opts", ())
        and not (getattr(param, "help", None) or "").strip()
    ]
    assert missing == [], f"{path}: no help for {missing}"


def test_the_lazy_table_says_what_each_command_says() -> None:
    loaded = dict(TREE)
    for row in COMMANDS:
        own = (loaded[f"summitwatch {row.name}"].help or "").strip().splitlines()[0]
        assert row.help == own, row.name


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from summitwatch.cli import main\n"
        "sys.argv = ['summitwatch', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import json\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('summitwatch', "
        "'sqlalchemy', 'sklearn', 'fastapi', 'trafilatura', 'collectors', 'classifier')))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == [
        "summitwatch",
        "summitwatch.cli",
        "summitwatch.cli.lazy",
        "summitwatch.cli.root",
    ]
    for row in COMMANDS:
        assert row.name in done.stdout and row.help[:40] in done.stdout


def test_version_and_short_help() -> None:
    runner = CliRunner()
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.strip() == f"summitwatch {package_version()}"
    short = runner.invoke(app, ["-h"])
    assert short.exit_code == 0 and "Usage:" in short.output and "countries" in short.output
    sub = runner.invoke(app, ["feeds", "add", "-h"])
    assert sub.exit_code == 0 and "The feed's http(s) address." in sub.output


def readme_commands() -> list[str]:
    """Every ``summitwatch …`` line of the README's shell blocks, comments cut."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lines, inside = [], False
    for line in readme.splitlines():
        if line.startswith("```"):
            inside = line.strip() in ("```sh", "```bash", "```console")
            continue
        text = line.split("#", 1)[0].strip()
        if inside and text.startswith("summitwatch "):
            lines.append(text)
    return lines


def _resolve(words: list[str]) -> tuple[_click.Command, list[str]]:
    """The command a README line names, and the words left for its options and arguments."""
    paths = dict(TREE)
    path, rest = "summitwatch", list(words[1:])
    while rest and not rest[0].startswith("-") and f"{path} {rest[0]}" in paths:
        path = f"{path} {rest.pop(0)}"
    return paths[path], rest


@pytest.mark.parametrize("line", readme_commands(), ids=readme_commands())
def test_every_readme_command_exists_with_its_options(line: str) -> None:
    """A command the README shows is one the CLI has, with options it takes: a renamed
    command or a dropped option fails here before a reader meets it."""
    command, rest = _resolve(line.split())
    root_options = {o for p in typer.main.get_command(app).params for o in getattr(p, "opts", ())}
    known = {
        o for p in command.params for o in getattr(p, "opts", ()) + getattr(p, "secondary_opts", ())
    }
    for word in rest:
        option = word.split("=", 1)[0]
        if option.startswith("--"):
            assert option in known | root_options, f"{line}: {option} is not an option"
    assert not isinstance(command, TyperGroup) or "--help" in rest, f"{line}: names a group"
