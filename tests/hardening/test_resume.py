"""A run that died after queuing a feed's entries is finished by the next run, though the feed is unchanged."""

import pytest

from articles.ingest import IngestReport, InProcess, url_ingest
from articles.models import Article, IngestItem, ItemStatus

from .test_crashes import serve_feed, serve_stories

pytestmark = pytest.mark.django_db


def test_the_next_run_finishes_the_entries_an_interrupted_run_left_queued(web):
    serve_stories(web, range(5))
    feed_url = serve_feed(web, "/feed.xml", range(5))
    queued = url_ingest(url=feed_url)  # the first run stops here, as if killed before processing
    assert len(queued.item_ids) == 5 and not Article.objects.exists()

    report = IngestReport()
    again = InProcess(report).url_ingest(feed_url)

    assert again.item_ids == []  # the feed's body is unchanged: no new entries
    assert report.counts["created"] == 5 and report.failures == []
    assert not IngestItem.objects.exclude(status=ItemStatus.DONE).exists()
