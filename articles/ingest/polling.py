"""Feeds: which are due, fetching one (conditional GET, unchanged-body skip), its entries queued as items.

Scheduling, in one place:
- after a good fetch the interval adapts: new items pull it towards the gap between the feed's
  recent publications, a fetch with nothing new stretches it by half, within 15 minutes..1 day;
- after a failure the next try backs off exponentially (5 minutes doubling, capped at a day) with
  jitter, and the feed stays active: failure_count and last_error show it in admin, nothing is
  dropped silently.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article, Feed, FeedFetch, IngestItem, ItemStatus
from articles.text.hygiene import visible

from .feeds import FeedEntry, FeedError, ParsedFeed, parse_feed
from .fetch import FetchError, FetchPolicy, FetchResult, fetch
from .formats import without_nul
from .services import source_for
from .urls import is_web_url, normalize_url

logger = logging.getLogger(__name__)

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
FIRST_BACKOFF = 5 * 60
MAX_BACKOFF = 24 * 3600
CLAIM_LEASE = timedelta(minutes=15)  # a claimed feed is not claimed again while its fetch is queued
FETCH_RECORDS_KEPT = 100
MAX_KEY = 600


@dataclass
class FeedFetchOutcome:
    fetch_id: int
    status: str
    new_item_ids: list[int] = field(default_factory=list)
    items_seen: int = 0
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "fetch_id": self.fetch_id, "status": self.status, "new_item_ids": self.new_item_ids,
            "items_seen": self.items_seen, "error": self.error,
        }


def next_interval(current: int, *, new_items: int, published: list[datetime]) -> int:
    """The next polling interval, from how often the feed publishes."""
    if new_items:
        recent = sorted((p for p in published if p), reverse=True)[:10]
        gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(recent) if a > b]
        target = statistics.median(gaps) if gaps else current / 2
        interval = min(current, target)
    else:
        interval = current * 1.5
    return int(min(max(interval, MIN_INTERVAL), MAX_INTERVAL))


def failure_delay(failures: int) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random, so failed feeds spread out."""
    ceiling = min(FIRST_BACKOFF * 2 ** max(failures - 1, 0), MAX_BACKOFF)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def feeds_claim_due(*, limit: int = 500) -> list[int]:
    """Claim the feeds that are due; a claimed feed's next_fetch_at moves past the lease.

    On PostgreSQL, SKIP LOCKED lets two pollers run at once without claiming a feed twice.
    """
    now = timezone.now()
    due = Q(active=True) & (Q(next_fetch_at__lte=now) | Q(next_fetch_at__isnull=True))
    with transaction.atomic():
        ids = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by(F("next_fetch_at").asc(nulls_first=True), "id")
            .values_list("id", flat=True)[:limit]
        )
        Feed.objects.filter(pk__in=ids).update(next_fetch_at=now + CLAIM_LEASE)
    return ids


def feed_upsert(*, url: str, parsed: ParsedFeed | None = None) -> Feed:
    """The feed at this URL, created with its outlet (named by the feed's title) on first sight."""
    url = normalize_url(url)
    feed = Feed.objects.filter(url=url).first()
    if feed is not None:
        return feed
    title = parsed.title if parsed else ""
    homepage = parsed.link if parsed and is_web_url(parsed.link) else ""
    source = source_for(title or normalize_url(url).split("/")[2], homepage)
    feed, _ = Feed.objects.get_or_create(url=url, defaults={"source": source, "title": title[:500]})
    return feed


def _entry_key(entry: FeedEntry, url: str, *, use_guid: bool) -> str:
    if use_guid and entry.guid and len(entry.guid) <= MAX_KEY:
        return f"guid:{entry.guid}"
    if url:
        return f"url:{url}"[:MAX_KEY + 4]
    digest = hashlib.sha256((entry.title + "\n" + entry.content_html).encode()).hexdigest()
    return f"hash:{digest}"


def _entry_url(entry: FeedEntry) -> str:
    try:
        return normalize_url(entry.link) if entry.link else ""
    except ValueError:
        return ""


def guids_repeat(entries: list[FeedEntry]) -> bool:
    """A feed whose GUIDs cannot tell its items apart: one GUID on entries with different links."""
    links: dict[str, set[str]] = {}
    for entry in entries:
        if entry.guid:
            links.setdefault(entry.guid, set()).add(_entry_url(entry))
    return any(len(urls) > 1 for urls in links.values())


def feed_items_upsert(*, feed: Feed, parsed: ParsedFeed) -> list[int]:
    """Queue the entries not seen before as items; return the new items' ids.

    One row per (feed, key): a second worker on the same feed finds the rows there and adds none.
    An entry whose URL is already an article (from another feed, say) is not fetched again.
    """
    if not feed.guids_unreliable and guids_repeat(parsed.entries):
        feed.guids_unreliable = True
        Feed.objects.filter(pk=feed.pk).update(guids_unreliable=True)
        logger.warning("feed %s repeats GUIDs; its items are told apart by URL from now on", feed.url)
    planned = []
    for entry in parsed.entries:
        url = _entry_url(entry)
        if not url and not entry.content_html.strip():
            continue
        planned.append((entry, url, _entry_key(entry, url, use_guid=not feed.guids_unreliable)))
    with transaction.atomic():  # one commit for the whole feed's new items
        return _items_create(feed, planned)


def _items_create(feed: Feed, planned: list[tuple[FeedEntry, str, str]]) -> list[int]:
    keys = [key for _entry, _url, key in planned]
    existing = dict(IngestItem.objects.filter(feed=feed, key__in=keys).values_list("key", "url"))
    known_urls = set(Article.objects.filter(url__in=[u for _e, u, _k in planned if u]).values_list("url", flat=True))
    items: list[IngestItem] = []
    new_keys: set[str] = set()
    for entry, url, key in planned:
        if key in existing:
            if key.startswith("guid:") and url and existing[key] and existing[key] != url:
                # The same GUID on a different page, across fetches: stop trusting the feed's GUIDs.
                Feed.objects.filter(pk=feed.pk).update(guids_unreliable=True)
                feed.guids_unreliable = True
                key = _entry_key(entry, url, use_guid=False)
            else:
                continue
        if url in known_urls or key in new_keys:
            continue
        new_keys.add(key)
        items.append(IngestItem(
            feed=feed,
            key=key,
            guid=without_nul(entry.guid[:1000]),
            url=url,
            title=visible(entry.title, one_line=True)[:1000],
            byline=visible(entry.byline, one_line=True)[:500],
            published_at=entry.published_at,
            published_precision=entry.published_precision,
            language=without_nul(entry.language[:12]),
            feed_html=without_nul(entry.content_html),
            status=ItemStatus.QUEUED if url else ItemStatus.FETCHED,
            page_note="" if url else "the entry has no link",
        ))
    # One insert for the lot; a row another worker inserted a moment ago is skipped by the unique
    # (feed, key), and queuing its id twice is harmless (the item tasks check its status).
    IngestItem.objects.bulk_create(items, ignore_conflicts=True)
    return list(IngestItem.objects.filter(feed=feed, key__in=new_keys).order_by("id").values_list("id", flat=True))


def feed_fetch(
    *, feed_id: int, policy: FetchPolicy | None = None, prefetched: FetchResult | None = None,
    parsed: ParsedFeed | None = None,
) -> FeedFetchOutcome:
    """Fetch one feed, queue its new entries, leave a FeedFetch record and schedule the next fetch.

    1. Conditional GET with the stored ETag / Last-Modified; a 304 ends there.
    2. A body whose hash is the stored one ends there too (servers without validators).
    3. The entries not seen before become IngestItems (see feed_items_upsert).
    A fetch or parse failure is recorded (status, error) and backs the feed off; database errors
    propagate so the task is retried. `prefetched` (and `parsed`, its feed) come from a caller
    that fetched the URL already to see what it is.
    """
    feed = Feed.objects.get(pk=feed_id)
    started, clock = timezone.now(), time.monotonic()
    record = FeedFetch(feed=feed, started_at=started, status=FeedFetch.Status.OK)
    new_ids: list[int] = []
    published: list[datetime] = []
    updates: dict[str, object] = {"last_fetched_at": started}
    try:
        result = prefetched or fetch(feed.url, policy=policy, etag=feed.etag, last_modified=feed.last_modified)
        record.http_status = result.status
        if result.not_modified:
            record.status = FeedFetch.Status.NOT_MODIFIED
        else:
            body_hash = hashlib.sha256(result.body).hexdigest()
            if body_hash == feed.body_hash:
                record.status = FeedFetch.Status.UNCHANGED
            else:
                parsed = parsed or parse_feed(result.body, url=result.url, headers=result.headers)
                record.items_seen = len(parsed.entries)
                new_ids = feed_items_upsert(feed=feed, parsed=parsed)
                published = [e.published_at for e in parsed.entries if e.published_at]
                updates["body_hash"] = body_hash
                if not feed.title and parsed.title:
                    updates["title"] = parsed.title[:500]
                if parsed.warnings:
                    record.error = "; ".join(parsed.warnings)[:2000]
        updates["etag"] = (result.etag or feed.etag)[:500]
        updates["last_modified"] = (result.last_modified or feed.last_modified)[:100]
        record.items_new = len(new_ids)
        interval = next_interval(feed.fetch_interval, new_items=len(new_ids), published=published)
        updates.update(
            fetch_interval=interval, failure_count=0, last_error="",
            next_fetch_at=started + timedelta(seconds=interval),
        )
    except DatabaseError:
        raise
    except (FetchError, FeedError) as exc:
        record.http_status = getattr(exc, "status", record.http_status)
        _record_failure(record, updates, feed, started, str(exc))
    except Exception as exc:  # a parser bug must not stop the feed for good: record it and back off
        logger.exception("fetching feed %s failed unexpectedly", feed.url)
        _record_failure(record, updates, feed, started, f"unexpected error: {type(exc).__name__}: {exc}")
    record.duration_ms = int((time.monotonic() - clock) * 1000)
    with transaction.atomic():
        record.save()
        Feed.objects.filter(pk=feed.pk).update(**updates)
        stale = list(FeedFetch.objects.filter(feed=feed).values_list("id", flat=True)[FETCH_RECORDS_KEPT:])
        if stale:
            FeedFetch.objects.filter(pk__in=stale).delete()
    return FeedFetchOutcome(
        fetch_id=record.pk, status=record.status, new_item_ids=new_ids, items_seen=record.items_seen, error=record.error
    )


def _record_failure(record: FeedFetch, updates: dict, feed: Feed, started: datetime, error: str) -> None:
    failures = feed.failure_count + 1
    record.status = FeedFetch.Status.FAILED
    record.error = error[:2000]
    record.items_new = 0
    updates.update(
        failure_count=failures, last_error=error[:2000],
        next_fetch_at=started + timedelta(seconds=failure_delay(failures)),
    )
