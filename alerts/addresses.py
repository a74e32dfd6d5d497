"""Validation of email addresses and list identifiers before they reach a header or an SMTP
envelope, so configuration mistakes fail loudly and nothing can smuggle in extra headers."""

from __future__ import annotations

import re

import email_validator

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LIST_ID = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")

# email-validator refuses special-use domains; its documentation says to edit this list to allow
# some. Digests go through the operator's own relay, which may well deliver to a host on the
# local network: localhost (the default sender), .local and .test stay allowed; .arpa, .invalid
# and .onion are never deliverable by a relay and stay refused.
_LOCAL_NETWORK_DOMAINS = ("localhost", "local", "test")
email_validator.SPECIAL_USE_DOMAIN_NAMES[:] = [
    d for d in email_validator.SPECIAL_USE_DOMAIN_NAMES if d not in _LOCAL_NETWORK_DOMAINS
]


class AddressError(ValueError):
    """An email address or list id that is not acceptable; the message quotes the bad value,
    ``reason`` says what is wrong with it."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def check_address(value: str, role: str) -> str:
    """The one address check of SummitWatch (configuration, CLI, web UI, digest, SMTP envelope).

    Returns ``value`` as it goes into headers and the envelope: a plain ``local@domain`` with an
    internationalised domain in its ASCII (IDNA) form. Refused, with email-validator's reason and
    ``role`` in the message: display names, whitespace or line breaks, dots in a row, and non-ASCII
    local parts (they need SMTPUTF8, which the mailer does not ask servers for)."""
    if not isinstance(value, str):
        raise AddressError(f"invalid {role} address {value!r}: expected a string")
    try:
        checked = email_validator.validate_email(
            value, check_deliverability=False, allow_smtputf8=False, globally_deliverable=False
        )
    except email_validator.EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise AddressError(f"invalid {role} address {value!r}: {reason}", reason) from None
    return str(checked.ascii_email)


def check_list_id(value: str) -> str:
    if len(value) > 200 or not _LIST_ID.fullmatch(value):
        raise AddressError(
            f"invalid list id {value!r}: expected dot-separated labels like 'summitwatch.digest'"
        )
    return value


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]
