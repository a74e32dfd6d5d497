"""The outbox folder: `.eml` files written atomically and once per message, bad names refused,
and the delivery loop filing messages there when no SMTP server is configured."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from digest_factories import SENDER, group_and_build, parse
from memory_outbox import MemoryOutbox

from alerts import EmlTransport, deliver_pending, eml_name, write_eml


def test_write_is_idempotent_and_leaves_no_temp_files(tmp_path: Path) -> None:
    raw = group_and_build()
    first = write_eml(tmp_path / "outbox", "digest-1", raw)
    second = write_eml(tmp_path / "outbox", "digest-1.eml", raw)
    assert first == second == tmp_path / "outbox" / "digest-1.eml"
    assert first.read_bytes() == raw
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["digest-1.eml"]


def test_rewrite_replaces_whole_content(tmp_path: Path) -> None:
    write_eml(tmp_path, "m", b"old content that is longer than the new one")
    path = write_eml(tmp_path, "m", b"new")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.eml"]


@pytest.mark.parametrize(
    "name",
    ["../escape", ".hidden", "a/b", "", "with space", "new\nline"],
    ids=["parent", "hidden", "slash", "empty", "space", "newline"],
)
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="bad outbox file name"):
        write_eml(tmp_path, name, b"x")
    assert list(tmp_path.iterdir()) == []


def test_eml_name_follows_message_id() -> None:
    raw = group_and_build()
    message_id = parse(raw)["Message-ID"].strip("<>")
    assert eml_name(raw) == message_id
    assert len(eml_name(b"no headers at all")) == 32


def test_delivery_to_folder_once_per_message(tmp_path: Path) -> None:
    store = MemoryOutbox()
    emails = ("a@example.org", "b@example.org")
    for n, email in enumerate(emails, 1):
        store.add(email, group_and_build(email, item_id=n))
    store.add(emails[0], group_and_build(emails[0], item_id=1))  # the same message queued twice
    transport = EmlTransport(tmp_path / "outbox")
    now = datetime(2026, 11, 28, 8, tzinfo=UTC)
    report = deliver_pending(store, transport, SENDER, now=now)
    assert report.sent == 3
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert sorted(parse(f.read_bytes())["To"].addresses[0].addr_spec for f in files) == list(emails)


def test_unwritable_folder_is_a_temporary_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("file in the way")
    outcome = EmlTransport(blocker / "outbox").send(SENDER, "a@example.org", group_and_build())
    assert outcome.status == "temporary"
    assert "cannot write" in outcome.detail
