"""An article crafted to carry script payloads, ingested through the pipeline and opened in Chromium, runs nothing."""

from __future__ import annotations

import pytest

from articles.ingest import IngestReport, InProcess
from articles.ingest.fetch import FetchPolicy
from articles.models import Article, IngestItem
from tests.browser.conftest import browser, chromium_path, page, site  # noqa: F401  (fixtures shared by import)

from .conftest import LocalWeb
from .test_hostile_corpus import ALL_PAYLOADS
from .test_hostile_corpus import page as hostile_page

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

TITLE = "Doha talks <img src=x onerror=alert('title')> resume"


@pytest.fixture(scope="module")
def crafted_article(site, django_db_blocker):  # noqa: F811
    """Committed (the live server reads it from another thread), removed afterwards."""
    web = LocalWeb()
    web.thread.start()
    web.add("/xss", hostile_page(TITLE, ALL_PAYLOADS + "<p onclick=alert('p')>Khalilzad said talks would go on.</p>"))
    policy = FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=5, allow_private=True, host_interval=0)
    with django_db_blocker.unblock():
        report = IngestReport()
        InProcess(report, policy=policy).url_ingest(web.url("/xss"))
        assert report.failures == [] and report.article_ids, report
        article = Article.objects.get(pk=report.article_ids[0])
        try:
            yield article
        finally:
            web.server.shutdown()
            web.server.server_close()
            IngestItem.objects.filter(article=article).delete()
            IngestItem.objects.filter(url=web.url("/xss")).delete()
            article.delete()


def test_a_crafted_article_runs_no_script_in_chromium(page, crafted_article):  # noqa: F811
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    response = page.goto(crafted_article.get_absolute_url())
    for link in page.locator("article a").all():
        link.hover()  # handlers that wait for a pointer
    page.wait_for_timeout(300)

    assert response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "script-src" in csp and "'unsafe-inline'" not in csp, csp
    assert dialogs == []
    assert page.errors == []  # a blocked inline script would be reported here as a CSP violation
    html = page.content()
    assert "onerror=" not in html and "javascript:" not in html
    assert "negotiators met in Doha" in page.inner_text("body")  # the text itself survives the cleaning
    assert "Doha talks" in page.title()
