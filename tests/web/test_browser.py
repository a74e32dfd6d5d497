"""End to end in real headless Chromium (Playwright) against uvicorn on 127.0.0.1.

Skipped, saying why, when /usr/bin/chromium is missing (``make test`` installs it from Debian's
packages).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summitwatch.app import App
from summitwatch.storage import items as item_store
from summitwatch.storage import reviews as review_store

from .conftest import SCRIPT_TITLE, Served, add_stories, make_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is missing: install Debian's chromium package "
        "to run the browser tests",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path: Path, model_cache: Path) -> Iterator[tuple[App, dict[str, int], str]]:
    application = make_app(tmp_path, model_cache)
    ids = add_stories(application)
    ids |= add_stories(
        application,
        [
            (
                "xss",
                SCRIPT_TITLE,
                "President Tokayev held talks with President Mirziyoyev in "
                "Tashkent <script>alert('body')</script> during a state visit.",
                "en",
                0,
            )
        ],
        feed="https://evil.example/rss",
    )
    with Served(application, log_level="warning") as url:
        yield application, ids, url
    application.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []

    def seen(dialog: Any) -> None:  # a fired alert() would mean feed script ran
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", seen)
    tab.dialogs = dialogs
    yield tab
    context.close()


def state(application: App, item: int) -> str | None:
    view = item_store.get_item(application.db, item)
    assert view is not None
    return view.review_state


def wait_for(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_review_with_keyboard_and_mouse(site: tuple[App, dict[str, int], str], page: Any) -> None:
    application, ids, url = site
    page.goto(f"{url}/queue")
    first = page.locator("article.item.current")
    assert first.get_attribute("data-id") == str(ids["xss"])  # newest first
    page.keyboard.press("j")
    assert page.locator("article.item.current").get_attribute("data-id") == str(ids["kz-tj"])
    page.keyboard.press("y")
    wait_for(lambda: state(application, ids["kz-tj"]) == "confirmed")
    page.locator(f'article.item[data-id="{ids["kg-ru"]}"] input.note').fill("not a summit")
    page.locator(f'article.item[data-id="{ids["kg-ru"]}"] button.reject').click()
    wait_for(lambda: state(application, ids["kg-ru"]) == "rejected")
    [review] = review_store.reviews_for(application.db, ids["kg-ru"])
    assert (review.reviewer, review.note) == ("local", "not a summit")
    page.keyboard.press("u")
    wait_for(lambda: state(application, ids["kg-ru"]) is None)
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert page.dialogs == []


def test_filter_by_country(site: tuple[App, dict[str, int], str], page: Any) -> None:
    _, ids, url = site
    page.goto(f"{url}/queue")
    page.fill('#filters input[name="country"]', "tm")
    page.click('#filters button[type="submit"]')
    page.wait_for_url("**country=tm**")
    shown = page.locator("article.item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert shown == [str(ids["tm-tr"])]


def test_add_a_watched_country(site: tuple[App, dict[str, int], str], page: Any) -> None:
    application, _, url = site
    page.goto(f"{url}/settings/countries?lang=fr")
    page.fill('#country-search input[name="q"]', "Azerb")
    page.click('#country-search button[type="submit"]')
    page.locator('#results li[data-code="AZ"] button').click()
    page.wait_for_url("**/settings/countries")
    assert "AZ" in application.watched
    assert page.locator('#watched li[data-code="AZ"]').count() == 1


def test_script_in_a_feed_title_is_shown_as_text(
    site: tuple[App, dict[str, int], str], page: Any
) -> None:
    _, ids, url = site
    for path in ("/queue", f"/items/{ids['xss']}"):
        page.goto(url + path)
        title = page.locator(
            f'article.item[data-id="{ids["xss"]}"] h3' if path == "/queue" else "p.title-text"
        )
        assert '<script>alert("x")</script>' in title.inner_text()
        assert page.locator("main script").count() == 0 and page.locator("main img").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []
