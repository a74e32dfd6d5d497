"""The one address check: what configuration, CLI, web UI, digest and SMTP envelope accept."""

from __future__ import annotations

import pytest

from alerts.addresses import AddressError, check_address


@pytest.mark.parametrize(
    ("value", "checked"),
    [
        pytest.param("desk@example.org", "desk@example.org", id="plain"),
        pytest.param("first.last+digest@mfa.gov.kz", "first.last+digest@mfa.gov.kz", id="plus-tag"),
        pytest.param("summitwatch@localhost", "summitwatch@localhost", id="localhost-allowed"),
        pytest.param("desk@relay.test", "desk@relay.test", id="test-tld-allowed"),
        pytest.param("a@bücher.example", "a@xn--bcher-kva.example", id="idn-domain-to-ascii"),
        pytest.param("Desk@Example.ORG", "Desk@example.org", id="domain-lower-cased"),
    ],
)
def test_accepted(value: str, checked: str) -> None:
    assert check_address(value, "recipient") == checked


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("josé@example.org", "Internationalized characters", id="non-ascii-local"),
        pytest.param("a..b@example.org", "two periods in a row", id="double-dot"),
        pytest.param("desk@example.org\r\nBcc: x@example.org", "invalid characters", id="crlf"),
        pytest.param("Desk <desk@example.org>", "", id="display-name"),
        pytest.param("desk", "@-sign", id="no-at"),
        pytest.param("desk@nowhere.invalid", "special-use", id="invalid-tld"),
        pytest.param("", "", id="empty"),
        pytest.param("x" * 250 + "@example.org", "too long", id="too-long"),
    ],
)
def test_refused_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(AddressError) as caught:
        check_address(value, "recipient")
    message = str(caught.value)
    assert message.startswith("invalid recipient address") and reason in message
    assert "\n" not in message.replace(repr(value), "")
