"""The documentation page in a real browser (Debian's Chromium through Playwright), under the CSP:
Swagger UI renders every operation and runs a request, with no CSP violation and no script error.

The browser and the live site are the browser tests' own fixtures (tests/browser/conftest.py).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, chromium_path, page, screenshot, site  # noqa: F401

# Collected with a database mark, pytest-django sets the test database up before the live site
# (run alone without one, the site fixture would see the development database's settings).
pytestmark = pytest.mark.django_db


def test_docs_page_renders_and_runs_a_request_under_the_csp(page, site):  # noqa: F811
    base, _corpus = site
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    screenshot(page, "api-docs", full_page=False)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/articles/" in summaries and "/api/events/{identifier}/" in summaries

    articles = page.locator(".opblock-get").filter(has=page.locator('[data-path="/api/articles/"]')).first
    articles.locator(".opblock-summary").click()
    articles.locator("button.try-out__btn").click()
    articles.locator("button.execute").click()
    status = articles.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=15_000)
    assert status.inner_text().strip().startswith("200")
    assert '"results"' in articles.locator(".live-responses-table .microlight").first.inner_text()
    screenshot(page, "api-docs-request", full_page=False)

    assert page.errors == [], page.errors
    assert outside == [], f"requests left the site: {outside}"
