"""The outbox folder: write rendered messages as `.eml` files, atomically and idempotently, for
installations with no SMTP server configured (and for previews).

A message is first written to a hidden temporary file in the same folder, flushed to disk, then
renamed over its final name, so a reader or a crash never sees half a message, and writing the
same name twice leaves one file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from alerts.mailer import SendOutcome

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=-]+")


def write_eml(directory: Path, name: str, raw: bytes) -> Path:
    """Write `raw` to `directory/name.eml` (".eml" added unless present) and return the path.
    `name` must be a plain file name: letters, digits and `._@+=-`, not starting with a dot."""
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"bad outbox file name {name!r}: use letters, digits and ._@+=- without a leading dot"
        )
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / (name if name.endswith(".eml") else f"{name}.eml")
    if target.is_file() and target.read_bytes() == raw:
        return target
    fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_directory(directory)
    return target


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry itself reaches the disk.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def eml_name(raw: bytes) -> str:
    """A file name for a message: its Message-ID made file-safe, else a hash of its bytes."""
    headers = BytesParser(policy=default).parsebytes(raw, headersonly=True)
    message_id = str(headers.get("Message-ID", "")).strip("<> \t")
    safe = _UNSAFE.sub("_", message_id).strip("._")[:180]
    return safe or hashlib.sha256(raw).hexdigest()[:32]


class EmlTransport:
    """`Transport` that files each message in the outbox folder; the same message (same
    Message-ID) sent twice ends up as one file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, sender: str, recipient: str, raw: bytes) -> SendOutcome:
        try:
            path = write_eml(self.directory, eml_name(raw), raw)
        except OSError as error:
            return SendOutcome("temporary", f"cannot write to {self.directory}: {error}")
        return SendOutcome("sent", f"written to {path}")
