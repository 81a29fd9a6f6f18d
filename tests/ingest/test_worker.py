"""A real Celery worker process on Redis ingests feeds served from 127.0.0.1, end to end, against PostgreSQL."""

import time

import pytest
from django.db import connection

from articles.ingest.polling import feed_upsert
from articles.knowledge_base import load_knowledge_base
from articles.models import Article, Feed, FeedFetch, IngestItem, ItemStatus, Source

from .test_tasks import FEED, PAGE

WAIT = 180


def wait_for_items(expected: int, tmp_path) -> None:
    """Poll the database until the worker has finished every item (its later tasks are not ours to wait on)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        finished = IngestItem.objects.filter(status__in=[ItemStatus.DONE, ItemStatus.FAILED]).count()
        if finished >= expected:
            return
        time.sleep(0.5)
    print((tmp_path / "worker.log").read_text())
    pytest.fail(f"the worker finished {finished} of {expected} items in {WAIT} s")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_ingests_served_feeds(worker_queue, celery_client, newsroom_web, tmp_path):
    load_knowledge_base()
    # As an editor adds them in admin: a URL and its outlet.
    ledger = Feed.objects.create(
        url=newsroom_web.url("/ledger/feed.xml"), source=Source.objects.create(name="Kabul Test Ledger", slug="ledger")
    )
    post = Feed.objects.create(
        url=newsroom_web.url("/post/feed.rdf"), source=Source.objects.create(name="Indus Test Post", slug="post")
    )

    for feed in (ledger, post):
        result = celery_client.send_task("articles.ingest.tasks.fetch_feed", args=[feed.pk], queue=worker_queue)
        try:
            assert result.get(timeout=WAIT)["status"] == "ok"
        except Exception:
            print((tmp_path / "worker.log").read_text())
            raise
    wait_for_items(6, tmp_path)

    assert set(IngestItem.objects.values_list("status", flat=True)) == {ItemStatus.DONE}
    assert Article.objects.count() == 6
    talks = Article.objects.get(title="Khalilzad and Baradar meet in Doha as talks resume")
    assert talks.source.name == "Kabul Test Ledger"
    assert "a signing ceremony could take place" in talks.body and "Advertisement" not in talks.body
    assert talks.person_links.filter(person__slug="zalmay-khalilzad").exists()
    original = Article.objects.get(title="US and Taliban agree on prisoner release timetable in Doha")
    copy = Article.objects.get(title="Washington and Taliban settle prisoner exchange ahead of Afghan talks")
    assert copy.duplicate_of_id == original.pk
    assert not Article.objects.get(title="Spin bowlers steer Northern Districts to a tense win").is_relevant
    assert "HTTP 404" in Article.objects.get(title="Islamabad welcomes the Doha agreement and offers to help").ingest_note

    again = celery_client.send_task("articles.ingest.tasks.fetch_feed", args=[ledger.pk], queue=worker_queue)
    assert again.get(timeout=WAIT)["status"] == "unchanged"
    assert Article.objects.count() == 6 and IngestItem.objects.count() == 6
    assert FeedFetch.objects.filter(feed=ledger).count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_item_a_real_worker_cannot_store_ends_failed_with_the_reason(worker_queue, celery_client, web, tmp_path):
    """The database refuses the article (a check constraint the test adds): the worker records why on the item."""
    web.add("/feed.xml", FEED.format(page=web.url("/story")), content_type="application/rss+xml")
    web.add("/story", PAGE)
    feed = feed_upsert(url=web.url("/feed.xml"))
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {Article._meta.db_table} ADD CONSTRAINT refused_by_test CHECK (title NOT LIKE 'Ceasefire%%')")
    try:
        result = celery_client.send_task("articles.ingest.tasks.fetch_feed", args=[feed.pk], queue=worker_queue)
        assert result.get(timeout=WAIT)["status"] == "ok"
        wait_for_items(1, tmp_path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {Article._meta.db_table} DROP CONSTRAINT refused_by_test")

    item = IngestItem.objects.get()
    assert item.status == ItemStatus.FAILED and item.page_html == ""
    assert item.error.startswith("process_item gave up: IntegrityError: ") and "refused_by_test" in item.error
    assert not Article.objects.exists()
