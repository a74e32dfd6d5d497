"""Validation of email addresses and list identifiers before they reach a header or an SMTP
envelope, so configuration mistakes fail loudly and nothing can smuggle in extra headers."""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_LIST_ID = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


class AddressError(ValueError):
    """An email address or list id that is not acceptable; the message quotes the bad value."""


def check_address(value: str, role: str) -> str:
    """Return `value` if it is a plain `local@domain` address (ASCII, no display name, no
    whitespace or line breaks, at most 254 characters); raise AddressError naming `role` if not."""
    if not isinstance(value, str) or len(value) > 254 or not _ADDRESS.fullmatch(value):
        raise AddressError(
            f"invalid {role} address {value!r}: expected a plain address like 'name@example.org'"
        )
    return value


def check_list_id(value: str) -> str:
    if len(value) > 200 or not _LIST_ID.fullmatch(value):
        raise AddressError(
            f"invalid list id {value!r}: expected dot-separated labels like 'summitwatch.digest'"
        )
    return value


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]
