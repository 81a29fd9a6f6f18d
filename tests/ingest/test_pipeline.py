"""Feeds and pages served from 127.0.0.1, end to end: the issue's 'done when', in this process."""

import datetime as dt

import pytest

from articles.ingest import IngestReport, InProcess
from articles.models import Article, FeedFetch, IngestItem, ItemStatus

pytestmark = pytest.mark.django_db

UTC = dt.UTC
SOURCES = ["/ledger/feed.xml", "/post/feed.rdf", "/wire/feed.atom", "/bulletin/wheat-convoy", "/bulletin/stanikzai-doha"]
CLUTTER = [
    "Advertisement", "cookies", "Related stories", "Comments", "cheap watches", "All rights reserved",
    "should never be stored", "Subscribe", "Share:", "Most read", "Sign up", "Also read", "Follow the",
]


def ingest_all(web, policy) -> IngestReport:
    report = IngestReport()
    for path in SOURCES:
        InProcess(report, policy=policy).url_ingest(web.url(path))
    return report


def assert_clean(article: Article) -> None:
    for text in (article.body, article.body_html):
        for clutter in CLUTTER:
            assert clutter not in text, (article.title, clutter)
    assert "<script" not in article.body_html and "onerror" not in article.body_html and "<img" not in article.body_html
    assert article.body_html.startswith("<p>")


def test_feeds_and_pages_import_with_right_metadata_and_clean_bodies(newsroom_web, fast_policy):
    web = newsroom_web
    report = ingest_all(web, fast_policy)

    assert report.failures == []
    assert report.counts["created"] + report.counts["duplicate"] == Article.objects.count() == 9
    for article in Article.objects.all():
        assert_clean(article)

    talks = Article.objects.get(title="Khalilzad and Baradar meet in Doha as talks resume")
    assert talks.url == web.url("/ledger/khalilzad-baradar-doha")  # tracking parameters dropped
    assert talks.source.name == "Kabul Test Ledger"
    assert talks.published_at == dt.datetime(2020, 2, 11, 5, 0, tzinfo=UTC)
    assert talks.byline == "Test Reporter One"
    assert talks.dateline == "Doha"
    assert "a signing ceremony could take place" in talks.body  # the page had more than the feed
    assert talks.ingest_note == ""
    assert talks.is_relevant

    teaser = Article.objects.get(title="Kabul briefing on the reduction in violence")
    assert "Residents of Kabul and Kandahar" in teaser.body
    assert "less text" in teaser.ingest_note

    gone = Article.objects.get(title="Islamabad welcomes the Doha agreement and offers to help")
    assert gone.source.name == "Indus Test Post"
    assert "HTTP 404" in gone.ingest_note
    assert gone.published_at == dt.datetime(2020, 3, 1, 11, 0, tzinfo=UTC)
    assert gone.body.startswith("ISLAMABAD — Pakistan's Foreign Minister")

    opening = Article.objects.get(title="Intra-Afghan negotiations open in Doha")
    assert opening.source.name == "Potomac Test Wire"
    assert opening.byline == "Test Reporter Four"
    assert opening.published_at == dt.datetime(2020, 9, 12, 14, 0, tzinfo=UTC)
    assert "Abdullah Abdullah" in opening.body  # the page, not the one-line summary

    wheat = Article.objects.get(url=web.url("/bulletin/wheat-convoy"))
    assert wheat.title == "India sends wheat to Afghanistan by road through Pakistan"
    assert wheat.source.name == "Raisina Test Bulletin"
    assert wheat.byline == "Test Reporter Five"
    assert wheat.published_at == dt.datetime(2022, 2, 22, 4, 45, tzinfo=UTC)
    assert wheat.body.startswith("AMRITSAR — A first convoy")  # kicker and repeated title dropped
    stanikzai = Article.objects.get(url=web.url("/bulletin/stanikzai-doha"))
    assert stanikzai.title == "Indian diplomats meet Taliban's Stanikzai in Doha"
    assert stanikzai.source.name == "Raisina Test Bulletin"


def test_syndicated_copy_points_to_original_and_off_topic_is_kept_but_not_relevant(newsroom_web, fast_policy):
    ingest_all(newsroom_web, fast_policy)

    original = Article.objects.get(title="US and Taliban agree on prisoner release timetable in Doha")
    copy = Article.objects.get(title="Washington and Taliban settle prisoner exchange ahead of Afghan talks")
    assert copy.duplicate_of_id == original.pk
    assert original.duplicate_of_id is None
    assert copy.source.name == "Indus Test Post" and original.source.name == "Kabul Test Ledger"

    cricket = Article.objects.get(title="Spin bowlers steer Northern Districts to a tense win")
    assert not cricket.is_relevant
    assert original.is_relevant and copy.is_relevant


def test_running_the_same_ingest_again_creates_nothing(newsroom_web, fast_policy):
    first = ingest_all(newsroom_web, fast_policy)
    rows = set(Article.objects.values_list("id", "url", "content_hash", "duplicate_of_id"))
    items = IngestItem.objects.count()

    again = ingest_all(newsroom_web, fast_policy)

    assert again.counts["created"] == again.counts["duplicate"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == 2  # the two pages, fetched again; the feeds are unchanged
    assert again.failures == []
    assert set(Article.objects.values_list("id", "url", "content_hash", "duplicate_of_id")) == rows
    assert IngestItem.objects.count() == items
    assert first.counts["created"] > 0
    assert FeedFetch.objects.filter(status=FeedFetch.Status.UNCHANGED).count() == 3


def test_every_item_ends_done_and_remembers_its_article(newsroom_web, fast_policy):
    ingest_all(newsroom_web, fast_policy)
    assert set(IngestItem.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
    assert not IngestItem.objects.filter(article__isnull=True).exists()
    assert not IngestItem.objects.exclude(page_html="").exists()  # raw pages are not kept
