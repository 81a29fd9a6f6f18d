"""Celery tasks of ingestion: thin wrappers that take paths, URLs or ids and call the services.

The path of a feed entry: poll_feeds (beat) -> fetch_feed [fetch queue] -> fetch_item [fetch]
-> process_item [process]. Network-bound steps are on `fetch`, CPU-bound ones on `process`
(routes in settings). Each step is idempotent (unique rows and status checks), so a redelivered
or duplicated task does nothing twice. Transient network errors are retried with exponential
backoff and jitter; when the retries run out, an entry falls back to the feed's own text. An item
task that gives up (an error not retried, or retries spent) marks its item failed with the reason.
"""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import TaskPredicate
from django.utils import timezone

from articles.ingest.fetch import FetchError
from articles.ingest.items import item_fail, item_fetch_page, item_process, url_ingest, with_unfinished
from articles.ingest.polling import feed_fetch, feeds_claim_due
from articles.ingest.services import ingest_path
from articles.retry import TRANSIENT_ERRORS, DatabaseOutageRetryTask

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
FETCH_LIMITS = {"soft_time_limit": 90, "time_limit": 120}  # above one fetch's 30 s deadline, below the broker's
# An unfinished item younger than this probably has its task still in the queue: a fetch of its
# feed leaves it be, so its page is not fetched twice. Older ones were stranded (a run cut short
# by a database outage, say) and are queued again.
REQUEUE_AFTER = timedelta(minutes=10)


class ItemTask(DatabaseOutageRetryTask):
    """The task of one item (its id the first argument): giving up on it marks it failed, with the reason.

    Whatever leaves the task other than a retry is final: an error nobody retries, retries spent
    (the network's or the database's), or any error in-process, where Celery never calls
    on_failure (eager tasks propagate). The item's own work was rolled back by then; without this
    it would stay queued or fetched, with no error recorded.
    """

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except TaskPredicate:  # a retry (or Celery's own control flow), not an end
            raise
        except Exception as exc:
            item_id = args[0] if args else kwargs["item_id"]
            reason = f"{self.name.rsplit('.', 1)[-1]} gave up: {type(exc).__name__}: {exc}"
            try:
                item_fail(item_id=item_id, error=reason)
            except Exception:  # the database still away, say: a feed's item is queued again by a later fetch of its feed
                logger.exception("could not mark item %s failed (%s)", item_id, reason)
            raise  # the task's own error, never one from recording it


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
    requeued = _queue_feed_items(feed_id=feed_id, new_item_ids=outcome.new_item_ids)
    return {**outcome.as_dict(), "requeued_item_ids": requeued}


def _queue_feed_items(*, feed_id: int, new_item_ids: list[int]) -> list[int]:
    """Queue a fetch of the feed's new items and of those an earlier fetch left stranded; return the stranded ones.

    A fetch cut short after its items were saved (a database outage) left them with no task, and its
    retry finds them not new any more: a later fetch takes them once they are older than REQUEUE_AFTER.
    Their tasks check the item's status and lock its row, so one queued twice does nothing twice.
    """
    item_ids = with_unfinished(feed_id=feed_id, item_ids=new_item_ids, created_before=timezone.now() - REQUEUE_AFTER)
    for item_id in item_ids:
        fetch_item.delay(item_id)
    return sorted(set(item_ids) - set(new_item_ids))


@shared_task(base=ItemTask, bind=True, **{**RETRY, "max_retries": 4}, **FETCH_LIMITS)
def fetch_item(self, item_id: int) -> int:
    """Fetch an entry's page, then queue its processing."""
    try:
        item_fetch_page(item_id=item_id, give_up_on_transient=_last_try(self))
    except FetchError as exc:
        raise self.retry(exc=exc, countdown=_network_retry_delay(self.request.retries)) from exc
    process_item.delay(item_id)
    return item_id


@shared_task(base=ItemTask, **RETRY)
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
        _queue_feed_items(feed_id=outcome.feed_id, new_item_ids=outcome.item_ids)
    elif not outcome.error:
        for item_id in outcome.item_ids:
            process_item.delay(item_id)
    return outcome.as_dict()
