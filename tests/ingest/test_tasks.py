"""The Celery tasks of ingestion (run eagerly here; a real worker in test_worker): thin, idempotent, configured."""

from datetime import timedelta

import pytest
from celery.app.trace import build_tracer
from celery.exceptions import Retry
from django.db import OperationalError

from articles.ingest import items, tasks
from articles.ingest.polling import feed_fetch, feed_upsert
from articles.models import Article, ArticlePerson, Feed, FeedFetch, IngestItem, ItemStatus, Person, Quote
from articles.retry import DATABASE_RETRIES
from articles.tagging import batches
from articles.tagging.quotes import ExtractedQuote
from newsroom.celery import app

pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Task Test Herald</title>
<item><title>Ceasefire talks resume in Doha</title><link>{page}</link><guid>t-1</guid>
<pubDate>Mon, 07 Sep 2020 08:00:00 +0000</pubDate>
<description>Negotiators resumed talks in Doha.</description></item></channel></rss>"""

PAGE = """<html><head><title>Ceasefire talks resume in Doha</title><meta property="og:site_name" content="Task Test Herald"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Ceasefire talks resume in Doha</h1>
<p>DOHA — Negotiators for the Afghan government and the Taliban resumed talks in Doha on Monday after a break of two weeks,
with a ceasefire and the release of prisoners at the top of the agenda, officials on both sides said.</p>
<p>Zalmay Khalilzad, the US envoy, met both delegations separately before the session and urged them to reduce violence.</p>
</article><footer>© Task Test Herald</footer></body></html>"""


@pytest.fixture
def feed(web):
    web.add("/feed.xml", FEED.format(page=web.url("/story")), content_type="application/rss+xml")
    web.add("/story", PAGE)
    return feed_upsert(url=web.url("/feed.xml"))


def test_feeds_poll_fetches_due_feeds_end_to_end(feed):
    assert tasks.feeds_poll.delay().get() == [feed.pk]
    article = Article.objects.get()
    assert article.title == "Ceasefire talks resume in Doha"
    assert "Zalmay Khalilzad, the US envoy" in article.body
    assert IngestItem.objects.get().status == ItemStatus.DONE
    assert tasks.feeds_poll.delay().get() == []  # not due again yet


def test_fetching_a_feed_twice_changes_nothing(feed):
    first = tasks.feed_fetch.delay(feed.pk).get()
    second = tasks.feed_fetch.delay(feed.pk).get()
    assert first["status"] == "ok" and len(first["new_item_ids"]) == 1
    assert second["status"] == "unchanged" and second["new_item_ids"] == []
    assert Article.objects.count() == IngestItem.objects.count() == 1
    assert FeedFetch.objects.count() == 2


def test_item_tasks_are_idempotent(feed, web):
    tasks.feed_fetch.delay(feed.pk).get()
    item = IngestItem.objects.get()
    pages = web.hits("/story")
    assert tasks.items_fetch.delay([item.pk]).get() == {"ready": [], "later": []}  # already done: nothing fetched again
    assert web.hits("/story") == pages
    (result,) = tasks.items_process.delay([item.pk]).get()
    assert result["outcome"] == "unchanged" and result["article_id"] == Article.objects.get().pk


def test_url_ingest_task_takes_a_url_string(feed, web):
    result = tasks.url_ingest.delay(web.url("/story")).get()
    assert result["kind"] == "page" and result["error"] == ""
    assert Article.objects.get().url == web.url("/story")
    as_feed = tasks.url_ingest.delay(web.url("/feed.xml")).get()
    assert as_feed["kind"] == "feed" and as_feed["feed_id"] == feed.pk
    assert Feed.objects.count() == 1


def test_a_transient_failure_is_retried_by_a_worker(feed, web, monkeypatch):
    """With a broker, a timeout or 5xx on the page is retried later rather than given up."""
    web.add("/story", "busy", status=503)
    tasks.feed_fetch.apply(args=[feed.pk])  # eager: the item gives up and falls back to the feed's text
    assert "HTTP 503" in Article.objects.get().ingest_note

    item = IngestItem.objects.create(feed=feed, key="guid:t-2", url=web.url("/story"))
    fine = IngestItem.objects.create(feed=feed, key="guid:t-3", url=web.url("/fine"), feed_html="<p>Kept.</p>")
    web.add("/fine", PAGE.replace("Ceasefire talks resume", "Prisoner talks resume"))
    monkeypatch.setattr(tasks, "_last_try", lambda task: False)  # as in a worker, with retries left
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks.QUEUED, "items_process", queued.append)
    with pytest.raises(Retry) as retry:
        tasks.items_fetch.apply(args=[[item.pk, fine.pk]], throw=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.QUEUED and "retrying: HTTP 503" in item.page_note
    assert list(retry.value.sig.args) == [[item.pk]]  # only the item the failure met is tried again
    assert queued == [[fine.pk]]  # the other goes on to be processed now


def test_an_item_whose_processing_raises_ends_failed_with_the_reason(feed, monkeypatch):
    """An error no retry will cure (a bug, say) is recorded on the item; the tagger's work is rolled back, the
    article it was given stays stored, untagged, for `retag --stale`."""
    feed_fetch(feed_id=feed.pk)  # the entry saved as an item, no task queued yet
    item = IngestItem.objects.get()

    def tagger_trips(**_kwargs):
        raise RuntimeError("the tagger tripped")

    monkeypatch.setattr(batches, "article_analyze", tagger_trips)
    tasks.items_fetch.delay([item.pk])  # fetches the page, then processes the item in-process

    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    assert item.error == "items_process gave up: RuntimeError: the tagger tripped"  # the process step's reason
    assert item.page_html == ""
    article = Article.objects.get()
    assert article.status == Article.Status.NEW and article.tagger_version == 0 and not article.person_links.exists()


ROUNDS = [
    "Zalmay Khalilzad met Mullah Baradar in Doha on Monday to discuss the prisoner release and a reduction in violence.",
    "Abdullah Abdullah told reporters in Kabul that the negotiating team had agreed an agenda with the Taliban delegation.",
    "Pakistan's foreign minister said Islamabad would keep pressing both sides to agree a ceasefire before the winter.",
    "The United Nations envoy in Kabul warned that attacks on district centres were undermining trust in the process.",
    "Qatar's foreign ministry said the next round would open after the Eid holidays, with observers from four countries.",
]


def serve_rounds(web) -> Feed:
    """A feed of five items, each a different story on a page of its own."""
    entries = "".join(
        f"<item><title>Talks in Doha, round {n}</title><link>{web.url(f'/round/{n}')}</link><guid>r-{n}</guid>"
        f"<description>Round {n} of the talks.</description></item>"
        for n in range(len(ROUNDS))
    )
    web.add("/rounds.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Round Herald</title>{entries}</channel></rss>',
            content_type="application/rss+xml")
    for n, text in enumerate(ROUNDS):
        web.add(f"/round/{n}", f"<html><body><article><h1>Talks in Doha, round {n}</h1><p>DOHA — {text}</p>"
                f"<p>{ROUNDS[n - 1]} Officials expect a statement on round {n} later in the week.</p></article></body></html>")
    return feed_upsert(url=web.url("/rounds.xml"))


def test_a_poisoned_item_fails_alone_and_the_rest_of_its_batch_is_stored(web, monkeypatch):
    """One transaction for the batch's articles, a savepoint for each, then a transaction for each one's tags: the
    bad item's tags are rolled back and it fails with the reason; the others are stored and tagged."""
    feed = serve_rounds(web)
    real_analyze = batches.article_analyze

    def tag_all_but_round_two(*, article, **kwargs):
        if article.title.endswith("round 2"):
            raise ValueError("poisoned")
        return real_analyze(article=article, **kwargs)

    monkeypatch.setattr(batches, "article_analyze", tag_all_but_round_two)
    feed_fetch(feed_id=feed.pk)
    item_ids = list(IngestItem.objects.order_by("id").values_list("id", flat=True))
    processed: list[list[dict]] = []
    monkeypatch.setattr(tasks.QUEUED, "items_process", lambda ids: processed.append(tasks.items_process.apply(args=[ids]).result))
    tasks.items_fetch.delay(item_ids)

    (results,) = processed  # one batch
    assert [r["outcome"] for r in results] == ["created", "created", "failed", "created", "created"]
    poisoned = IngestItem.objects.get(guid="r-2")
    assert poisoned.status == ItemStatus.FAILED and poisoned.error == "items_process gave up: ValueError: poisoned"
    assert set(IngestItem.objects.exclude(pk=poisoned.pk).values_list("status", flat=True)) == {ItemStatus.DONE}
    assert set(Article.objects.exclude(title__endswith="round 2").values_list("status", flat=True)) == {Article.Status.TAGGED}
    assert Article.objects.get(title__endswith="round 2").status == Article.Status.NEW  # stored, left for retag --stale


def test_an_article_whose_tag_rows_the_database_refuses_fails_alone(web, monkeypatch):
    """The batch's tag rows are written together; when the database refuses one article's (two quotes at
    one offset break a unique constraint), each article is written again in a savepoint of its own: that
    one fails with the database's reason, the others are stored and tagged."""
    feed = serve_rounds(web)
    real_analyze = batches.article_analyze
    speaker = Person.objects.create(name="Test Speaker", slug="test-speaker")

    def two_quotes_at_one_offset(*, article, **kwargs):
        analysis = real_analyze(article=article, **kwargs)
        if article.title.endswith("round 3"):
            quote = ExtractedQuote(text="We will keep pressing.", start=0, speaker=("person", speaker.pk), attribution="said")
            analysis.quotes = [quote, quote]
        return analysis

    monkeypatch.setattr(batches, "article_analyze", two_quotes_at_one_offset)
    feed_fetch(feed_id=feed.pk)
    item_ids = list(IngestItem.objects.order_by("id").values_list("id", flat=True))
    processed: list[list[dict]] = []
    monkeypatch.setattr(tasks.QUEUED, "items_process", lambda ids: processed.append(tasks.items_process.apply(args=[ids]).result))
    tasks.items_fetch.delay(item_ids)

    (results,) = processed
    assert [r["outcome"] for r in results] == ["created", "created", "created", "failed", "created"]
    assert results[3]["reason"].startswith("items_process gave up: IntegrityError")
    assert set(Article.objects.exclude(title__endswith="round 3").values_list("status", flat=True)) == {Article.Status.TAGGED}
    refused = Article.objects.get(title__endswith="round 3")
    assert refused.status == Article.Status.NEW and not refused.quotes.exists() and not refused.person_links.exists()
    assert Quote.objects.exists() or ArticlePerson.objects.exists()  # the others' rows were written


def test_an_item_whose_page_fetch_raises_ends_failed_with_the_reason(feed, monkeypatch):
    feed_fetch(feed_id=feed.pk)
    item = IngestItem.objects.get()

    def client_trips(*_args, **_kwargs):
        raise LookupError("x" * 3000)

    monkeypatch.setattr(items, "fetch", client_trips)
    with pytest.raises(LookupError):
        tasks.items_fetch.delay([item.pk])

    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    assert item.error.startswith("items_fetch gave up: LookupError: xxx") and len(item.error) == items.ERROR_LENGTH


def _run_in_worker(task, *args, retries: int):
    """Trace the task as a worker does (not eager), so Celery's retry and failure handling run as they would there."""
    trace = build_tracer(task.name, task, app=app, eager=False, propagate=False, store_errors=False)
    return trace("worker-test", list(args), {}, {"retries": retries, "is_eager": False})


def test_an_item_is_marked_failed_only_when_the_database_retries_are_spent(feed, monkeypatch):
    feed_fetch(feed_id=feed.pk)
    item = IngestItem.objects.get()

    def database_gone(**_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    process_item = app.tasks["articles.ingest.tasks.items_process"]
    monkeypatch.setattr(items, "items_process", database_gone)
    retried: list[int] = []

    def retry(**kwargs):
        if process_item.request.retries >= kwargs["max_retries"]:
            raise kwargs["exc"]  # what Celery's retry does when the budget is spent
        retried.append(process_item.request.retries)
        return Retry("retry requested")  # instead of a message to the broker

    monkeypatch.setattr(process_item, "retry", retry)

    _run_in_worker(process_item, [item.pk], retries=3)
    item.refresh_from_db()
    assert retried == [3] and item.status == ItemStatus.QUEUED and item.error == ""  # a retry will come back to it

    _run_in_worker(process_item, [item.pk], retries=DATABASE_RETRIES)
    item.refresh_from_db()
    assert retried == [3] and item.status == ItemStatus.FAILED
    assert item.error == "items_process gave up: OperationalError: server closed the connection unexpectedly"


def test_fetching_a_feed_again_queues_the_items_an_earlier_fetch_left_stranded(feed):
    """A fetch cut short after saving its items (a database outage) leaves them queued with no task; the
    retried fetch no longer sees them as new. A later fetch of the feed queues them again."""
    feed_fetch(feed_id=feed.pk)  # items saved, nothing queued
    item = IngestItem.objects.get()

    too_young = tasks.feed_fetch.delay(feed.pk).get()
    assert too_young["status"] == "unchanged" and too_young["requeued_item_ids"] == []  # its task may still be queued
    assert IngestItem.objects.get().status == ItemStatus.QUEUED

    IngestItem.objects.filter(pk=item.pk).update(created_at=item.created_at - tasks.REQUEUE_AFTER - timedelta(seconds=1))
    again = tasks.feed_fetch.delay(feed.pk).get()
    assert again["status"] == "unchanged" and again["new_item_ids"] == [] and again["requeued_item_ids"] == [item.pk]
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.article.title == "Ceasefire talks resume in Doha"


def test_task_configuration():
    """Misspelled CELERY_* settings are ignored silently, so the ones that matter are checked here."""
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    for task in (tasks.feed_fetch, tasks.items_fetch, tasks.url_ingest):
        assert task.soft_time_limit < task.time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.beat_schedule["feeds-poll"]["task"] == "articles.ingest.tasks.feeds_poll"
    route = app.amqp.router.route
    assert route({}, "articles.ingest.tasks.feed_fetch")["queue"].name == "fetch"
    assert route({}, "articles.ingest.tasks.items_fetch")["queue"].name == "fetch"
    assert route({}, "articles.ingest.tasks.url_ingest")["queue"].name == "fetch"
    assert route({}, "articles.ingest.tasks.items_process")["queue"].name == "process"
    assert route({}, "articles.ingest.tasks.feeds_poll")["queue"].name == "process"
    assert route({}, "articles.ingest.tasks.path_ingest")["queue"].name == "process"
    assert tasks.items_fetch.soft_time_limit > tasks.FETCH_BUDGET + 30  # a page begun within the budget ends in time
    for task in (tasks.feed_fetch, tasks.items_fetch, tasks.items_process, tasks.url_ingest, tasks.feeds_poll, tasks.path_ingest):
        assert task.max_retries and task.retry_backoff and task.retry_jitter and task.autoretry_for
