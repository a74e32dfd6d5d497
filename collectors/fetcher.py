"""``FeedFetcher``: polls feeds politely and turns every outcome into a ``FetchResult``. It owns
one shared httpx client (so connections are reused across feeds of a host), the global and
per-host concurrency limits, and the process pool that parses bodies off the event loop. It
never raises for network or feed problems; each failure becomes a result with a kind, one
clear sentence and the time of the next attempt, so the application can store it and move on."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import time
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import TypeVar

import httpx

from collectors import recheck
from collectors.addresses import AddressPolicy, Blocked, Permit, Resolver, system_resolver
from collectors.client import new_client
from collectors.dispatch import run_bounded
from collectors.fulltext import extract_main_text
from collectors.links import host_of
from collectors.models import (
    FeedParseError,
    FeedProbe,
    FeedState,
    FetchResult,
    FetchSettings,
    ParsedFeed,
)
from collectors.parser import parse_feed
from collectors.report import (
    body_digest,
    failure_result,
    gone_message,
    http_failure_message,
    success_result,
    without_retry,
)
from collectors.transfer import Download, TransferError, describe_failure, download

T = TypeVar("T")
_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class FeedFetcher:
    """Every request goes through the address policy (``collectors.addresses``): ``resolver``
    replaces DNS and ``permit`` vouches for addresses the policy would refuse, both for tests.
    A caller-supplied ``transport`` replaces the network, and with it the policy's connect-time
    check; it exists for in-memory test transports only."""

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        permit: Permit | None = None,
    ) -> None:
        self.settings = settings
        self.policy = AddressPolicy(
            settings.allow_private_networks, resolver or system_resolver, permit
        )
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._pool: Executor | None = None
        self._global = asyncio.Semaphore(max(1, settings.max_concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._timeouts = (
            f"connect {settings.connect_timeout:g} s, read {settings.read_timeout:g} s, "
            f"total {settings.total_timeout:g} s"
        )

    async def __aenter__(self) -> FeedFetcher:
        self._client = new_client(self.settings, self.policy, self._transport)
        self._pool = self._new_pool()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _new_pool(self) -> Executor | None:
        workers = self.settings.parse_workers
        if workers == 0:
            return None
        # forkserver rather than fork: the application runs threads (scheduler, web server),
        # and forking a threaded process can copy a held lock into the child.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["collectors.parser", "collectors.fulltext"])
        return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context)

    async def _off_loop(self, func: Callable[..., T], *args: object) -> T:
        if self._pool is None:
            return await asyncio.to_thread(func, *args)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, functools.partial(func, *args))
        except BrokenProcessPool:
            # One crashed worker breaks the whole pool; replace it so other feeds still parse.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            raise

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        host = host_of(url)
        per_host = self._hosts.get(host)
        if per_host is None:
            per_host = self._hosts[host] = asyncio.Semaphore(
                max(1, self.settings.per_host_concurrency)
            )
        async with per_host, self._global:
            yield

    async def _download(self, url: str, headers: dict[str, str]) -> tuple[Download, float]:
        if self._client is None:
            raise TransferError("url", "FeedFetcher used outside 'async with'.")
        async with self._slot(url):
            start = time.perf_counter()
            async with asyncio.timeout(self.settings.total_timeout):
                result = await download(
                    self._client,
                    url,
                    headers,
                    max_redirects=self.settings.max_redirects,
                    max_bytes=self.settings.max_body_bytes,
                )
            return result, time.perf_counter() - start

    async def fetch(self, state: FeedState, now: datetime | None = None) -> FetchResult:
        """Poll one feed; problems come back as a result with status "error", never raised."""
        result, _ = await self._poll(state, now)
        return result

    async def probe(self, url: str) -> FeedProbe:
        """Poll a URL that is not watched yet, exactly as ``fetch`` would (the UI's check)."""
        result, got = await self._poll(FeedState(url=url), None)
        return FeedProbe(
            result=result,
            final_url=got.final_url if got else url,
            redirects=got.redirects if got else (),
            error=without_retry(result.error_message) if result.error_message else None,
        )

    async def refusal(self, url: str) -> str | None:
        """Why the address policy refuses ``url``, found without connecting; None if it may be
        fetched. A name that does not resolve is refused too: nothing could be fetched there.
        Needs no ``async with``: it resolves but opens no connection."""
        return await self.policy.refusal(url)

    async def _poll(
        self, state: FeedState, now: datetime | None
    ) -> tuple[FetchResult, Download | None]:
        if self._client is None:
            raise RuntimeError("FeedFetcher must be used as 'async with FeedFetcher(...)'")
        fetched_at = now or datetime.now(UTC)
        headers = {"Accept": _FEED_ACCEPT}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        started = time.perf_counter()
        try:
            got, latency = await self._download(state.url, headers)
        except Exception as exc:
            # refusals by the address policy land here too: a "blocked" result, no new_url
            error = describe_failure(exc, state.url, self._timeouts)
            latency = time.perf_counter() - started
            failed = failure_result(
                self.settings, state, fetched_at, error.kind, error.message, latency=latency
            )
            return failed, None
        try:
            return await self._interpret(state, got, fetched_at, latency), got
        except Exception as exc:  # a bug must cost one feed, not the whole run
            message = f"Unexpected failure: {exc!r}."
            failed = failure_result(
                self.settings, state, fetched_at, "parse", message,
                latency=latency, http_status=got.status, new_url=got.moved_to,
            )  # fmt: skip
            return failed, got

    async def _interpret(
        self, state: FeedState, got: Download, fetched_at: datetime, latency: float
    ) -> FetchResult:
        s, status = self.settings, got.status
        failed = functools.partial(
            failure_result, s, state, fetched_at, latency=latency, http_status=status,
            new_url=got.moved_to,
        )  # fmt: skip
        if status == 304:
            return success_result(s, state, got, fetched_at, latency, "not_modified")
        if status == 410:
            return failed("gone", gone_message(s), status="gone")
        if not 200 <= status < 300:
            failures = state.consecutive_failures + 1
            next_at = recheck.after_failure(s, fetched_at, failures, got.headers, status)
            message = http_failure_message(status, got.reason, got.headers, next_at - fetched_at)
            return failed("http", message, next_check_at=next_at)
        if state.body_hash is not None and body_digest(got.body) == state.body_hash:
            return success_result(s, state, got, fetched_at, latency, "unchanged")
        parse_start = time.perf_counter()
        try:
            content_type = got.headers.get("content-type")
            parsed: ParsedFeed = await self._off_loop(
                _parse_job, got.body, state.url, content_type, fetched_at, got.final_url
            )
        except FeedParseError as exc:
            return failed(exc.kind, exc.message, parse_s=time.perf_counter() - parse_start)
        except BrokenProcessPool:
            return failed("parse", "The parser process crashed on this feed.")
        parse_s = time.perf_counter() - parse_start
        return success_result(s, state, got, fetched_at, latency, "ok", parsed, parse_s)

    def fetch_many(self, states: Iterable[FeedState]) -> AsyncIterator[FetchResult]:
        """Poll many feeds; each result is yielded the moment its feed is done."""
        # Twice the network limit in flight, so finished downloads can queue for the parse
        # pool while new downloads keep the network busy.
        return run_bounded(
            states,
            key=lambda state: host_of(state.url),
            job=self.fetch,
            max_total=2 * self.settings.max_concurrency,
            max_per_key=2 * self.settings.per_host_concurrency,
        )

    async def fetch_full_text(self, url: str) -> str | None:
        """Main text of the article at ``url``; None on any failure (callers keep the summary).

        The page is fetched like a feed, through the address policy: an article link is chosen
        by the feed's publisher, so it is no more trusted than a redirect.
        """
        try:
            got, _ = await self._download(url, {"Accept": _PAGE_ACCEPT})
            if got.status != 200 or not got.body:
                return None
            return await self._off_loop(extract_main_text, got.body, got.final_url)
        except (
            Blocked,
            TransferError,
            httpx.HTTPError,
            TimeoutError,
            BrokenProcessPool,
            ValueError,
        ):
            return None


def _parse_job(
    body: bytes, url: str, content_type: str | None, fetched_at: datetime, base_url: str
) -> ParsedFeed:
    return parse_feed(
        body, url, content_type=content_type, fetched_at=fetched_at, base_url=base_url
    )
