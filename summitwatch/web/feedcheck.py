"""Checking a feed URL typed into the web UI, with the collector's own fetcher and parser.

The check is one poll by ``collectors.FeedFetcher`` with the application's fetch settings, so
the address policy (``collector.allow_private_networks``), the redirect limit, the size cap and
the parser are the ones polling uses: what the check accepts is what polling will read. This
module only words the outcome for the form and the API. ``resolver`` and ``permit`` are the
collector's test seams (``create_app(feed_check_options=...)``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from collectors import FeedFetcher, FeedProbe, FetchSettings
from collectors.addresses import Permit, Resolver
from summitwatch.app import App

# The collector's kinds for a body that was fetched but holds no feed.
_NOT_A_FEED = frozenset({"empty", "not_a_feed", "parse"})


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


def check_settings(application: App) -> FetchSettings:
    """Polling's settings, parsing in this process: one check must not start a parse pool."""
    # imported here: the pipeline pulls in the classifier, which the web pages mostly do without
    from summitwatch.pipeline import fetch_settings

    return dataclasses.replace(fetch_settings(application), parse_workers=0)


def _clause(why: str) -> str:
    # The collector's sentences start with a capital; inside the UI's line they read on.
    return why[:1].lower() + why[1:]


def _sentence(url: str, why: str) -> str:
    return f"{url}: {_clause(why)}"


def _verdict(url: str, probe: FeedProbe) -> FeedCheck:
    result = probe.result
    if probe.error is not None:
        if result.error_kind in _NOT_A_FEED:
            found = _clause(probe.error.rstrip("."))
            raise FeedCheckError(f"{probe.final_url}: no feed found there ({found})")
        raise FeedCheckError(_sentence(url, probe.error))
    if not result.entries and not result.feed_title:
        raise FeedCheckError(f"{probe.final_url}: no feed found there (no entries)")
    return FeedCheck(
        url=probe.final_url,
        title=result.feed_title,
        entries=len(result.entries),
        language=result.feed_language,
        redirects=probe.redirects,
        problem=result.bozo_message,
    )


async def check_feed(
    application: App,
    url: str,
    *,
    resolver: Resolver | None = None,
    permit: Permit | None = None,
) -> FeedCheck:
    """Poll and parse ``url`` as the collector would; FeedCheckError when refused or no feed."""
    url = url.strip()
    fetcher = FeedFetcher(check_settings(application), resolver=resolver, permit=permit)
    async with fetcher:
        probe = await fetcher.probe(url)
    return _verdict(url, probe)


async def refusals(
    application: App,
    urls: Sequence[str],
    *,
    resolver: Resolver | None = None,
    permit: Permit | None = None,
) -> list[str | None]:
    """For each URL, why the address policy refuses it (None: accepted), without fetching."""
    fetcher = FeedFetcher(check_settings(application), resolver=resolver, permit=permit)
    limit = asyncio.Semaphore(20)  # an OPML file may list hundreds of names to resolve

    async def one(url: str) -> str | None:
        async with limit:
            why = await fetcher.refusal(url)
        return None if why is None else _sentence(url, why)

    return list(await asyncio.gather(*(one(url.strip()) for url in urls)))


async def vet(
    application: App,
    url: str,
    *,
    resolver: Resolver | None = None,
    permit: Permit | None = None,
) -> None:
    """FeedCheckError when the address policy refuses ``url``; nothing is fetched."""
    (why,) = await refusals(application, [url], resolver=resolver, permit=permit)
    if why is not None:
        raise FeedCheckError(why)
