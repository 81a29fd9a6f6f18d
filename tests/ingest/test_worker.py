"""A real Celery worker process on Redis ingests feeds served from 127.0.0.1, end to end, against PostgreSQL."""

import time

import pytest
from django.db import connection

from articles.knowledge_base import load_knowledge_base
from articles.models import Article, Feed, FeedFetch, IngestItem, ItemStatus, Source

from .test_tasks import ROUNDS, serve_rounds

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
        result = celery_client.send_task("articles.ingest.tasks.feed_fetch", args=[feed.pk], queue=worker_queue)
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

    again = celery_client.send_task("articles.ingest.tasks.feed_fetch", args=[ledger.pk], queue=worker_queue)
    assert again.get(timeout=WAIT)["status"] == "unchanged"
    assert Article.objects.count() == 6 and IngestItem.objects.count() == 6
    assert FeedFetch.objects.filter(feed=ledger).count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_batch_with_a_poisoned_item_stores_every_other_item(worker_queue, celery_client, web, tmp_path):
    """The database refuses one article of the batch (a check constraint the test adds): the worker records why
    on that item, and the other four, processed in the same batch and transaction, are stored and tagged."""
    load_knowledge_base()
    feed = serve_rounds(web)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {Article._meta.db_table} ADD CONSTRAINT refused_by_test CHECK (title NOT LIKE '%%round 2')")
    try:
        result = celery_client.send_task("articles.ingest.tasks.feed_fetch", args=[feed.pk], queue=worker_queue)
        assert result.get(timeout=WAIT)["status"] == "ok"
        wait_for_items(len(ROUNDS), tmp_path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {Article._meta.db_table} DROP CONSTRAINT refused_by_test")

    poisoned = IngestItem.objects.get(guid="r-2")
    assert poisoned.status == ItemStatus.FAILED and poisoned.page_html == ""
    assert poisoned.error.startswith("items_process gave up: IntegrityError: ") and "refused_by_test" in poisoned.error
    assert set(IngestItem.objects.exclude(pk=poisoned.pk).values_list("status", flat=True)) == {ItemStatus.DONE}
    assert sorted(Article.objects.values_list("title", flat=True)) == [f"Talks in Doha, round {n}" for n in (0, 1, 3, 4)]
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.TAGGED}
    log = (tmp_path / "worker.log").read_text()
    assert log.count("articles.ingest.tasks.items_process[") == 2, log  # received and succeeded: one batch
