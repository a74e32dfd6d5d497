"""Hand one rendered message to an SMTP server with smtplib and classify the outcome.

The result is always a `SendOutcome`: "sent" once the server accepted the data, "temporary" for
anything worth retrying (4xx replies, refused or dropped connections, timeouts, TLS or login
trouble, which are usually configuration being fixed), "permanent" for 5xx replies to the
envelope or the data. Network and SMTP problems never raise, so a delivery loop can always record
what happened.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field

from alerts.addresses import check_address

SECURITY_MODES = ("starttls", "tls", "none")
SMTP_TIMEOUT = 30.0  # seconds per SMTP operation; a stuck server must not stall a delivery run


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = SMTP_TIMEOUT
    verify_certificates: bool = True

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(
                f"SMTP security {self.security!r} is not one of {', '.join(SECURITY_MODES)}"
            )
        if not 0 < self.port < 65536:
            raise ValueError(f"SMTP port {self.port} is out of range 1-65535")
        if self.security == "none" and not _is_loopback(self.host):
            raise ValueError(
                f"SMTP security 'none' is only allowed for localhost, not {self.host!r}; "
                "use 'starttls' or 'tls'"
            )


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: str
    detail: str


def _tls_context(config: SmtpConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not config.verify_certificates:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"[:500]


def _by_code(code: int, message: bytes | str, what: str) -> SendOutcome:
    status = "permanent" if 500 <= code < 600 else "temporary"
    return SendOutcome(status, f"{what}: {_reply(code, message)}")


def _open(config: SmtpConfig) -> smtplib.SMTP:
    if config.security == "tls":
        return smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=_tls_context(config)
        )
    client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        client.ehlo()
        if config.security == "starttls":
            client.starttls(context=_tls_context(config))
            client.ehlo()
    except BaseException:
        client.close()
        raise
    return client


def send_message(config: SmtpConfig, sender: str, recipient: str, raw: bytes) -> SendOutcome:
    check_address(sender, "sender")
    check_address(recipient, "recipient")
    try:
        client = _open(config)
    except smtplib.SMTPResponseException as error:
        return SendOutcome("temporary", f"connect: {_reply(error.smtp_code, error.smtp_error)}")
    except (smtplib.SMTPException, OSError) as error:
        return SendOutcome("temporary", f"connect to {config.host}:{config.port}: {error!r}")
    try:
        if config.username:
            client.login(config.username, config.password or "")
        refused = client.sendmail(sender, [recipient], raw)
        if refused:  # only possible with several recipients; kept for completeness
            code, message = refused[recipient]
            return _by_code(code, message, "recipient refused")
        return SendOutcome("sent", f"accepted by {config.host}:{config.port}")
    except smtplib.SMTPAuthenticationError as error:
        # Wrong credentials are fixed by the operator; retrying later must not lose the digest.
        return SendOutcome("temporary", f"login: {_reply(error.smtp_code, error.smtp_error)}")
    except smtplib.SMTPRecipientsRefused as error:
        code, message = next(iter(error.recipients.values()))
        return _by_code(code, message, "recipient refused")
    except smtplib.SMTPSenderRefused as error:
        return _by_code(error.smtp_code, error.smtp_error, "sender refused")
    except smtplib.SMTPDataError as error:
        return _by_code(error.smtp_code, error.smtp_error, "data refused")
    except smtplib.SMTPResponseException as error:
        return _by_code(error.smtp_code, error.smtp_error, "server replied")
    except (smtplib.SMTPException, OSError) as error:
        return SendOutcome("temporary", f"connection lost: {error!r}")
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


class SmtpTransport:
    """`Transport` over SMTP with a fixed configuration (one connection per message)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, sender: str, recipient: str, raw: bytes) -> SendOutcome:
        return send_message(self.config, sender, recipient, raw)
