"""Which requests a UI answers, by where it listens: any loopback Host header when bound to
loopback (DNS-rebinding names still refused), and ``web.require_login`` (auto, true, false).

Every server and client here uses loopback addresses; the beyond-loopback binds are only handed to
``create_app``, which refuses them before anything listens.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from summitwatch.app import App
from summitwatch.settings import SettingsError
from summitwatch.web.server import create_app

from .conftest import BASE, Served, make_app


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.2",
        "127.0.0.2:8765",
        "127.255.255.254:80",
        "localhost:8765",
        "LOCALHOST",
        "[::1]:8765",
    ],
)
def test_loopback_server_accepts_any_loopback_host_header(client: TestClient, host: str) -> None:
    assert client.get("/queue", headers={"Host": host}).status_code == 200


def test_served_on_127_0_0_2_answers_to_its_own_address(application: App) -> None:
    with Served(application, "127.0.0.2") as url, httpx.Client(base_url=url) as http:
        assert http.get("/queue").status_code == 200
        assert http.get("/queue", headers={"Host": "evil.example"}).status_code == 421


@pytest.mark.parametrize(
    ("bind", "setting", "status"),
    [
        ("127.0.0.1", "auto", 200),
        ("127.0.0.1", "true", 303),
        ("127.0.0.1", "false", 200),
        ("localhost", "true", 303),
        ("127.0.0.2", "false", 200),
    ],
    ids=["loopback-auto", "loopback-true", "loopback-false", "localhost-true", "other-false"],
)
def test_require_login_setting(
    tmp_path: Path, model_cache: Path, bind: str, setting: str, status: int
) -> None:
    application = make_app(tmp_path, model_cache, **{"web.require_login": setting})
    with TestClient(create_app(application, bind_host=bind), base_url=BASE) as c:
        response = c.get("/queue", follow_redirects=False)
        assert response.status_code == status
        if status == 303:
            assert response.headers["location"] == "/login?next=/queue"
            assert c.get("/api/items").status_code == 401
    application.close()


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "summitwatch.example"])
def test_require_login_false_beyond_loopback_refuses_to_start(
    tmp_path: Path, model_cache: Path, bind: str
) -> None:
    application = make_app(tmp_path, model_cache, **{"web.require_login": "false"})
    with pytest.raises(SettingsError, match=r"web\.require_login = false refused") as refused:
        create_app(application, bind_host=bind)
    assert "\n" not in str(refused.value)  # the CLI prints it as one "error:" line
    application.close()
