"""Feed polling: due feeds claimed once, conditional GET, unchanged bodies, adaptive intervals, backoff, GUIDs."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.ingest.feeds import FeedEntry, ParsedFeed
from articles.ingest.polling import (
    FETCH_RECORDS_KEPT,
    MAX_BACKOFF,
    MAX_INTERVAL,
    MIN_INTERVAL,
    failure_delay,
    feed_fetch,
    feed_items_upsert,
    feed_upsert,
    feeds_claim_due,
    next_interval,
)
from articles.models import Feed, FeedFetch, IngestItem, Source

pytestmark = pytest.mark.django_db

HOUR = 3600


def rss(*items: tuple[str, str, str]) -> str:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>{1 + n % 28:02d} Jun 2020 10:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Talks in Doha on day {n}.&lt;/p&gt;</description></item>"
        for n, (title, link, guid) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Polling Test Feed</title>{body}</channel></rss>'


@pytest.fixture
def feed(web):
    web.add("/feed.xml", rss(("One", "http://news.example/1", "g1"), ("Two", "http://news.example/2", "g2")),
            content_type="application/rss+xml", etag='"abc"', last_modified="Mon, 01 Jun 2020 10:00:00 GMT")
    return feed_upsert(url=web.url("/feed.xml"))


def test_first_fetch_queues_entries_and_records_it(feed, web):
    outcome = feed_fetch(feed_id=feed.pk)

    record = FeedFetch.objects.get()
    assert (record.status, record.http_status, record.items_seen, record.items_new) == ("ok", 200, 2, 2)
    assert outcome.new_item_ids == list(IngestItem.objects.order_by("id").values_list("id", flat=True))
    feed.refresh_from_db()
    assert feed.etag == '"abc"' and feed.last_modified == "Mon, 01 Jun 2020 10:00:00 GMT"
    assert feed.failure_count == 0 and feed.next_fetch_at > timezone.now()
    assert IngestItem.objects.get(key="guid:g1").url == "http://news.example/1"


def test_conditional_get_gives_a_not_modified_record(feed, web):
    feed_fetch(feed_id=feed.pk)
    outcome = feed_fetch(feed_id=feed.pk)

    assert outcome.status == FeedFetch.Status.NOT_MODIFIED and outcome.new_item_ids == []
    assert web.requests[-1][1]["if-none-match"] == '"abc"'
    assert IngestItem.objects.count() == 2


def test_a_body_that_did_not_change_is_not_parsed_again(feed, web):
    web.routes["/feed.xml"].etag = ""
    web.routes["/feed.xml"].last_modified = ""
    feed_fetch(feed_id=feed.pk)
    assert feed_fetch(feed_id=feed.pk).status == FeedFetch.Status.UNCHANGED


def test_two_fetches_of_one_feed_queue_each_entry_once(feed):
    parsed = ParsedFeed(title="t", link="", entries=[FeedEntry(guid="g1", link="http://news.example/1", title="One")])
    assert len(feed_items_upsert(feed=feed, parsed=parsed)) == 1
    assert feed_items_upsert(feed=feed, parsed=parsed) == []
    assert IngestItem.objects.count() == 1
    with pytest.raises(IntegrityError):
        IngestItem.objects.create(feed=feed, key="guid:g1")  # the database says so too


def test_a_feed_that_repeats_guids_is_told_apart_by_url(web):
    web.add("/lazy.xml", rss(("One", "http://news.example/1", "same"), ("Two", "http://news.example/2", "same")),
            content_type="application/rss+xml")
    feed = feed_upsert(url=web.url("/lazy.xml"))

    feed_fetch(feed_id=feed.pk)

    feed.refresh_from_db()
    assert feed.guids_unreliable
    assert set(IngestItem.objects.values_list("key", flat=True)) == {"url:http://news.example/1", "url:http://news.example/2"}


def test_a_guid_reused_in_a_later_fetch_for_another_page_is_noticed(web):
    web.add("/feed.xml", rss(("One", "http://news.example/1", "g1")), content_type="application/rss+xml")
    feed = feed_upsert(url=web.url("/feed.xml"))
    feed_fetch(feed_id=feed.pk)
    web.add("/feed.xml", rss(("Another story", "http://news.example/other", "g1")), content_type="application/rss+xml")

    outcome = feed_fetch(feed_id=feed.pk)

    feed.refresh_from_db()
    assert feed.guids_unreliable and len(outcome.new_item_ids) == 1
    assert IngestItem.objects.get(pk=outcome.new_item_ids[0]).key == "url:http://news.example/other"


def test_queries_per_fetch_do_not_grow_with_known_entries(web):
    entries = [(f"Story {n}", f"http://news.example/{n}", f"g{n}") for n in range(40)]
    web.add("/big.xml", rss(*entries[:5]), content_type="application/rss+xml")
    feed = feed_upsert(url=web.url("/big.xml"))
    feed_fetch(feed_id=feed.pk)
    with CaptureQueriesContext(connection) as few:
        web.add("/big.xml", rss(*entries[:5], ("new a", "http://news.example/a", "ga")), content_type="application/rss+xml")
        feed_fetch(feed_id=feed.pk)
    feed_fetch(feed_id=feed.pk)
    web.add("/big.xml", rss(*entries), content_type="application/rss+xml")
    feed_fetch(feed_id=feed.pk)  # the 35 new ones
    with CaptureQueriesContext(connection) as many:
        web.add("/big.xml", rss(*entries, ("new b", "http://news.example/b", "gb")), content_type="application/rss+xml")
        feed_fetch(feed_id=feed.pk)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_failing_feed_backs_off_exponentially_and_stays_active(web):
    web.add("/down.xml", "oops", status=500)
    feed = Feed.objects.create(url=web.url("/down.xml"), source=Source.objects.create(name="Down", slug="down"))
    delays = []
    for _ in range(3):
        before = timezone.now()
        feed_fetch(feed_id=feed.pk)
        feed.refresh_from_db()
        delays.append((feed.next_fetch_at - before).total_seconds())
    assert feed.active and feed.failure_count == 3 and feed.last_error == "HTTP 500"
    assert 150 <= delays[0] <= 301 and 300 <= delays[1] <= 601 and 600 <= delays[2] <= 1201
    assert set(FeedFetch.objects.values_list("status", "http_status")) == {("failed", 500)}

    web.add("/down.xml", rss(("Back", "http://news.example/back", "b")), content_type="application/rss+xml")
    feed_fetch(feed_id=feed.pk)
    feed.refresh_from_db()
    assert feed.failure_count == 0 and feed.last_error == ""


def test_backoff_has_jitter_and_a_cap():
    assert len({round(failure_delay(4), 3) for _ in range(20)}) > 1
    assert all(MAX_BACKOFF / 2 <= failure_delay(40) <= MAX_BACKOFF for _ in range(20))


def test_interval_adapts_to_how_often_the_feed_publishes():
    start = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    every_20_min = [start + dt.timedelta(minutes=20 * n) for n in range(10)]
    assert next_interval(HOUR, new_items=3, published=every_20_min) == 20 * 60
    assert next_interval(HOUR, new_items=1, published=[start]) == HOUR // 2
    assert next_interval(HOUR, new_items=0, published=every_20_min) == int(HOUR * 1.5)
    assert next_interval(MIN_INTERVAL, new_items=5, published=[start] * 5) == MIN_INTERVAL
    assert next_interval(MAX_INTERVAL, new_items=0, published=[]) == MAX_INTERVAL
    every_minute = [start + dt.timedelta(minutes=n) for n in range(10)]
    assert next_interval(HOUR, new_items=9, published=every_minute) == MIN_INTERVAL


def test_due_feeds_are_claimed_once():
    source = Source.objects.create(name="S", slug="s")
    now = timezone.now()
    due = Feed.objects.create(url="https://a.example/rss", source=source, next_fetch_at=now - dt.timedelta(minutes=1))
    never = Feed.objects.create(url="https://b.example/rss", source=source)
    Feed.objects.create(url="https://c.example/rss", source=source, next_fetch_at=now + dt.timedelta(hours=1))
    Feed.objects.create(url="https://d.example/rss", source=source, active=False)

    assert feeds_claim_due() == [never.pk, due.pk]
    assert feeds_claim_due() == []


def test_fetch_records_are_pruned(feed, web):
    FeedFetch.objects.bulk_create(
        [FeedFetch(feed=feed, status="ok", started_at=timezone.now() - dt.timedelta(days=1, minutes=n)) for n in range(FETCH_RECORDS_KEPT + 5)]
    )
    feed_fetch(feed_id=feed.pk)
    assert FeedFetch.objects.filter(feed=feed).count() == FETCH_RECORDS_KEPT
    assert FeedFetch.objects.filter(feed=feed, items_new=2).exists()  # the newest is kept
