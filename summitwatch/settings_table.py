"""The settings table: every setting SummitWatch has, declared once.

Each ``Setting`` row gives the name (a dotted key path, as in the TOML file), type, default,
help text and whether it is a secret; the environment variable follows from the name. How a value
is resolved from the command line, environment, file and default is ``summitwatch.settings``;
the README's configuration reference is generated from this table by ``reference_markdown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

ENV_PREFIX = "SUMMITWATCH_"
WATCHED_DEFAULT = ("KZ", "KG", "TJ", "TM", "UZ")


@dataclass(frozen=True)
class Setting:
    name: str
    type: str  # "str" | "int" | "float" | "bool" | "list[str]"
    default: Any
    help: str
    secret: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def range_text(self) -> str:
        """The allowed range in words ("0 to 1", ">= 1"); empty for a setting without bounds.
        The README's reference and the one-line errors both say it this way."""
        low = None if self.minimum is None else f"{self.minimum:g}"
        high = None if self.maximum is None else f"{self.maximum:g}"
        if low and high:
            return f"{low} to {high}"
        return f">= {low}" if low else f"<= {high}" if high else ""

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.replace(".", "_").upper()


def default_db_url() -> str:
    return "sqlite:///" + str(Path(platformdirs.user_data_dir("summitwatch")) / "summitwatch.db")


SETTINGS: tuple[Setting, ...] = (
    Setting("database.url", "str", "", "SQLAlchemy URL; empty = SQLite in the user data dir."),
    Setting("watch.countries", "list[str]", list(WATCHED_DEFAULT), "Watched ISO alpha-2 codes."),
    Setting(
        "classifier.threshold",
        "float",
        0.5,
        "Score at or above which an item is flagged.",
        minimum=0.0,
        maximum=1.0,
    ),
    Setting(
        "classifier.near_miss",
        "float",
        0.2,
        "Lowest score shown among near misses.",
        minimum=0.0,
        maximum=1.0,
    ),
    Setting("classifier.seeds_dir", "str", "", "Folder of seed examples; empty = project seeds/."),
    Setting("classifier.cache_dir", "str", "", "Model cache folder; empty = user cache dir."),
    Setting(
        "collector.interval_minutes",
        "int",
        30,
        "Default polling interval per feed.",
        minimum=1,
        maximum=10080,
    ),
    Setting(
        "collector.max_concurrency", "int", 50, "Feeds fetched at once.", minimum=1, maximum=1000
    ),
    Setting(
        "collector.per_host_concurrency",
        "int",
        4,
        "Requests at once per host.",
        minimum=1,
        maximum=64,
    ),
    Setting(
        "collector.timeout_seconds",
        "float",
        20.0,
        "Read timeout per request.",
        minimum=0.1,
        maximum=600,
    ),
    Setting(
        "collector.max_body_mb",
        "float",
        10.0,
        "Largest feed body after decompression.",
        minimum=0.01,
        maximum=1024,
    ),
    Setting(
        "collector.parse_workers",
        "int",
        -1,
        "Parser processes; -1 = one per core, 0 = none.",
        minimum=-1,
        maximum=64,
    ),
    Setting("smtp.host", "str", "", "SMTP server; empty = write .eml files to the outbox dir."),
    Setting("smtp.port", "int", 587, "SMTP port.", minimum=1, maximum=65535),
    Setting(
        "smtp.security",
        "str",
        "starttls",
        "Transport security.",
        choices=("starttls", "tls", "none"),
    ),
    Setting(
        "smtp.timeout_seconds",
        "float",
        30.0,
        "Seconds to wait on the SMTP server before a delivery counts as failed.",
        minimum=1,
        maximum=600,
    ),
    Setting(
        "smtp.verify_certificates",
        "bool",
        True,
        "Check the SMTP server's TLS certificate (turn off only for a test relay).",
    ),
    Setting("smtp.username", "str", "", "SMTP login name."),
    Setting(
        "smtp.password_env",
        "str",
        "SUMMITWATCH_SMTP_PASSWORD",
        "Environment variable holding the SMTP password.",
    ),
    Setting("smtp.password", "str", "", "SMTP password (environment only).", secret=True),
    Setting(
        "smtp.sender",
        "str",
        "SummitWatch <summitwatch@localhost>",
        "From: of the digests, 'Name <address>' or a plain address.",
    ),
    Setting("outbox.dir", "str", "outbox", "Folder for .eml digests when no SMTP is set."),
    Setting("digest.list_id", "str", "summitwatch.digest", "List-Id of the digests."),
    Setting("web.host", "str", "127.0.0.1", "Address the review UI binds to."),
    Setting("web.port", "int", 8765, "Port of the review UI.", minimum=1, maximum=65535),
    Setting(
        "web.secret_key", "str", "", "Key signing session cookies (environment only).", secret=True
    ),
    Setting(
        "web.require_login",
        "str",
        "auto",
        "Ask for a login: auto = only when the UI listens beyond loopback.",
        choices=("auto", "true", "false"),
    ),
    Setting(
        "collector.allow_private_networks",
        "bool",
        False,
        "Fetch from private, loopback and link-local addresses (feeds, redirects, full text).",
    ),
    Setting(
        "runner.mode",
        "str",
        "embedded",
        "embedded (one process) or workers.",
        choices=("embedded", "workers"),
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def render_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def reference_markdown() -> str:
    """The configuration reference table of the README, generated from ``SETTINGS``."""
    rows = ["| key | environment | type | default | meaning |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        default = render_value(s.default) if s.default not in ("", []) else "(empty)"
        extra = f" One of: {', '.join(s.choices)}." if s.choices else ""
        extra += f" Range: {s.range_text}." if s.range_text else ""
        secret = " Secret: environment only, never printed." if s.secret else ""
        rows.append(
            f"| `{s.name}` | `{s.env}` | {s.type} | `{default}` | {s.help}{extra}{secret} |"
        )
    return "\n".join(rows)
