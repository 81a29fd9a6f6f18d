"""Admin for ingestion: a feed's fetches, "Fetch now", "Ingest a URL", the pipeline's records read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest.polling import feed_fetch, feed_upsert
from articles.models import Article, Feed, FeedFetch, IngestItem, Source

pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Admin Test Times</title><link>http://127.0.0.1/</link>
<item><title>Taliban and Afghan negotiators meet in Doha</title><link>{link}</link><guid>admin-1</guid>
<description><![CDATA[<p>DOHA — Negotiators of the Taliban and the Afghan government met in Doha on Monday and agreed on
the rules of procedure for their talks, officials on both sides said.</p><p>The agreement opens the way to
discussions on a ceasefire and on the future political system of Afghanistan.</p>]]></description></item>
</channel></rss>"""


@pytest.fixture
def served_feed(web):
    web.add("/feed.xml", FEED.format(link=web.url("/gone")), content_type="application/rss+xml")
    return web.url("/feed.xml")


def test_feed_page_shows_its_recent_fetches(editor_client, served_feed, web):
    feed = feed_upsert(url=served_feed)
    feed_fetch(feed_id=feed.pk)
    web.routes["/feed.xml"].status = 500
    feed_fetch(feed_id=feed.pk)

    page = editor_client.get(reverse("admin:articles_feed_change", args=[feed.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Last 20 fetches" in html and "fetched" in html and "failed" in html and "HTTP 500" in html


def test_an_editor_adds_a_feed(editor_client):
    source = Source.objects.create(name="Added Outlet", slug="added-outlet")
    response = editor_client.post(
        reverse("admin:articles_feed_add"),
        {"url": "https://added.example/rss.xml", "source": source.pk, "title": "", "active": "on", "fetch_interval": 3600},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = Feed.objects.get()
    assert (feed.url, feed.source, feed.next_fetch_at) == ("https://added.example/rss.xml", source, None)  # due at once


def test_feed_list_query_count_does_not_grow_with_feeds(editor_client, served_feed):
    feed_upsert(url=served_feed)
    url = reverse("admin:articles_feed_changelist")
    with CaptureQueriesContext(connection) as one:
        assert editor_client.get(url).status_code == 200
    for n in range(5):
        Feed.objects.create(url=f"https://feeds{n}.example/rss", source=Feed.objects.first().source)
    with CaptureQueriesContext(connection) as six:
        assert editor_client.get(url).status_code == 200
    assert len(six.captured_queries) == len(one.captured_queries)


def test_fetch_now_action_fetches_the_selected_feeds(editor_client, served_feed):
    feed = feed_upsert(url=served_feed)
    response = editor_client.post(
        reverse("admin:articles_feed_changelist"), {"action": "fetch_now", "_selected_action": [feed.pk]}, follow=True
    )
    assert response.status_code == 200
    assert FeedFetch.objects.get(feed=feed).status == FeedFetch.Status.OK
    assert Article.objects.filter(title="Taliban and Afghan negotiators meet in Doha").exists()


def test_ingest_a_url_form(editor_client, served_feed):
    url = reverse("admin:articles_article_ingest_url")
    assert "Ingest a URL" in editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(url, {"url": served_feed}, follow=True)

    assert response.status_code == 200
    assert "Ingested" in response.content.decode()
    assert Feed.objects.get().source.name == "Admin Test Times"
    assert Article.objects.count() == 1


@pytest.mark.parametrize("bad", ["not a url", "ftp://example.org/file", "javascript:alert(1)"])
def test_ingest_a_url_form_refuses_bad_input_with_a_reason(editor_client, bad):
    response = editor_client.post(reverse("admin:articles_article_ingest_url"), {"url": bad})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not IngestItem.objects.exists()


def test_ingest_a_url_reports_a_refused_address(editor_client, settings, web):
    settings.NEWSROOM_FETCH_ALLOW_PRIVATE = False
    web.add("/page", "<p>hi</p>")
    response = editor_client.post(reverse("admin:articles_article_ingest_url"), {"url": web.url("/page")}, follow=True)
    assert "loopback address" in response.content.decode()
    assert IngestItem.objects.get().status == "failed"


def test_ingest_url_view_needs_staff(client):
    response = client.get(reverse("admin:articles_article_ingest_url"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pipeline_records_are_read_only(editor_client, served_feed):
    feed = feed_upsert(url=served_feed)
    feed_fetch(feed_id=feed.pk)
    item = IngestItem.objects.get()
    assert editor_client.get(reverse("admin:articles_ingestitem_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:articles_feedfetch_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:articles_ingestitem_add")).status_code == 403
    change = editor_client.get(reverse("admin:articles_ingestitem_change", args=[item.pk]))
    assert change.status_code == 200 and 'type="submit" value="Save"' not in change.content.decode()
