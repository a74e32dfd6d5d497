"""One HTTP download, done by hand where httpx's conveniences would be unsafe or lossy.
Redirects are followed manually so that permanent moves (301/308) can be told apart from
temporary ones, loops reported as loops, and every hop put through the address policy. The
body is read raw and decompressed here with a bounded inflater, because a generic decoder may
expand one small network chunk of a gzip bomb into tens of megabytes before anyone can count;
here the size cap holds at every step."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from collectors.addresses import AddressRefused, Blocked, check_url

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_CODES = frozenset({301, 308})


class TransferError(Exception):
    """A download that produced no usable response; ``kind`` names the failure for reports."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message


@dataclass(slots=True)
class Download:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    final_url: str
    moved_to: str | None
    redirects: tuple[str, ...] = ()  # every hop after the first URL, in order


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


class _Inflater:
    """Incremental Content-Encoding decoder that never produces more than it is allowed to."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate_tried = False
        if encoding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding in ("", "identity"):
            self._zlib = None
        else:
            raise TransferError(
                "decode", f"The server used an unsupported compression ({encoding})."
            )

    def feed(self, data: bytes, allowance: int) -> bytes:
        """Decoded bytes for ``data``; at most ``allowance + 1`` so overflow is detectable."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, allowance + 1)
            # Concatenated gzip members are legal; each needs a fresh decompressor.
            while self._zlib.eof and self._zlib.unused_data and len(out) <= allowance:
                rest = self._zlib.unused_data
                if not rest.strip(b"\x00"):
                    break
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out += self._zlib.decompress(rest, allowance + 1 - len(out))
        except zlib.error as exc:
            if self._encoding == "deflate" and not self._raw_deflate_tried:
                # Some servers send raw deflate without the zlib header the standard requires.
                self._raw_deflate_tried = True
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, allowance)
            raise TransferError(
                "decode", f"The {self._encoding} body is corrupt and does not decompress ({exc})."
            ) from None
        self._raw_deflate_tried = True
        return out


async def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    too_large = TransferError(
        "too_large",
        f"The feed is larger than the {_megabytes(max_bytes)} limit after decompression.",
    )
    declared = response.headers.get("content-length", "")
    if encoding in ("", "identity") and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    inflater = _Inflater(encoding)
    parts: list[bytes] = []
    size = raw_size = 0
    async for chunk in response.aiter_raw():
        raw_size += len(chunk)
        decoded = inflater.feed(chunk, max_bytes - size)
        size += len(decoded)
        if size > max_bytes or raw_size > max_bytes:
            raise too_large
        parts.append(decoded)
    return b"".join(parts)


def _next_hop(current: str, status: int, location: str, visited: set[str]) -> str:
    """The vetted-so-far target of a redirect: a web URL, without credentials, not seen yet."""
    if not location:
        raise TransferError("http", f"HTTP {status} redirect without a Location header.")
    target = urljoin(current, location).split("#", 1)[0]
    check_url(target, redirect=True)
    if target in visited:
        raise TransferError(
            "redirect_loop", f"Redirect loop: {current} sends the client back to {target}."
        )
    return target


async def download(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    *,
    max_redirects: int,
    max_bytes: int,
) -> Download:
    """GET ``url`` following up to ``max_redirects`` redirects; body read only on 2xx.

    Redirects are followed here, one request per hop, so that each hop goes through the
    client's vetting transport like the first request; AddressRefused names the hop.
    """
    check_url(url)
    current, moved_to, still_permanent = url, None, True
    visited: set[str] = {url}
    chain: list[str] = []
    for _ in range(max_redirects + 1):
        try:
            async with client.stream("GET", current, headers=dict(headers)) as response:
                status = response.status_code
                if status in REDIRECT_CODES:
                    location = response.headers.get("location", "").strip()
                    target = _next_hop(current, status, location, visited)
                    still_permanent = still_permanent and status in PERMANENT_CODES
                    if still_permanent:
                        moved_to = target
                    visited.add(target)
                    chain.append(target)
                    current = target
                    continue
                body = await read_body(response, max_bytes) if 200 <= status < 300 else b""
                return Download(
                    status=status,
                    reason=response.reason_phrase,
                    headers={key.lower(): value for key, value in response.headers.items()},
                    body=body,
                    final_url=current,
                    moved_to=moved_to,
                    redirects=tuple(chain),
                )
        except AddressRefused as exc:
            raise exc.after_redirect(current) if chain else exc from None
    raise TransferError("too_many_redirects", f"More than {max_redirects} redirects; gave up.")


def describe_failure(exc: Exception, url: str, timeouts: str) -> TransferError:
    """A report-ready error for an exception raised while talking to a server."""
    host = urlsplit(url).hostname or url
    if isinstance(exc, TransferError):
        return exc
    if isinstance(exc, Blocked):
        return TransferError(exc.kind, exc.message)
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return TransferError("timeout", f"{host} did not answer in time ({timeouts}).")
    if isinstance(exc, httpx.ConnectError):
        return TransferError("connect", f"Could not connect to {host}: {exc or 'refused'}.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | ValueError):
        return TransferError("url", f"Not a usable http(s) URL: {url} ({exc}).")
    if isinstance(exc, httpx.HTTPError):
        detail = str(exc) or type(exc).__name__
        return TransferError("network", f"The connection to {host} failed: {detail}.")
    return TransferError("network", f"Unexpected failure talking to {host}: {exc!r}.")
