"""Celery tasks of ingestion: thin wrappers that take paths, URLs or ids, call the services, and queue the next step.

The path of a feed entry (the order is pipeline.py's, the same as `ingest --sync`): feeds_poll
(beat) -> feed_fetch [fetch queue] -> items_fetch [fetch], a batch of the feed's new items ->
items_process [process], the same batch. Network-bound steps are on `fetch`, CPU-bound ones on
`process` (routes in settings). Each step is idempotent (unique rows and status checks), so a
redelivered or duplicated task does nothing twice. Transient network errors are retried with
exponential backoff and jitter, for the items that met them only; when the retries run out, an
entry falls back to the feed's own text. An item task that gives up (an error not retried, or
retries spent) marks its items failed with the reason.
"""

import logging
import time
from datetime import datetime, timedelta

from celery import shared_task
from celery.exceptions import TaskPredicate
from django.utils import timezone

from articles.ingest import items, pipeline, polling, services
from articles.ingest.fetch import FetchError
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
# A batch's pages are fetched one after the other (one host's items wait for its rate limit anyway);
# past this many seconds the rest go to a task of their own, so one page's 30 s deadline still
# ends inside the soft time limit.
FETCH_BUDGET = 55
# An unfinished item younger than this probably has its task still in the queue: a fetch of its
# feed leaves it be, so its page is not fetched twice. Older ones were stranded (a run cut short
# by a database outage, say) and are queued again.
REQUEUE_AFTER = timedelta(minutes=10)


class ItemsTask(DatabaseOutageRetryTask):
    """The task of a batch of items (their ids the first argument): giving up marks them failed, with the reason.

    Whatever leaves the task other than a retry is final: an error nobody retries, retries spent
    (the network's or the database's), or any error in-process, where Celery never calls
    on_failure (eager tasks propagate). The items' own work was rolled back by then; without this
    they would stay queued or fetched, with no error recorded.
    """

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except TaskPredicate:  # a retry (or Celery's own control flow), not an end
            raise
        except Exception as exc:
            item_ids = args[0] if args else kwargs["item_ids"]
            reason = f"{self.name.rsplit('.', 1)[-1]} gave up: {type(exc).__name__}: {exc}"
            try:
                items.items_fail(item_ids=item_ids, error=reason)
            except Exception:  # the database still away, say: a feed's item is queued again by a later fetch of its feed
                logger.exception("could not mark items %s failed (%s)", item_ids, reason)
            raise  # the task's own error, never one from recording it


class Queued:
    """The next step of a batch of items, queued for a worker (pipeline.Steps)."""

    def items_fetch(self, item_ids: list[int]) -> None:
        items_fetch.delay(item_ids)

    def items_process(self, item_ids: list[int]) -> None:
        items_process.delay(item_ids)


QUEUED = Queued()


def _network_retry_delay(retries: int) -> int:
    return min(30 * 2**retries, 600)


def _last_try(task) -> bool:
    """Retrying only helps when a worker can come back to it later (not when run in-process)."""
    return task.request.is_eager or task.request.retries >= task.max_retries


def _stranded_before() -> datetime:
    return timezone.now() - REQUEUE_AFTER


@shared_task(**RETRY)
def path_ingest(path: str, source_name: str = "") -> dict:
    """Ingest a local file or directory (a path the worker can read)."""
    return services.path_ingest(path, source_name=source_name).as_dict()


@shared_task(**RETRY)
def feeds_poll() -> list[int]:
    """Beat's task: queue a fetch for every feed that is due (each claimed once, see feeds_claim_due)."""
    feed_ids = polling.feeds_claim_due()
    for feed_id in feed_ids:
        feed_fetch.delay(feed_id)
    return feed_ids


@shared_task(**RETRY, **FETCH_LIMITS)
def feed_fetch(feed_id: int) -> dict:
    """Fetch one feed and queue its new entries, a batch at a time, with those an earlier fetch left stranded.

    A fetch cut short after its items were saved (a database outage) left them with no task, and its
    retry finds them not new any more: a later fetch takes them once they are older than REQUEUE_AFTER.
    Their tasks check the items' status and lock their rows, so one queued twice does nothing twice.
    A failed fetch is recorded and backed off by the feed's schedule.
    """
    outcome = polling.feed_fetch(feed_id=feed_id)
    requeued = pipeline.feed_items_next(
        feed_id=feed_id, new_item_ids=outcome.new_item_ids, then=QUEUED, created_before=_stranded_before()
    )
    return {**outcome.as_dict(), "requeued_item_ids": requeued}


@shared_task(base=ItemsTask, bind=True, **{**RETRY, "max_retries": 4}, **FETCH_LIMITS)
def items_fetch(self, item_ids: list[int]) -> dict:
    """Fetch a batch of entries' pages, then queue their processing; the items a transient failure met are retried."""
    outcome = items.items_fetch(
        item_ids=item_ids, give_up_on_transient=_last_try(self), deadline=time.monotonic() + FETCH_BUDGET
    )
    pipeline.fetched_next(outcome, then=QUEUED)
    if outcome.retry:
        raise self.retry(args=[outcome.retry], exc=outcome.error, countdown=_network_retry_delay(self.request.retries))
    return {"ready": outcome.ready, "later": outcome.later}


@shared_task(base=ItemsTask, **RETRY)
def items_process(item_ids: list[int]) -> list[dict]:
    """Extract, de-duplicate, store and tag a batch of fetched items (one transaction, an item's failure its own)."""
    return [result.as_dict() for result in items.items_process(item_ids=item_ids)]


@shared_task(bind=True, **{**RETRY, "max_retries": 4}, **FETCH_LIMITS)
def url_ingest(self, url: str) -> dict:
    """Ingest a URL someone submitted (admin, API): a feed is registered and read, a page stored."""
    try:
        outcome = items.url_ingest(url=url, give_up_on_transient=_last_try(self))
    except FetchError as exc:
        raise self.retry(exc=exc, countdown=_network_retry_delay(self.request.retries)) from exc
    pipeline.url_next(outcome, then=QUEUED, created_before=_stranded_before())
    return outcome.as_dict()
