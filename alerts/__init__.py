"""SummitWatch alerts: group flagged items into events, schedule and render email digests, and
deliver them over SMTP or into an outbox folder. A leaf package: it imports no other project
package; callers pass in and get back the frozen records defined in `alerts.datatypes`.

The records and the address check are imported at once; rendering, delivery and schedules
(Jinja2, nh3, cronsim, smtplib) only when first named, so reading the settings, which checks the
sender's address, does not import the whole package (PEP 562)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from alerts.addresses import AddressError
from alerts.datatypes import (
    DigestItem,
    DigestMessage,
    DigestStats,
    Event,
    FailingFeed,
    Period,
    Recipient,
)

if TYPE_CHECKING:
    from alerts.delivery import (
        DeliveryReport,
        OutboxStore,
        PendingMessage,
        Transport,
        backoff_delay,
        deliver_pending,
    )
    from alerts.digest import build_digest
    from alerts.eml import EmlTransport, eml_name, write_eml
    from alerts.grouping import group_events
    from alerts.mailer import SMTP_TIMEOUT, SendOutcome, SmtpConfig, SmtpTransport, send_message
    from alerts.schedule import Schedule, ScheduleError

_LAZY = {
    **dict.fromkeys(
        ("DeliveryReport", "OutboxStore", "PendingMessage", "Transport", "backoff_delay",
         "deliver_pending"),
        "alerts.delivery",
    ),
    "build_digest": "alerts.digest",
    **dict.fromkeys(("EmlTransport", "eml_name", "write_eml"), "alerts.eml"),
    "group_events": "alerts.grouping",
    **dict.fromkeys(
        ("SMTP_TIMEOUT", "SendOutcome", "SmtpConfig", "SmtpTransport", "send_message"),
        "alerts.mailer",
    ),
    **dict.fromkeys(("Schedule", "ScheduleError"), "alerts.schedule"),
}  # fmt: skip

__all__ = [
    "SMTP_TIMEOUT",
    "AddressError",
    "DeliveryReport",
    "DigestItem",
    "DigestMessage",
    "DigestStats",
    "EmlTransport",
    "Event",
    "FailingFeed",
    "OutboxStore",
    "PendingMessage",
    "Period",
    "Recipient",
    "Schedule",
    "ScheduleError",
    "SendOutcome",
    "SmtpConfig",
    "SmtpTransport",
    "Transport",
    "backoff_delay",
    "build_digest",
    "deliver_pending",
    "eml_name",
    "group_events",
    "send_message",
    "write_eml",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'alerts' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
