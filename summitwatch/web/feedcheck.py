"""Vetting a feed URL typed into the UI: address policy, then a live fetch and parse.

A URL is refused when its host resolves to a private, loopback, link-local, multicast, reserved
or unspecified address (unless ``collector.allow_private_networks``), so the UI cannot be used to probe the
network it runs in. Redirects are followed by hand, at most five, and each hop is vetted the same
way. Each request is pinned to the address that was vetted (the Host header and TLS SNI keep the
name), so a DNS answer that changes between the check and the connection cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import httpx

MAX_REDIRECTS = 5
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "SummitWatch/0.1 (feed check; +https://github.com/summitwatch)"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]


class FeedCheckError(ValueError):
    """The URL is refused or does not lead to a usable feed; the message says why."""


@dataclass(frozen=True, slots=True)
class FeedCheck:
    url: str  # after redirects
    title: str | None
    entries: int
    language: str | None
    redirects: tuple[str, ...]
    problem: str | None  # a recoverable parse problem


def refusal(address: str) -> str | None:
    """Why ``address`` may not be fetched from the UI, or None when it is a public address."""
    ip: IPAddress = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, why in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ):
        if test:
            return why
    return None


async def system_resolver(host: str, port: int) -> Sequence[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FeedCheckError(f"{host}: the name does not resolve ({exc.strerror})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute http(s) URL, else FeedCheckError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FeedCheckError(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedCheckError(f"{url!r}: expected an http:// or https:// URL")
    if parts.username or parts.password:
        raise FeedCheckError(f"{url!r}: URLs with credentials are not accepted")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def vet(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    permit: Callable[[str], bool] | None = None,
) -> str:
    """The address to connect to for ``url``; FeedCheckError when the policy refuses it."""
    _, host, port = parse_url(url)
    addresses = await resolver(host, port)
    if not addresses:
        raise FeedCheckError(f"{host}: the name does not resolve")
    if not allow_private:
        for address in addresses:
            why = refusal(address)
            if why is not None and not (permit and permit(address)):
                raise FeedCheckError(
                    f"{url}: {host} resolves to {address}, {why}; feeds on private networks "
                    "are refused (setting collector.allow_private_networks)"
                )
    return addresses[0]


def _pinned(url: str, address: str) -> tuple[str, str]:
    """The URL rewritten to connect to ``address``, and the Host header naming the original."""
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal + (f":{parts.port}" if parts.port else "")
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


async def fetch_vetted(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    permit: Callable[[str], bool] | None = None,
    timeout: float = 10.0,
) -> tuple[str, bytes, tuple[str, ...]]:
    """GET ``url`` following up to five vetted redirects: (final URL, body, redirect chain)."""
    chain: list[str] = []
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            address = await vet(url, allow_private=allow_private, resolver=resolver, permit=permit)
            target, host_header = _pinned(url, address)
            request = client.build_request(
                "GET",
                target,
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept-Encoding": "gzip, deflate",
                },
                extensions={"sni_hostname": urlsplit(url).hostname or ""},
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise FeedCheckError(f"{url}: {type(exc).__name__}: {exc}") from None
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    url = urljoin(url, location)
                    chain.append(url)
                    continue
                if response.status_code >= 400:
                    raise FeedCheckError(f"{url}: the server answered HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_BYTES:
                        raise FeedCheckError(f"{url}: larger than {MAX_BYTES // 2**20} MB")
                return url, bytes(body), tuple(chain)
            finally:
                await response.aclose()
    raise FeedCheckError(f"{url}: more than {MAX_REDIRECTS} redirects")


async def check_feed(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    permit: Callable[[str], bool] | None = None,
    timeout: float = 10.0,
) -> FeedCheck:
    """Fetch and parse ``url``; FeedCheckError when it is refused or is not a feed."""
    final, body, chain = await fetch_vetted(
        url, allow_private=allow_private, resolver=resolver, permit=permit, timeout=timeout
    )
    parsed = await asyncio.to_thread(
        feedparser.parse, body, sanitize_html=False, resolve_relative_uris=False
    )
    feed = parsed.get("feed", {})
    entries = len(parsed.get("entries", []))
    problem = str(parsed.get("bozo_exception", "")) if parsed.get("bozo") else None
    if entries == 0 and not feed.get("title"):
        raise FeedCheckError(f"{final}: no feed found there ({problem or 'no entries'})")
    return FeedCheck(final, feed.get("title"), entries, feed.get("language"), chain, problem)
