"""Celery tasks of ingestion: thin wrappers that take paths, URLs or ids and call the services.

The path of a feed entry: poll_feeds (beat) -> fetch_feed [fetch queue] -> fetch_item [fetch]
-> process_item [process]. Network-bound steps are on `fetch`, CPU-bound ones on `process`
(routes in settings). Each step is idempotent (unique rows and status checks), so a redelivered
or duplicated task does nothing twice. Transient network errors are retried with exponential
backoff and jitter; when the retries run out, an entry falls back to the feed's own text.
"""

from celery import shared_task

from articles.ingest.fetch import FetchError
from articles.ingest.items import item_fetch_page, item_process, url_ingest
from articles.ingest.polling import feed_fetch, feeds_claim_due
from articles.ingest.services import ingest_path
from articles.retry import TRANSIENT_ERRORS

RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
FETCH_LIMITS = {"soft_time_limit": 90, "time_limit": 120}  # above one fetch's 30 s deadline, below the broker's


def _network_retry_delay(retries: int) -> int:
    return min(30 * 2**retries, 600)


def _last_try(task) -> bool:
    """Retrying only helps when a worker can come back to it later (not when run in-process)."""
    return task.request.is_eager or task.request.retries >= task.max_retries


@shared_task(**RETRY)
def ingest_file(path: str, source_name: str = "") -> dict:
    """Ingest a local file or directory (a path the worker can read)."""
    return ingest_path(path, source_name=source_name).as_dict()


@shared_task(**RETRY)
def poll_feeds() -> list[int]:
    """Beat's task: queue a fetch for every feed that is due (each claimed once, see feeds_claim_due)."""
    feed_ids = feeds_claim_due()
    for feed_id in feed_ids:
        fetch_feed.delay(feed_id)
    return feed_ids


@shared_task(**RETRY, **FETCH_LIMITS)
def fetch_feed(feed_id: int) -> dict:
    """Fetch one feed and queue its new entries; a failed fetch is recorded and backed off by the feed's schedule."""
    outcome = feed_fetch(feed_id=feed_id)
    for item_id in outcome.new_item_ids:
        fetch_item.delay(item_id)
    return outcome.as_dict()


@shared_task(bind=True, **{**RETRY, "max_retries": 4}, **FETCH_LIMITS)
def fetch_item(self, item_id: int) -> int:
    """Fetch an entry's page, then queue its processing."""
    try:
        item_fetch_page(item_id=item_id, give_up_on_transient=_last_try(self))
    except FetchError as exc:
        raise self.retry(exc=exc, countdown=_network_retry_delay(self.request.retries)) from exc
    process_item.delay(item_id)
    return item_id


@shared_task(**RETRY)
def process_item(item_id: int) -> dict:
    """Extract, de-duplicate, store and tag one fetched item."""
    article, outcome, reason = item_process(item_id=item_id)
    return {"item_id": item_id, "article_id": article.pk if article else None, "outcome": outcome.value, "reason": reason}


@shared_task(bind=True, **{**RETRY, "max_retries": 4}, **FETCH_LIMITS)
def ingest_url(self, url: str) -> dict:
    """Ingest a URL someone submitted (admin, API): a feed is registered and read, a page stored."""
    try:
        outcome = url_ingest(url=url, give_up_on_transient=_last_try(self))
    except FetchError as exc:
        raise self.retry(exc=exc, countdown=_network_retry_delay(self.request.retries)) from exc
    if outcome.kind == "feed":
        for item_id in outcome.item_ids:
            fetch_item.delay(item_id)
    elif not outcome.error:
        for item_id in outcome.item_ids:
            process_item.delay(item_id)
    return outcome.as_dict()
