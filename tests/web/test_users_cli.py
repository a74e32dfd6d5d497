"""``summitwatch users add`` and ``summitwatch review`` as commands, under a root like the CLI's."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from summitwatch import cli
from summitwatch.review_tui import review_cli
from summitwatch.users import users, verify

from .conftest import add_stories, make_app


def root(config: Path, overrides: dict[str, str]) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = cli.Context(config, overrides)

    app.add_typer(users, name="users")
    app.command("review")(review_cli)
    return app


def test_users_add_prompts_twice_and_hashes(tmp_path: Path, model_cache: Path) -> None:
    application = make_app(tmp_path, model_cache)
    overrides = {
        "database.url": str(application.settings["database.url"]),
        "classifier.cache_dir": str(model_cache),
    }
    runner = CliRunner()
    command = root(tmp_path / "summitwatch.toml", overrides)
    result = runner.invoke(
        command, ["users", "add", "amina"], input="long enough secret\nlong enough secret\n"
    )
    assert result.exit_code == 0, result.output
    assert "user amina: created" in result.output
    assert verify(application.db, "amina", "long enough secret")
    listed = runner.invoke(command, ["users", "list"])
    assert listed.output.split() == ["amina"]
    application.close()


def test_review_command_reads_keys(tmp_path: Path, model_cache: Path) -> None:
    application = make_app(tmp_path, model_cache)
    add_stories(application)
    overrides = {
        "database.url": str(application.settings["database.url"]),
        "classifier.cache_dir": str(model_cache),
    }
    result = CliRunner().invoke(
        root(tmp_path / "summitwatch.toml", overrides), ["review"], input="y\nn\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "1 confirmed, 1 rejected, 0 skipped" in result.output
    application.close()
