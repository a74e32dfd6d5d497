"""Assemble the digest as multipart/alternative bytes: folded, encoded headers from the standard
library's SMTP policy, and text and HTML parts in base64 done by hand.

Base64 bodies keep every line short and 7-bit, so any server accepts them, and encoding them with
`base64.encodebytes` is far faster than letting `email.generator` quoted-printable-encode a large
digest line by line, which dominated the cost of a batch run.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime


def _part(content_type: str, body: str) -> bytes:
    encoded = base64.encodebytes(body.encode("utf-8")).replace(b"\n", b"\r\n")
    return (
        f"Content-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    ).encode("ascii") + encoded


def assemble(
    *,
    message_id: str,
    date: datetime,
    sender: tuple[str, str],
    to: tuple[str, str],
    subject: str,
    extra_headers: list[tuple[str, str]],
    boundary: str,
    text: str,
    html: str,
) -> bytes:
    """The whole message. `sender` and `to` are (display name, checked address) pairs; every
    header value must already be a single clean line (the policy still folds long ones)."""
    head = EmailMessage(policy=SMTP)
    head["Message-ID"] = message_id
    head["Date"] = format_datetime(date.astimezone(UTC))
    head["From"] = Address(display_name=sender[0], addr_spec=sender[1])
    head["To"] = Address(display_name=to[0], addr_spec=to[1])
    head["Subject"] = subject
    for name, value in extra_headers:
        head[name] = value
    head["MIME-Version"] = "1.0"
    head["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    headers = b"".join(SMTP.fold_binary(name, value) for name, value in head.items())
    delimiter = f"--{boundary}\r\n".encode("ascii")
    return b"".join(
        (
            headers,
            b"\r\n",
            delimiter,
            _part("text/plain", text),
            delimiter,
            _part("text/html", html),
            f"--{boundary}--\r\n".encode("ascii"),
        )
    )
