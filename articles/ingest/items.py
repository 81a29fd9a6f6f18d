"""Items: entries' pages fetched (`items_fetch`), the better text chosen (the page's or the feed's) and
stored as articles a batch at a time (`items_process`).

Also the entry point for a URL someone submits (`url_ingest`): a feed is registered and fetched,
a page becomes an item; a URL that cannot be had leaves a failed item with the reason.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.bulk import rows_update
from articles.models import FeedFetch, IngestItem, ItemStatus

from .documents import ParsedDocument, blocks_from_html, document_from_blocks, parse_html
from .feeds import FeedError, parse_feed
from .fetch import FetchError, FetchPolicy, fetch
from .formats import Kind, UnknownFormat, declared_charset, decode_text, detect, without_nul
from .polling import feed_fetch, feed_upsert
from .services import Outcome, documents_tag, documents_write
from .urls import host_of, normalize_url

logger = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", "text/plain", ""}
UNFINISHED = (ItemStatus.QUEUED, ItemStatus.FETCHED)
ERROR_LENGTH = 2000  # an item's error is kept to this many characters (the text field is unbounded)


@dataclass
class UrlIngestOutcome:
    kind: str  # "feed" or "page"
    url: str
    feed_id: int | None = None
    fetch_status: str = ""
    items_seen: int = 0
    item_ids: list[int] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "url": self.url, "feed_id": self.feed_id, "fetch_status": self.fetch_status,
            "items_seen": self.items_seen, "item_ids": self.item_ids, "error": self.error,
        }


@dataclass
class FetchedPage:
    html: str = ""
    url: str = ""
    note: str = ""  # why there is no page to use, if there is none


def page_fetch(url: str, *, policy: FetchPolicy | None = None, give_up_on_transient: bool = True) -> FetchedPage:
    """An entry's page, or the reason it cannot be had; a transient failure is raised unless `give_up_on_transient`."""
    try:
        result = fetch(url, policy=policy)
    except FetchError as exc:
        if exc.transient and not give_up_on_transient:
            raise
        return FetchedPage(note=f"page not fetched: {exc}"[:500])
    if result.content_type not in HTML_TYPES and not result.content_type.endswith("html"):
        return FetchedPage(note=f"the page is {result.content_type}, not HTML"[:500])
    charset = declared_charset(result.body, result.headers.get("content-type", ""))
    try:
        return FetchedPage(html=without_nul(decode_text(result.body, declared=charset)), url=result.url[:2000])
    except UnknownFormat as exc:
        return FetchedPage(note=f"page not readable: {exc}"[:500])


@dataclass
class ItemsFetched:
    """What fetching a batch of items left: items to process, items to fetch again later, items not reached."""

    ready: list[int] = field(default_factory=list)  # the page staged on the item, or the reason there is none
    retry: list[int] = field(default_factory=list)  # a transient failure (timeout, 5xx, 429): worth another try
    later: list[int] = field(default_factory=list)  # not reached before the deadline
    error: FetchError | None = None  # the first transient failure


def items_fetch(
    *, item_ids: list[int], policy: FetchPolicy | None = None, give_up_on_transient: bool = True,
    deadline: float | None = None,
) -> ItemsFetched:
    """Fetch the items' pages, one after the other, and keep each on its item for the process step.

    When a page cannot be had, the reason is noted and the feed's own text will be used. A transient
    failure (timeout, 5xx, connection) puts the item among those to try again, unless
    `give_up_on_transient`. Past `deadline` (time.monotonic()), the items left are not fetched but
    handed back. Idempotent: an item past QUEUED is not fetched again (an unfinished one is ready
    to process), a finished one is left out.
    """
    outcome = ItemsFetched()
    for item in IngestItem.objects.filter(pk__in=item_ids, status__in=UNFINISHED).only("id", "url", "status").order_by("id"):
        if item.status != ItemStatus.QUEUED:
            outcome.ready.append(item.pk)
            continue
        if deadline is not None and time.monotonic() > deadline:
            outcome.later.append(item.pk)
            continue
        try:
            page = page_fetch(item.url, policy=policy, give_up_on_transient=give_up_on_transient)
        except FetchError as exc:
            IngestItem.objects.filter(pk=item.pk).update(attempts=F("attempts") + 1, page_note=f"retrying: {exc}"[:500])
            outcome.retry.append(item.pk)
            outcome.error = outcome.error or exc
            continue
        IngestItem.objects.filter(pk=item.pk, status=ItemStatus.QUEUED).update(
            status=ItemStatus.FETCHED, attempts=F("attempts") + 1, page_html=page.html, page_url=page.url, page_note=page.note
        )
        outcome.ready.append(item.pk)
    return outcome


def _same_site(a: str, b: str) -> bool:
    strip = lambda host: host.removeprefix("www.")  # noqa: E731
    return bool(a and b) and strip(host_of(a)) == strip(host_of(b))


def choose_document(item: IngestItem, notes: list[str]) -> ParsedDocument | None:
    """The page's text unless it is missing or shorter than what the feed carried; metadata merged."""
    feed_document = None
    if item.feed_html.strip():
        feed_document = document_from_blocks(
            blocks_from_html(item.feed_html), url=item.url, title=item.title, byline=item.byline,
            published_at=item.published_at, published_precision=item.published_precision, language=item.language,
        )
        if not feed_document.body:
            feed_document = None
    page_document = None
    if item.page_html:
        page_url = item.page_url or item.url
        try:
            page_document = parse_html(item.page_html, url=page_url)
        except ValueError as exc:
            notes.append(f"page not used: {exc}")
        else:
            # A canonical link to another site (a syndication partner) must not merge the two outlets' rows.
            page_document.url = page_document.url if _same_site(page_document.url, page_url) else page_url
    if page_document and feed_document and page_document.word_count < feed_document.word_count:
        notes.append(
            f"the page gave less text ({page_document.word_count} words) than the feed ({feed_document.word_count})"
        )
        page_document, feed_document = None, _fill_from(feed_document, page_document)
    if page_document is None:
        return feed_document
    page_document.fetched_from_url = True
    if feed_document is not None:
        page_document.title = feed_document.title or page_document.title
        page_document.byline = feed_document.byline or page_document.byline
        if feed_document.published_at:
            page_document.published_at = feed_document.published_at
            page_document.published_precision = feed_document.published_precision
    elif item.title:
        page_document.title = item.title
    return page_document


def _fill_from(document: ParsedDocument, other: ParsedDocument) -> ParsedDocument:
    document.byline = document.byline or other.byline
    document.language = document.language or other.language
    if document.published_at is None:
        document.published_at, document.published_precision = other.published_at, other.published_precision
    return document


@dataclass
class ItemResult:
    """What became of one item: its outcome, its article, and the reason when it failed."""

    item_id: int
    where: str
    outcome: Outcome
    article_id: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "item_id": self.item_id, "where": self.where, "outcome": self.outcome.value, "article_id": self.article_id,
            "reason": self.reason,
        }


def _item_document(item: IngestItem) -> tuple[ParsedDocument | None, str]:
    """The document to store for a fetched item, or the reason there is none."""
    notes = [item.page_note] if item.page_note else []
    document = choose_document(item, notes)
    if document is None:
        return None, "; ".join(notes) or "no text in the entry or its page"
    document.note = "; ".join(notes)
    if item.feed is not None:
        document.source_id = item.feed.source_id
    elif not document.source_name:
        document.source_name = host_of(document.url or item.url).removeprefix("www.")
    return document, ""


def items_process(*, item_ids: list[int]) -> list[ItemResult]:
    """Turn fetched items into stored, tagged articles, a batch at a time; return each item's result.

    1. Outside any transaction, the CPU's work: each item's text chosen and extracted (trafilatura,
       the sanitizer), so that no lock is held meanwhile.
    2. One transaction: the batch's unfinished items locked (in id order, before any other lock), so
       a second worker on the same items waits, then finds them stored; their documents stored by
       `documents_write`, each in a savepoint of its own, so that a bad item fails alone, with its
       reason, and the others are stored.
    3. The articles tagged together (`documents_tag`): every analysis first, then one transaction for
       the batch's tag writes, an article the tagger fails on failing alone.
    4. Every item marked done or failed, in one update. Until then an item stays fetched, so a task
       that dies between the steps is redelivered and finds its articles stored: unchanged, and
       tagged if they were not.
    A finished item is not processed again (done: unchanged; failed: its reason stands).
    """
    items = {item.pk: item for item in IngestItem.objects.filter(pk__in=item_ids).select_related("feed").order_by("id")}
    results: dict[int, ItemResult] = {}
    documents: dict[int, ParsedDocument] = {}
    for item in items.values():
        if item.status not in UNFINISHED:
            results[item.pk] = _finished(item)
            continue
        try:
            document, reason = _item_document(item)
        except Exception as exc:  # a bug in an extractor must not cost the batch
            logger.exception("could not read item %s", item.pk)
            document, reason = None, f"items_process gave up: {type(exc).__name__}: {exc}"
        if document is None:
            results[item.pk] = ItemResult(item.pk, item.url or item.key, Outcome.FAILED, reason=reason)
        else:
            documents[item.pk] = document
    unfinished = [pk for pk, item in items.items() if item.status in UNFINISHED]
    with transaction.atomic():
        locked = list(
            IngestItem.objects.select_for_update().filter(pk__in=unfinished, status__in=UNFINISHED)
            .order_by("id").values_list("id", flat=True)
        )
        to_store = [pk for pk in locked if pk in documents]
        written = documents_write(documents=[documents[pk] for pk in to_store])
    for pk in set(unfinished) - set(locked):  # finished by another worker while this one read them
        items[pk].refresh_from_db(fields=["status", "article", "error"])
        results[pk] = _finished(items[pk])
    for pk, stored in zip(to_store, documents_tag(stored=written), strict=True):
        reason = f"items_process gave up: {stored.reason}" if stored.outcome is Outcome.FAILED else ""
        results[pk] = ItemResult(pk, items[pk].url or items[pk].key, stored.outcome, stored.article_id, reason)
    now = timezone.now()
    rows_update(
        [
            IngestItem(
                pk=pk, page_html="", article_id=results[pk].article_id, error=results[pk].reason[:ERROR_LENGTH],
                status=ItemStatus.FAILED if results[pk].outcome is Outcome.FAILED else ItemStatus.DONE, updated_at=now,
            )
            for pk in locked
        ],
        ["status", "article", "page_html", "error", "updated_at"],
        where_in={"status": list(UNFINISHED)},
    )
    return [results[pk] for pk in items]


def _finished(item: IngestItem) -> ItemResult:
    where = item.url or item.key
    if item.status == ItemStatus.DONE:
        return ItemResult(item.pk, where, Outcome.UNCHANGED, item.article_id)
    return ItemResult(item.pk, where, Outcome.FAILED, reason=item.error)


def _failed_url_item(url: str, error: str) -> IngestItem:
    item, _ = IngestItem.objects.update_or_create(
        feed=None, key=f"url:{url}", defaults={"url": url, "status": ItemStatus.FAILED, "error": error[:ERROR_LENGTH]}
    )
    return item


def url_ingest(*, url: str, policy: FetchPolicy | None = None, give_up_on_transient: bool = True) -> UrlIngestOutcome:
    """Fetch a URL someone submitted: a feed is registered and read, a page is queued as an item.

    A URL that cannot be used leaves a failed item saying why; a transient failure is raised
    for a retry unless `give_up_on_transient`.
    """
    url = normalize_url(url)
    try:
        result = fetch(url, policy=policy)
        kind = detect(result.body, content_type=result.content_type)
        if kind in (Kind.XML_FEED, Kind.JSON_FEED):
            parsed = parse_feed(result.body, url=result.url, headers=result.headers, kind=kind)
            feed = feed_upsert(url=url, parsed=parsed)
            outcome = feed_fetch(feed_id=feed.pk, policy=policy, prefetched=result, parsed=parsed)
            return UrlIngestOutcome(
                kind="feed", url=url, feed_id=feed.pk, fetch_status=outcome.status,
                items_seen=outcome.items_seen, item_ids=outcome.new_item_ids,
                error=outcome.error if outcome.status == FeedFetch.Status.FAILED else "",
            )
        if kind is not Kind.HTML:
            raise UnknownFormat(f"a {kind} document, neither a feed nor a web page")
        charset = declared_charset(result.body, result.headers.get("content-type", ""))
        page_html = without_nul(decode_text(result.body, declared=charset))
    except FetchError as exc:
        if exc.transient and not give_up_on_transient:
            raise
        return UrlIngestOutcome(kind="page", url=url, item_ids=[_failed_url_item(url, str(exc)).pk], error=str(exc))
    except (FeedError, UnknownFormat) as exc:
        return UrlIngestOutcome(kind="page", url=url, item_ids=[_failed_url_item(url, str(exc)).pk], error=str(exc))
    item, _ = IngestItem.objects.update_or_create(
        feed=None,
        key=f"url:{url}",
        defaults={
            "url": url, "page_url": result.url[:2000], "page_html": page_html, "page_note": "",
            "status": ItemStatus.FETCHED, "error": "",
        },
    )
    return UrlIngestOutcome(kind="page", url=url, item_ids=[item.pk])


def with_unfinished(*, feed_id: int | None, item_ids: list[int], created_before: datetime | None = None) -> list[int]:
    """The new items plus those an interrupted earlier run left queued or fetched, so running again finishes them
    (the feed itself may be unchanged, and then it yields no new items).

    `created_before` leaves out younger unfinished items, whose tasks are likely still in a worker's
    queue, so their pages are not fetched twice; in-process runs have nothing in flight and take all.
    """
    unfinished = IngestItem.objects.filter(feed_id=feed_id, status__in=UNFINISHED)
    if created_before is not None:
        unfinished = unfinished.filter(created_at__lt=created_before)
    return sorted(set(item_ids) | set(unfinished.values_list("id", flat=True)))


def items_fail(*, item_ids: list[int], error: str) -> int:
    """Record why unfinished items will not be finished (a task gave up on them), so none stalls unseen.

    Its own transaction, after the failed work was rolled back. An item already done or failed is
    left as it is (its first reason stands); returns how many items were marked.
    """
    with transaction.atomic():
        return IngestItem.objects.filter(pk__in=item_ids, status__in=UNFINISHED).update(
            status=ItemStatus.FAILED, error=error[:ERROR_LENGTH], page_html=""
        )
