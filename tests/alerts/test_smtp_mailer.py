"""`send_message` against a real SMTP server on 127.0.0.1: every outcome is classified, nothing
raises, and the configuration refuses unsafe or malformed settings."""

from __future__ import annotations

import pytest
from digest_factories import SENDER, group_and_build, parse
from smtp_scripted import SmtpServer, free_port

from alerts import SmtpConfig, SmtpTransport, send_message


@pytest.fixture
def raw() -> bytes:
    return group_and_build()


@pytest.mark.parametrize(
    ("script", "status", "detail"),
    [
        ([], "sent", "accepted by 127.0.0.1"),
        (["421"], "temporary", "data refused: 421 4.3.2"),
        (["550"], "permanent", "data refused: 550 5.7.1 Message rejected by policy"),
        (["drop"], "temporary", "connection lost"),
    ],
    ids=["accepted", "421-try-later", "550-rejected", "dropped-mid-data"],
)
def test_outcomes(
    smtp_server: SmtpServer, raw: bytes, script: list[str], status: str, detail: str
) -> None:
    smtp_server.handler.script.extend(script)
    outcome = send_message(smtp_server.config(), SENDER, "analyst@example.org", raw)
    assert outcome.status == status
    assert detail in outcome.detail
    assert len(smtp_server.handler.accepted) == (1 if status == "sent" else 0)


def test_accepted_bytes_are_the_message(smtp_server: SmtpServer, raw: bytes) -> None:
    assert SmtpTransport(smtp_server.config()).send(SENDER, "a@example.org", raw).status == "sent"
    received = parse(smtp_server.handler.accepted[0].data)
    assert received["Message-ID"] == parse(raw)["Message-ID"]
    assert received.get_body(("plain",)) is not None


def test_server_down_is_temporary(raw: bytes) -> None:
    config = SmtpConfig("127.0.0.1", free_port(), security="none", timeout=5)
    outcome = send_message(config, SENDER, "analyst@example.org", raw)
    assert outcome.status == "temporary"
    assert "connect to 127.0.0.1" in outcome.detail


@pytest.mark.parametrize(
    ("security", "detail"),
    [("starttls", "STARTTLS"), ("tls", "connect to")],
    ids=["starttls-not-offered", "tls-to-plain-server"],
)
def test_tls_problems_are_temporary(
    smtp_server: SmtpServer, raw: bytes, security: str, detail: str
) -> None:
    config = smtp_server.config(security=security, timeout=5)
    outcome = send_message(config, SENDER, "analyst@example.org", raw)
    assert outcome.status == "temporary"
    assert detail in outcome.detail
    assert smtp_server.handler.accepted == []


def test_password_never_in_repr() -> None:
    config = SmtpConfig("smtp.example.org", username="digest", password="s3cret-Pa55")
    assert "s3cret-Pa55" not in repr(config)
    assert "s3cret-Pa55" not in str(config)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"host": "smtp.example.org", "security": "ssl"}, "is not one of starttls, tls, none"),
        ({"host": "smtp.example.org", "security": "none"}, "only allowed for localhost"),
        ({"host": "localhost", "port": 0}, "out of range"),
    ],
    ids=["unknown-security", "plain-to-remote-host", "bad-port"],
)
def test_bad_configuration(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SmtpConfig(**fields)  # type: ignore[arg-type]
