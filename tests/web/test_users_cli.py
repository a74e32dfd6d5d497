"""``summitwatch users add/remove`` and ``summitwatch review`` as commands, under a root like the
CLI's; a new password or a removed account ends the account's web sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from summitwatch.accounts import add_user, verify
from summitwatch.cli.context import Context
from summitwatch.cli.review import review
from summitwatch.cli.users import users
from summitwatch.settings import SettingsError
from summitwatch.web.security import SESSION_COOKIE
from summitwatch.web.server import create_app

from .conftest import BASE, add_stories, csrf_token, make_app


def root(config: Path, overrides: dict[str, str]) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = Context(config, overrides)

    app.add_typer(users, name="users")
    app.command("review")(review)
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


def signed_in(web: FastAPI) -> str:
    """A signed-in session cookie of amina's, from a UI that asks for a login on loopback."""
    with TestClient(web, base_url=BASE) as c:
        token = csrf_token(c, "/login")
        form = {"name": "amina", "password": "long enough secret", "csrf_token": token}
        assert c.post("/login", data=form, follow_redirects=False).status_code == 303
        return str(c.cookies[SESSION_COOKIE])


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["users", "add", "amina"], "user amina: password changed, signed out"),
        (["users", "remove", "amina"], "user amina: removed, signed out"),
    ],
    ids=["password-change", "remove"],
)
def test_users_commands_end_the_accounts_sessions(
    tmp_path: Path, model_cache: Path, command: list[str], said: str
) -> None:
    application = make_app(tmp_path, model_cache, **{"web.require_login": "true"})
    add_user(application.db, "amina", "long enough secret")
    web = create_app(application)
    cookie = signed_in(web)
    with TestClient(web, base_url=BASE) as replay:
        replay.cookies.set(SESSION_COOKIE, cookie)
        assert replay.get("/api/items").status_code == 200  # valid until the command runs
    overrides = {
        "database.url": str(application.settings["database.url"]),
        "classifier.cache_dir": str(model_cache),
    }
    result = CliRunner().invoke(
        root(tmp_path / "summitwatch.toml", overrides),
        command,
        input="another long secret\nanother long secret\n",
    )
    assert result.exit_code == 0, result.output
    assert said in result.output
    with TestClient(web, base_url=BASE) as replay:
        replay.cookies.set(SESSION_COOKIE, cookie)
        assert replay.get("/api/items").status_code == 401
    application.close()


def test_users_remove_names_a_missing_account(tmp_path: Path, model_cache: Path) -> None:
    application = make_app(tmp_path, model_cache)
    overrides = {
        "database.url": str(application.settings["database.url"]),
        "classifier.cache_dir": str(model_cache),
    }
    result = CliRunner().invoke(
        root(tmp_path / "summitwatch.toml", overrides), ["users", "remove", "nobody"]
    )
    assert isinstance(result.exception, SettingsError)
    assert "user 'nobody': no such account" in str(result.exception)
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
