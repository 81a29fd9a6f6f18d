"""Items: an entry's page fetched, the better text chosen (the page's or the feed's), stored as an article.

Also the entry point for a URL someone submits (`url_ingest`): a feed is registered and fetched,
a page becomes an item; a URL that cannot be had leaves a failed item with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F

from articles.models import Article, Feed, FeedFetch, IngestItem, ItemStatus

from .documents import ParsedDocument, blocks_from_html, document_from_blocks, parse_html
from .feeds import FeedError, parse_feed
from .fetch import FetchError, FetchPolicy, fetch
from .formats import Kind, UnknownFormat, declared_charset, decode_text, detect, without_nul
from .polling import feed_fetch, feed_upsert
from .services import IngestReport, Outcome, chunks, ingest_document
from .urls import host_of, normalize_url

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


def item_fetch_page(*, item_id: int, policy: FetchPolicy | None = None, give_up_on_transient: bool = True) -> None:
    """Fetch the item's page and keep it on the item for the process step (on another queue).

    When it cannot be had, the reason is noted and the feed's own text will be used. A transient
    failure (timeout, 5xx, connection) is raised for the task to retry later, unless
    `give_up_on_transient`. Idempotent: an item past QUEUED is left as it is.
    """
    item = IngestItem.objects.only("id", "url", "status").get(pk=item_id)
    if item.status != ItemStatus.QUEUED:
        return
    try:
        page = page_fetch(item.url, policy=policy, give_up_on_transient=give_up_on_transient)
    except FetchError as exc:
        IngestItem.objects.filter(pk=item.pk).update(attempts=F("attempts") + 1, page_note=f"retrying: {exc}"[:500])
        raise
    IngestItem.objects.filter(pk=item.pk, status=ItemStatus.QUEUED).update(
        status=ItemStatus.FETCHED, attempts=F("attempts") + 1, page_html=page.html, page_url=page.url, page_note=page.note
    )


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


def item_process(*, item_id: int, page: FetchedPage | None = None) -> tuple[Article | None, Outcome, str]:
    """Turn a fetched item into a stored, tagged article; return it, the outcome and any failure reason.

    The page is the one staged on the row by item_fetch_page, or `page` when the caller fetched
    it in this process. One transaction, with the item's row locked: a second worker on the same
    item waits, then finds it done.
    """
    with transaction.atomic():
        item = IngestItem.objects.select_for_update(of=("self",)).select_related("feed").get(pk=item_id)
        if item.status == ItemStatus.DONE and item.article_id:
            return item.article, Outcome.UNCHANGED, ""
        if page is not None:  # fetched by the caller just now, not staged on the row
            item.page_html, item.page_url, item.page_note = page.html, page.url, page.note
        notes = [item.page_note] if item.page_note else []
        document = choose_document(item, notes)
        if document is None:
            reason = "; ".join(notes) or "no text in the entry or its page"
            IngestItem.objects.filter(pk=item.pk).update(status=ItemStatus.FAILED, error=reason, page_html="")
            return None, Outcome.FAILED, reason
        document.note = "; ".join(notes)
        if item.feed is not None:
            document.source_id = item.feed.source_id
        elif not document.source_name:
            document.source_name = host_of(document.url or item.url).removeprefix("www.")
        report = IngestReport()
        article = ingest_document(document=document, report=report, where=item.url)
        outcome = next(Outcome(key) for key, count in report.counts.items() if count)
        IngestItem.objects.filter(pk=item.pk).update(status=ItemStatus.DONE, article=article, page_html="", error="")
    return article, outcome, ""


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


def items_run(*, item_ids: list[int], report: IngestReport, policy: FetchPolicy | None = None) -> None:
    """Fetch and process items in this process (the command's --sync), a batch per transaction."""
    items = IngestItem.objects.filter(pk__in=item_ids).only("id", "url", "key", "status").order_by("id")
    for chunk in chunks(items):
        # The pages first, outside any transaction; then the batch's writes in one commit.
        pages = {item.pk: page_fetch(item.url, policy=policy) for item in chunk if item.status == ItemStatus.QUEUED}
        with transaction.atomic():
            for item in chunk:
                article, outcome, reason = item_process(item_id=item.pk, page=pages.get(item.pk))
                where = item.url or item.key
                report.add(outcome, article_id=article.pk if article else None, where=where, reason=reason)


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


def item_fail(*, item_id: int, error: str) -> bool:
    """Record why an unfinished item will not be finished (a task gave up on it), so it cannot stall unseen.

    Its own transaction, after the failed work was rolled back. An item already done or failed is
    left as it is (its first reason stands); returns whether the item was marked.
    """
    with transaction.atomic():
        marked = IngestItem.objects.filter(pk=item_id, status__in=UNFINISHED).update(
            status=ItemStatus.FAILED, error=error[:ERROR_LENGTH], page_html=""
        )
    return bool(marked)


def url_ingest_run(*, url: str, report: IngestReport, policy: FetchPolicy | None = None) -> UrlIngestOutcome:
    """A URL end to end in this process: fetched, and every new entry (or the page) stored."""
    outcome = url_ingest(url=url, policy=policy, give_up_on_transient=True)
    if outcome.error:
        report.add(Outcome.FAILED, where=url, reason=outcome.error)
        return outcome
    if outcome.kind == "feed":
        for _ in range(outcome.items_seen - len(outcome.item_ids)):
            report.add(Outcome.SKIPPED, where=url)
        if outcome.fetch_status in (FeedFetch.Status.UNCHANGED, FeedFetch.Status.NOT_MODIFIED):
            report.add(Outcome.SKIPPED, where=url, reason="feed unchanged since its last fetch")
    item_ids = with_unfinished(feed_id=outcome.feed_id, item_ids=outcome.item_ids) if outcome.kind == "feed" else outcome.item_ids
    items_run(item_ids=item_ids, report=report, policy=policy)
    return outcome


def feed_run(*, feed_id: int, report: IngestReport, policy: FetchPolicy | None = None) -> None:
    """A registered feed fetched now and its new entries stored, in this process."""
    outcome = feed_fetch(feed_id=feed_id, policy=policy)
    where = Feed.objects.values_list("url", flat=True).get(pk=feed_id)
    if outcome.status == FeedFetch.Status.FAILED:
        report.add(Outcome.FAILED, where=where, reason=outcome.error)
        return
    for _ in range(outcome.items_seen - len(outcome.new_item_ids)):
        report.add(Outcome.SKIPPED, where=where)
    items_run(item_ids=with_unfinished(feed_id=feed_id, item_ids=outcome.new_item_ids), report=report, policy=policy)
