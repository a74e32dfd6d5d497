"""The SMTP configuration is built from the settings in one place (``digest_steps.smtp_config``),
every ``SmtpConfig`` field given; without ``smtp.host`` digests are written as .eml files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from alerts import SMTP_TIMEOUT, EmlTransport, SmtpConfig, SmtpTransport
from summitwatch import digest_steps
from summitwatch.app import open_app
from summitwatch.settings import load_settings

CASES = [
    pytest.param({}, {}, None, id="no-host-no-smtp"),
    pytest.param(
        {"smtp.host": "smtp.example.org", "smtp.port": 465, "smtp.security": "tls"},
        {},
        SmtpConfig("smtp.example.org", 465, "tls", timeout=SMTP_TIMEOUT),
        id="implicit-tls",
    ),
    pytest.param(
        {"smtp.host": "localhost", "smtp.port": 25, "smtp.security": "none", "smtp.username": "u"},
        {"SUMMITWATCH_SMTP_PASSWORD": "p"},
        SmtpConfig("localhost", 25, "none", "u", "p", verify_certificates=True),
        id="local-with-password-from-env",
    ),
    pytest.param(
        {
            "smtp.host": "relay.test",
            "smtp.timeout_seconds": 5,
            "smtp.verify_certificates": False,
        },
        {},
        SmtpConfig("relay.test", timeout=5.0, verify_certificates=False),
        id="timeout-and-certificates-from-settings",
    ),
]


@pytest.mark.parametrize(("overrides", "env", "expected"), CASES)
def test_smtp_config_from_settings(
    overrides: dict[str, Any],
    env: dict[str, str],
    expected: SmtpConfig | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in env.items():  # the password is read from the environment when used
        monkeypatch.setenv(name, value)
    settings = load_settings(None, overrides, env=env)
    assert digest_steps.smtp_config(settings) == expected


@pytest.mark.parametrize(
    ("overrides", "transport"),
    [
        pytest.param({}, EmlTransport, id="eml-files"),
        pytest.param({"smtp.host": "127.0.0.1", "smtp.security": "none"}, SmtpTransport, id="smtp"),
    ],
)
def test_transport_follows_the_config(
    tmp_path: Path, model_cache: Path, overrides: dict[str, Any], transport: type
) -> None:
    overrides = {
        "database.url": f"sqlite:///{tmp_path / 'sw.db'}",
        "classifier.cache_dir": str(model_cache),
        **overrides,
    }
    app = open_app(None, overrides, env={})
    assert isinstance(digest_steps._transport(app), transport)
