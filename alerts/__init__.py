"""SummitWatch alerts: group flagged items into events, schedule and render email digests, and
deliver them over SMTP or into an outbox folder. A leaf package: it imports no other project
package; callers pass in and get back the frozen records defined in `alerts.datatypes`."""

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
