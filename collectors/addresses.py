"""The address policy of every fetch: which URLs may be requested and which IP addresses may be
connected to. Feed URLs come from configuration, OPML files and the web UI, and the servers
behind them choose where their redirects and article links point, so without a policy a feed
could make the collector read the loopback interface, the private network it runs in or a
cloud metadata service (169.254.169.254). Names are resolved once and every address in the
answer is vetted; the caller then connects to one of exactly those addresses, so a DNS answer
that changes between the check and the connection cannot slip through. Private networks are
allowed only when ``FetchSettings.allow_private_networks`` is true."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses the name resolves to; tests inject one mapping fake names.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
# An address the policy would refuse but the caller vouches for (tests standing a server on
# 127.0.0.1 in for a public host, while every other private address stays refused).
Permit = Callable[[str], bool]

SETTING = "setting collector.allow_private_networks"
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052); on an
# IPv6-only host with DNS64 every IPv4 feed resolves into it, so the IPv4 address is what counts.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class Blocked(Exception):
    """The policy refuses a URL or an address; ``message`` is one sentence for reports."""

    kind = "blocked"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AddressRefused(Blocked):
    """``host`` resolves to ``address``, which the policy refuses for the reason ``why``."""

    def __init__(self, host: str, address: str, why: str, redirect: str | None = None) -> None:
        self.host, self.address, self.why, self.redirect = host, address, why, redirect
        if _literal(host) is not None:
            where = f"a redirect to {redirect} points to" if redirect else "the URL points to"
            subject = f"{where} {address}"
        else:
            where = f"a redirect leads to {host}, which" if redirect else host
            subject = f"{where} resolves to {address}"
        super().__init__(f"Refused: {subject}, {why} ({SETTING}).")

    def after_redirect(self, target: str) -> AddressRefused:
        return AddressRefused(self.host, self.address, self.why, target)


class Unresolved(Exception):
    """The name has no address; the message says so in words."""


def _embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(address: str) -> str | None:
    """Why ``address`` may not be connected to, as a noun phrase; None for a public address."""
    ip: IPAddress = ipaddress.ip_address(address)
    inner = _embedded_v4(ip)
    if inner is not None:
        return refusal(str(inner))
    for test, why in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a shared (CGNAT) address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private or getattr(ip, "is_site_local", False), "a private address"),
        (not ip.is_global, "not a public address"),
    ):
        if test:
            return why
    return None


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


async def system_resolver(host: str, port: int) -> Sequence[str]:
    """Every address the operating system's resolver gives for ``host``, in its order."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Unresolved(f"{host}: the name does not resolve ({exc.strerror})") from None
    except UnicodeError:  # a label the IDNA codec cannot encode
        raise Unresolved(f"{host}: not a valid host name") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_private: bool = False
    resolver: Resolver = system_resolver
    permit: Permit | None = None

    async def addresses(self, host: str, port: int) -> list[str]:
        """The vetted addresses for ``host``: all of them, or AddressRefused for the first bad one.

        One refused address refuses the name: connecting to "another" answer would leave the
        choice of target to whoever controls the DNS.
        """
        literal = _literal(host)
        found = [literal] if literal else list(await self.resolver(host, port))
        if not found:
            raise Unresolved(f"{host}: the name does not resolve")
        if not self.allow_private:
            for address in found:
                why = refusal(address)
                if why is not None and not (self.permit and self.permit(address)):
                    raise AddressRefused(host, address, why)
        return found

    async def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, found without connecting; None when it may be."""
        try:
            check_url(url)
            parts = urlsplit(url)
            default_port = 443 if parts.scheme.lower() == "https" else 80
            host, port = parts.hostname, parts.port or default_port
        except Blocked as exc:
            return exc.message
        except ValueError as exc:
            return f"Not a usable http(s) URL: {url} ({exc})."
        if not host:
            return f"Not a usable http(s) URL: {url} (no host name)."
        try:
            await self.addresses(host, port)
        except Blocked as exc:
            return exc.message
        except Unresolved as exc:
            return f"{exc}."
        return None


def without_credentials(parts: SplitResult) -> str:
    """The URL for messages: user name and password never go into a report or a log."""
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_url(url: str, *, redirect: bool = False) -> None:
    """Blocked for URLs no fetch may request: non-web schemes and embedded credentials. A URL
    too malformed to split is left to the HTTP client, which words it as a URL error."""
    try:
        parts = urlsplit(url)
    except ValueError:
        if redirect:
            raise Blocked(f"Refused: a redirect to a malformed address ({url!r}).") from None
        return
    shown = without_credentials(parts)
    what = f"a redirect to {shown}, which" if redirect else shown
    if parts.scheme.lower() not in ("http", "https"):
        raise Blocked(
            f"Refused: {what} is not a web address (expected an http:// or https:// URL)."
        )
    if parts.username or parts.password:
        raise Blocked(
            f"Refused: {what} carries a user name or password; "
            "URLs with credentials are not accepted."
        )
