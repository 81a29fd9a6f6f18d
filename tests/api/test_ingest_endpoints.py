"""Staff-only ingestion through the API: a URL or a registered feed, queued after the commit and
run (eagerly here) by the real ingestion tasks against pages served from 127.0.0.1."""

from __future__ import annotations

import pytest

from articles.models import Article, Feed
from tests.ingest.conftest import LocalWeb

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html lang="en"><head><title>Envoy returns to Doha</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Envoy returns to Doha for another round with the Taliban</h1>
<p>DOHA - Zalmay Khalilzad, the United States special representative for Afghanistan reconciliation,
arrived in Doha on Tuesday for a new round of talks with the Taliban's political office, officials said.</p>
<p>The envoy is expected to meet Abdul Ghani Baradar, who leads the movement's negotiators, to discuss a
reduction in violence that both sides have described as a condition for signing an agreement.</p>
<p>Diplomats in Qatar said the talks could last several days, and that the question of a timetable for
the withdrawal of foreign troops remained the main point still open between the two delegations.</p>
</article><footer>Written for the Newsroom test suite.</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Wire</title><link>{base}/</link><description>Tests</description>
<item><title>Envoy returns to Doha for another round with the Taliban</title><link>{base}/news/envoy</link>
<guid>{base}/news/envoy</guid><pubDate>Tue, 03 Dec 2019 09:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture
def web(settings):
    settings.NEWSROOM_FETCH_ALLOW_PRIVATE = True
    settings.NEWSROOM_FETCH_HOST_INTERVAL = 0
    settings.NEWSROOM_RATE_LIMIT_REDIS_URL = ""
    server = LocalWeb()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_editor_ingests_a_page_by_url(staff_client, web, django_capture_on_commit_callbacks):
    url = web.add("/news/envoy", PAGE)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = staff_client.post("/api/ingest/url/", {"url": url}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued" and len(response.json()["task_id"]) == 36
    assert len(queued) == 1, "queued once, after the commit"
    article = Article.objects.get(url=url)
    assert "Khalilzad" in article.body
    assert web.hits("/news/envoy") == 1


def test_editor_fetches_a_registered_feed(staff_client, source, web, django_capture_on_commit_callbacks):
    web.add("/news/envoy", PAGE)
    feed = Feed.objects.create(url=web.add("/feed.xml", FEED.format(base=web.base), content_type="application/rss+xml"),
                               source=source)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/api/ingest/feed/", {"feed": feed.pk}, format="json")
    assert response.status_code == 202, response.content
    assert web.hits("/feed.xml") == 1
    assert Article.objects.filter(url=web.url("/news/envoy")).exists()


def test_nothing_is_queued_before_the_commit(staff_client, web, django_capture_on_commit_callbacks):
    url = web.add("/news/envoy", PAGE)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert staff_client.post("/api/ingest/url/", {"url": url}, format="json").status_code == 202
    assert len(queued) == 1 and web.hits("/news/envoy") == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/ingest/url/", {"url": "not a url"}, "url"),
        ("/api/ingest/url/", {"url": "ftp://example.org/file"}, "url"),
        ("/api/ingest/url/", {"url": "file:///etc/passwd"}, "url"),
        ("/api/ingest/url/", {"url": "https://example.org/" + "x" * 3000}, "url"),
        ("/api/ingest/url/", {}, "url"),
        ("/api/ingest/feed/", {"feed": 999999}, "feed"),
        ("/api/ingest/feed/", {"feed": "abc"}, "feed"),
        ("/api/ingest/feed/", {"feed": 2**70}, "feed"),
    ],
)
def test_bad_request_is_400_and_queues_nothing(staff_client, path, body, field, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = staff_client.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert queued == []


@pytest.mark.parametrize("path", ["/api/ingest/url/", "/api/ingest/feed/"])
def test_only_staff_may_ingest(api_client, reader_client, path, django_capture_on_commit_callbacks):
    body = {"url": "https://example.org/a"} if path.endswith("url/") else {"feed": 1}
    with django_capture_on_commit_callbacks() as queued:
        assert api_client.post(path, body, format="json").status_code == 401
        assert reader_client.post(path, body, format="json").status_code == 403
    assert queued == []


def test_ingest_endpoints_refuse_get(staff_client):
    assert staff_client.get("/api/ingest/url/").status_code == 405
