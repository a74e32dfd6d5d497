"""Failed-login throttling and revocable sessions, over real HTTP (uvicorn on loopback) where the
client address matters, in process where only the session does.

Every server here listens on a loopback address and every client connects from one: httpx picks
the source address (127.0.0.3, 127.0.0.4, ...), so per-address limits are exercised for real.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from summitwatch.accounts import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    LoginThrottle,
    add_user,
    address_key,
    remove_user,
)
from summitwatch.app import App
from summitwatch.storage import accounts as account_store
from summitwatch.web.security import SESSION_COOKIE, Guard, _current
from summitwatch.web.server import create_app

from .conftest import BASE, Served, make_app

PASSWORD = "correct horse battery"


@pytest.fixture
def locked_down(tmp_path: Path, model_cache: Path) -> Iterator[App]:
    """A loopback UI that still asks for a login (web.require_login = true), one account."""
    application = make_app(tmp_path, model_cache, **{"web.require_login": "true"})
    add_user(application.db, "amina", PASSWORD)
    yield application
    application.close()


@pytest.fixture
def served(locked_down: App) -> Iterator[str]:
    with Served(locked_down) as url:
        yield url


def browser_from(url: str, source: str) -> httpx.Client:
    """A cookie-keeping HTTP client whose connections come from loopback address ``source``."""
    return httpx.Client(base_url=url, transport=httpx.HTTPTransport(local_address=source))


def login(client: httpx.Client | TestClient, name: str, password: str) -> httpx.Response:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "login page carries no CSRF token"
    form = {"name": name, "password": password, "csrf_token": token.group(1), "next": "/queue"}
    return client.post("/login", data=form, follow_redirects=False)


def test_wrong_passwords_then_the_right_one_is_refused(
    served: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="summitwatch.web")
    with browser_from(served, "127.0.0.3") as client:
        statuses = [login(client, "amina", f"guess number {n}").status_code for n in range(12)]
        right = login(client, "amina", PASSWORD)
        assert client.get("/queue", follow_redirects=False).status_code == 303  # not signed in
    assert statuses == [401] * (ACCOUNT_LIMIT - 1) + [429] * (13 - ACCOUNT_LIMIT)
    assert right.status_code == 429 and 290 <= int(right.headers["retry-after"]) <= 300
    assert "Too many failed logins for this account; try again in 5 minutes." in right.text
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "'amina'" in warning.getMessage() and "127.0.0.3" in warning.getMessage()
    assert not any("guess number" in r.getMessage() for r in caplog.records)
    # another address is locked out of the account too: the lock is on the account
    with browser_from(served, "127.0.0.4") as other:
        assert login(other, "amina", PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_refused(served: str) -> None:
    with browser_from(served, "127.0.0.5") as client:
        statuses = {login(client, f"user{n}", "guess").status_code for n in range(ADDRESS_LIMIT)}
        right = login(client, "amina", PASSWORD)
    assert statuses == {401, 429}  # the last failure starts the lock
    assert right.status_code == 429
    assert "Too many failed logins from this address; try again in 5 minutes." in right.text
    with browser_from(served, "127.0.0.6") as elsewhere:  # the account itself is not locked
        ok = login(elsewhere, "amina", PASSWORD)
        assert ok.status_code == 303 and elsewhere.get("/queue").status_code == 200


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(throttle: LoginThrottle, times: int, account: str = "amina", address: str = "::1"):
    return [throttle.failed(account, address) for _ in range(times)][-1]


def test_cooling_off_grows_with_each_lockout_up_to_an_hour() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    coolings = []
    for _ in range(6):
        lockout = fail(throttle, ACCOUNT_LIMIT)
        assert lockout is not None and lockout.kind == "account"
        coolings.append(lockout.seconds // 60)
        clock.now += lockout.seconds - 1
        assert throttle.locked("amina", "::1") is not None  # still locked a second before
        clock.now += 1
        assert throttle.locked("amina", "::1") is None
    assert coolings == [5, 10, 20, 40, 60, 60]


@pytest.mark.parametrize(
    ("step", "locked_after"),
    [
        (lambda t, c: c.__setattr__("now", c.now + 15 * 60 + 1), False),
        (lambda t, c: t.succeeded("amina"), False),
        (lambda t, c: t.succeeded("someone-else"), True),
        (lambda t, c: c.__setattr__("now", c.now + 60), True),
    ],
    ids=["failures-age-out", "success-clears", "other-success-does-not", "within-window"],
)
def test_failures_count_within_the_window(
    step: Callable[[LoginThrottle, Clock], None], locked_after: bool
) -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    fail(throttle, ACCOUNT_LIMIT - 1)
    step(throttle, clock)
    assert (fail(throttle, 1) is not None) is locked_after


def test_a_success_does_not_clear_the_address_count() -> None:
    throttle = LoginThrottle(Clock())
    for n in range(ADDRESS_LIMIT - 1):
        throttle.failed(f"user{n}", "127.0.0.7")
    throttle.succeeded("amina")
    lockout = throttle.failed("amina", "127.0.0.7")
    assert lockout is not None and lockout.kind == "address"


def test_tracked_keys_are_bounded_and_a_flood_keeps_running_lockouts() -> None:
    throttle = LoginThrottle(Clock(), max_tracked=50)
    fail(throttle, ACCOUNT_LIMIT, "amina", "127.0.0.8")
    for n in range(2000):
        throttle.failed(f"made-up-{n}", f"127.0.{n // 250}.{n % 250 + 1}")
    assert len(throttle) <= 50
    assert throttle.locked("amina", "127.0.0.9") is not None


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::/64"),
        ("fd00::1:2:3:4", "fd00::/64"),
        ("testclient", "testclient"),
    ],
    ids=["ipv4", "ipv6-loopback", "ipv6-same-64", "not-an-address"],
)
def test_address_keys(address: str, key: str) -> None:
    assert address_key(address) == key


# -- revocable sessions --------------------------------------------------------------------


def _logout(client: TestClient, application: App) -> None:
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/queue").text)
    assert token
    client.post("/logout", data={"csrf_token": token.group(1)})


def _new_password(client: TestClient, application: App) -> None:
    add_user(application.db, "amina", "a brand new passphrase")


def _remove(client: TestClient, application: App) -> None:
    assert remove_user(application.db, "amina")


@pytest.mark.parametrize(
    "revoke", [_logout, _new_password, _remove], ids=["logout", "password-change", "remove-user"]
)
def test_an_old_session_cookie_stops_working(
    locked_down: App, revoke: Callable[[TestClient, App], None]
) -> None:
    web = create_app(locked_down)
    with TestClient(web, base_url=BASE) as client, TestClient(web, base_url=BASE) as replay:
        assert login(client, "amina", PASSWORD).status_code == 303
        stolen = client.cookies[SESSION_COOKIE]
        replay.cookies.set(SESSION_COOKIE, stolen)
        assert replay.get("/api/items").status_code == 200  # a copy works until revoked
        revoke(client, locked_down)
        replay.cookies.set(SESSION_COOKIE, stolen)
        assert replay.get("/api/items").status_code == 401
        page = replay.get("/queue", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_logout_ends_the_sessions_on_other_devices(locked_down: App) -> None:
    web = create_app(locked_down)
    with TestClient(web, base_url=BASE) as laptop, TestClient(web, base_url=BASE) as phone:
        assert login(laptop, "amina", PASSWORD).status_code == 303
        assert login(phone, "amina", PASSWORD).status_code == 303
        _logout(laptop, locked_down)
        assert phone.get("/api/items").status_code == 401
        assert login(phone, "amina", PASSWORD).status_code == 303  # logging in again works
        assert phone.get("/api/items").status_code == 200


@pytest.mark.parametrize(
    ("session", "generation", "kept"),
    [
        ({"csrf": "t", "user": None}, None, True),
        ({"csrf": "t", "user": "amina", "gen": 3}, 3, True),
        ({"csrf": "t", "user": "amina", "gen": 2}, 3, False),
        ({"csrf": "t", "user": "amina"}, 0, False),
        ({"csrf": "t", "user": "amina", "gen": 0}, None, False),
    ],
    ids=["anonymous", "current", "older-generation", "cookie-from-before-0003", "no-account"],
)
def test_a_session_counts_only_with_the_current_generation(
    session: dict[str, object], generation: int | None, kept: bool
) -> None:
    guard = Guard.for_bind("127.0.0.1", "a fixed key for this test")
    cookie = guard.serializer.dumps(session)
    loaded = asyncio.run(_current(guard, cookie, lambda name: generation))
    assert (loaded == session) is kept


def test_login_stores_the_generation(locked_down: App) -> None:
    account_store.end_sessions(locked_down.db, "amina")
    account_store.end_sessions(locked_down.db, "amina")
    assert account_store.session_generation(locked_down.db, "amina") == 2
    web = create_app(locked_down)
    with TestClient(web, base_url=BASE) as client:
        assert login(client, "amina", PASSWORD).status_code == 303
        assert client.get("/api/items").status_code == 200
