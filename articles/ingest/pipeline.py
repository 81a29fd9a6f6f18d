"""The order of the steps, written once: what follows a feed's fetch, a batch's page fetches, a submitted URL.

    feed_fetch ──> items_fetch (a batch of the feed's new items) ──> items_process (the same batch)
    url_ingest ──> a feed: as after feed_fetch; a page: items_process

Workers and `ingest --sync` run the same services in this order and differ only in how the next
step runs: a task queues it (`tasks.QUEUED`), `InProcess` runs it here and now and keeps an
IngestReport. In process nothing waits for a retry: a page that fails for a transient reason is
given up at once and the feed's own text is used, as a worker does on its last try.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from articles.models import Feed, FeedFetch

from .fetch import FetchPolicy
from .items import ItemsFetched, UrlIngestOutcome, items_fetch, items_process, url_ingest, with_unfinished
from .polling import feed_fetch
from .services import IngestReport, Outcome, chunks


class Steps(Protocol):
    """What runs the next step of a batch of items: a queue (workers) or this process (InProcess)."""

    def items_fetch(self, item_ids: list[int]) -> None: ...

    def items_process(self, item_ids: list[int]) -> None: ...


def feed_items_next(
    *, feed_id: int | None, new_item_ids: list[int], then: Steps, created_before: datetime | None = None
) -> list[int]:
    """Send a feed's new items, and those an earlier run left unfinished, on to be fetched, a batch at a time;
    return the unfinished ones (see with_unfinished for `created_before`)."""
    item_ids = with_unfinished(feed_id=feed_id, item_ids=new_item_ids, created_before=created_before)
    for batch in chunks(item_ids):
        then.items_fetch(batch)
    return sorted(set(item_ids) - set(new_item_ids))


def url_next(outcome: UrlIngestOutcome, *, then: Steps, created_before: datetime | None = None) -> None:
    """After a submitted URL: a feed's items go on to be fetched, a page (already fetched) to be processed."""
    if outcome.kind == "feed":
        feed_items_next(feed_id=outcome.feed_id, new_item_ids=outcome.item_ids, then=then, created_before=created_before)
    elif not outcome.error:
        then.items_process(outcome.item_ids)


def fetched_next(outcome: ItemsFetched, *, then: Steps) -> None:
    """After a batch's pages: the items ready go on to be processed, those not reached to another fetch."""
    if outcome.ready:
        then.items_process(outcome.ready)
    if outcome.later:
        then.items_fetch(outcome.later)


class InProcess:
    """The steps run in this process, each outcome counted in `report` (the `ingest` command, benchmarks)."""

    def __init__(self, report: IngestReport, *, policy: FetchPolicy | None = None):
        self.report, self.policy = report, policy

    def url_ingest(self, url: str) -> UrlIngestOutcome:
        """A URL end to end: fetched, and every new entry of a feed (or the page) stored."""
        outcome = url_ingest(url=url, policy=self.policy, give_up_on_transient=True)
        if outcome.error:
            self.report.add(Outcome.FAILED, where=url, reason=outcome.error)
            return outcome
        if outcome.kind == "feed":
            self._skipped(url, outcome.items_seen - len(outcome.item_ids))
            if outcome.fetch_status in (FeedFetch.Status.UNCHANGED, FeedFetch.Status.NOT_MODIFIED):
                self.report.add(Outcome.SKIPPED, where=url, reason="feed unchanged since its last fetch")
        url_next(outcome, then=self)
        return outcome

    def feed_fetch(self, feed_id: int) -> None:
        """A registered feed fetched now and its new entries stored."""
        outcome = feed_fetch(feed_id=feed_id, policy=self.policy)
        where = Feed.objects.values_list("url", flat=True).get(pk=feed_id)
        if outcome.status == FeedFetch.Status.FAILED:
            self.report.add(Outcome.FAILED, where=where, reason=outcome.error)
            return
        self._skipped(where, outcome.items_seen - len(outcome.new_item_ids))
        feed_items_next(feed_id=feed_id, new_item_ids=outcome.new_item_ids, then=self)

    def items_fetch(self, item_ids: list[int]) -> None:
        fetched_next(items_fetch(item_ids=item_ids, policy=self.policy, give_up_on_transient=True), then=self)

    def items_process(self, item_ids: list[int]) -> None:
        for result in items_process(item_ids=item_ids):
            self.report.add(result.outcome, article_id=result.article_id, where=result.where, reason=result.reason)

    def _skipped(self, where: str, count: int) -> None:
        """Entries a feed carried that were not new (already items, or URLs already stored)."""
        for _ in range(count):
            self.report.add(Outcome.SKIPPED, where=where)
