"""Browser tests: Playwright driving Debian's Chromium against a live server with a small corpus.

Select them with `-m browser`. Chromium missing skips them, except where
NEWSROOM_REQUIRE_SERVICES=1 (CI), where it fails. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browse.corpus import build_corpus, remove_corpus

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright (needs /usr/bin/chromium)")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Chromium is not at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """A live server over a committed corpus, removed afterwards (the knowledge base stays).

    pytest-django's `live_server` would flush every table after each test, the knowledge base
    loaded once for the session included; its LiveServer with committed data avoids that.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        corpus = build_corpus()
        server = LiveServer("127.0.0.1:0")
        try:
            yield server.url, corpus
        finally:
            server.stop()
            remove_corpus(corpus)


@pytest.fixture
def browser(chromium_path, site):
    """Chromium for one test. Playwright's sync API runs an event loop in this thread while it is
    up, and Django refuses database calls then, so it starts after the test's database setup and
    stops before its teardown (about a second per test)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    """A fresh page at desktop width that records console errors and refused requests (CSP)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site[0])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
