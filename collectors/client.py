"""The collector's HTTP client, and the one place where it opens TCP connections: an httpcore
network backend that resolves the host name itself, vets every address with the
``AddressPolicy`` and connects to a vetted address, never to the name. Doing it at connect time
covers every request and every redirect hop the client makes, and pooled keep-alive connections
stay keyed by the host name, so TLS still verifies the certificate of the name and one server's
connection is never lent to another name that shares its address. Host header and SNI are the
URL's as usual."""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
from collections.abc import Iterable
from http.cookiejar import CookieJar
from typing import Any

import httpcore
import httpx

from collectors.addresses import AddressPolicy, Unresolved
from collectors.models import FetchSettings

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class VettingBackend(httpcore.AsyncNetworkBackend):
    """Resolve, vet, then connect to the vetted address; refusals raise ``AddressRefused``."""

    def __init__(
        self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def _vetted(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            async with asyncio.timeout(timeout):
                return await self.policy.addresses(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"{host} did not resolve in time") from None
        except Unresolved as exc:
            # A ConnectError, as when httpcore resolves: reported as "could not connect".
            raise httpcore.ConnectError(str(exc)) from None

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in await self._vetted(host, port, timeout):
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc  # try the next vetted address, as a resolver's caller would
        assert failure is not None  # _vetted never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are not fetched from.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class VettedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request and error mapping included) over a ``VettingBackend``."""

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits) -> None:
        context: ssl.SSLContext = httpx.create_ssl_context()
        # trust_env=False: a proxy from the environment would resolve and connect on our
        # behalf, past the policy; the feeds are fetched directly or not at all.
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=VettingBackend(policy),
        )


class _NoCookies(CookieJar):
    """Feeds need no cookies, and one client shared by thousands of feeds should not carry
    any; http.cookiejar's bookkeeping also costs a noticeable share of each request."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None

    def add_cookie_header(self, request: Any) -> None:
        return None


def _skip_repeated_failed_import() -> None:
    # httpcore runs "import sniffio" inside every lock it creates; when sniffio is not installed
    # each attempt searches sys.path again, about a millisecond per request. Recording the
    # absence once makes those imports fail at once, exactly as they would anyway.
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def new_client(
    settings: FetchSettings,
    policy: AddressPolicy,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """The shared client of one ``FeedFetcher``; redirects are left to ``transfer.download``."""
    s = settings
    _skip_repeated_failed_import()
    limits = httpx.Limits(
        max_connections=max(1, s.max_concurrency),
        max_keepalive_connections=max(1, s.max_concurrency),
    )
    return httpx.AsyncClient(
        transport=transport or VettedTransport(policy, limits),
        # no proxies or .netrc from the environment: the policy decides where we connect
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(
            connect=s.connect_timeout,
            read=s.read_timeout,
            write=s.read_timeout,
            pool=s.total_timeout,
        ),
        cookies=_NoCookies(),
        headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
    )
