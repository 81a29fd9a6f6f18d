"""Writes for ingestion: parsed documents become article rows, a batch at a time; files become documents."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleVersion, CopyClaim, Source
from articles.retry import DATABASE_ERRORS
from articles.tagging.batches import articles_tag
from articles.text.hygiene import visible

from .dedup import Cluster, DuplicateIndex, Fingerprint, fingerprint, keys_lock
from .documents import (
    ParsedDocument,
    blocks_from_html,
    detect_language,
    document_from_blocks,
    document_visible,
    parse_date,
    parse_html,
    parse_plain_text,
)
from .feeds import entry_document, parse_feed
from .formats import Kind, UnknownFormat, declared_charset, decode_text, detect, without_nul
from .urls import is_web_url, normalize_url

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_BYTES = 5 * 1024 * 1024
# A publication date outside this range is a feed's or a page's mistake (year 1, 9999, a clock
# decades off): left out, with a note, rather than stored as a fact the pages would compute with.
EARLIEST_PUBLICATION = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST_PUBLICATION_AHEAD = dt.timedelta(days=2)
# Writes per transaction on long runs: one commit (one fsync) per batch instead of one per article.
BATCH_SIZE = 25
# What a directory walk picks up; a file named on the command line is read whatever its name.
FILE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".rss", ".rdf", ".atom", ".json", ".jsonl"}


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    COPY = "copy"  # another outlet's item claiming a stored article's URL, stored apart for an editor
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class IngestReport:
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    failures: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    progress: Callable[[str, Outcome], None] | None = field(default=None, repr=False, compare=False)

    def add(self, outcome: Outcome, *, article_id: int | None = None, where: str = "", reason: str = "") -> None:
        self.counts[outcome.value] += 1
        if article_id is not None:
            self.article_ids.append(article_id)
        if outcome is Outcome.FAILED:
            self.failures.append((where, reason))
        if self.progress is not None:
            self.progress(where, outcome)

    def merge(self, other: IngestReport) -> None:
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        self.failures.extend(other.failures)
        self.article_ids.extend(other.article_ids)

    def as_dict(self) -> dict:
        return {"counts": self.counts, "failures": self.failures, "article_ids": self.article_ids}

    @classmethod
    def from_dict(cls, data: dict) -> IngestReport:
        report = cls()
        report.counts.update(data["counts"])
        report.failures = [tuple(f) for f in data["failures"]]
        report.article_ids = list(data["article_ids"])
        return report

    def summary(self) -> str:
        return ", ".join(f"{value} {key}" for key, value in self.counts.items())


def source_for(name: str, homepage: str = "") -> Source | None:
    """The outlet called `name`, created on first sight."""
    name = visible(name, one_line=True).strip()
    if not name:
        return None
    source = Source.objects.filter(name__iexact=name).first()
    if source is not None:
        return source
    # 'درونټه خبري اژانس' has no ASCII slug: its own letters, and never another outlet's slug.
    base = (slugify(name) or slugify(name, allow_unicode=True) or "source")[:190]
    slug, number = base, 1
    while Source.objects.filter(slug=slug).exclude(name__iexact=name).exists():
        number += 1
        slug = f"{base}-{number}"
    source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name, "homepage": homepage[:500]})
    return source


def article_url(url: str) -> str:
    """The identity of an article: a normalised web URL, or an urn: identifier as it is."""
    return normalize_url(url) if is_web_url(url) else url.strip()


def copy_identifier(url: str, source_id: int | None) -> str:
    """The identity of an outlet's item that claimed another outlet's article URL: stable, so the
    same item ingested again finds its own row (and its versions) instead of a new one."""
    digest = hashlib.sha256(f"{source_id or 0} {url}".encode()).hexdigest()
    return f"urn:newsroom:copy:{digest[:32]}"


def _claims_another_outlets_article(article: Article, source_id: int | None, document: ParsedDocument) -> bool:
    """Whether the document is another outlet's item naming this article's URL.

    A page fetched from the URL itself speaks for it whatever outlet name it gives; a feed's or a
    file's text only claims the URL, and may not replace what another outlet's article says.
    """
    return not document.fetched_from_url and article.source_id != source_id


def _same_text(article: Article, values: dict) -> bool:
    return article.content_hash == values["content_hash"] and article.title == values["title"]


def article_revise(*, article: Article, values: dict) -> Article | None:
    """Give a stored article a new text, keeping the one it had as its next earlier version.

    `article` must be locked and read under that lock (ArticleBatch does both), so two workers
    revising one article keep both texts in order; the outlet is not changed by a revision (a
    renamed site is the same outlet). Returns the revised article, or None when its text is
    already this one.
    """
    if _same_text(article, values):
        return None
    ArticleVersion.objects.create(
        article=article,
        number=ArticleVersion.objects.filter(article=article).count() + 1,
        title=article.title, byline=article.byline, body=article.body, body_html=article.body_html,
        source_id=article.source_id, published_at=article.published_at, fetched_at=article.fetched_at,
        content_hash=article.content_hash, superseded_at=values["fetched_at"],
    )
    for name, value in values.items():
        if name != "source_id" or article.source_id is None:
            setattr(article, name, value)
    article.save()
    return article


@dataclass
class Prepared:
    """A document made ready to store before any query: cleaned, its row's values, its URL and its fingerprint."""

    document: ParsedDocument
    values: dict
    url: str
    fingerprint: Fingerprint


def document_prepare(document: ParsedDocument) -> Prepared:
    """The work of storing a document that needs no database: hygiene, plausible dates, language, fingerprint."""
    document = document_visible(document)
    now = timezone.now()
    published_at, note = document.published_at, document.note
    if published_at is not None and not EARLIEST_PUBLICATION <= published_at <= now + LATEST_PUBLICATION_AHEAD:
        published_at, note = None, "; ".join(filter(None, [note, f"publication date {published_at.isoformat()} left out as implausible"]))
    values = {
        "title": document.title[:1000] or "(untitled)",
        "body": document.body,
        "body_html": document.body_html,
        "ingest_note": note[:500],
        "byline": document.byline[:500],
        "dateline": document.dateline[:200],
        "published_at": published_at,
        "published_precision": document.published_precision,
        "language": (document.language or detect_language(document.body))[:12],
        "content_hash": document.content_hash,
        "source_id": document.source_id,
        "fetched_at": now,
    }
    values = {name: without_nul(value) if isinstance(value, str) else value for name, value in values.items()}
    url = without_nul(article_url(document.url))[:2000]
    return Prepared(document, values, url, fingerprint(values["body"], values["content_hash"]))


class ArticleBatch:
    """What storing a batch of documents needs from the database, read at once after its locks are taken.

    Locks in one order, the same for every batch: the band keys of all its documents (dedup), then
    the rows of the articles it will revise (by id); the tagger's own locks come after, per article.
    Reads: the outlets named by documents that have none yet (one or two queries a name), the
    articles at the documents' URLs and at their copy identifiers (one query), and the stored
    articles they may copy (DuplicateIndex: two queries).
    """

    def __init__(self, prepared: list[Prepared]):
        keys_lock(p.fingerprint for p in prepared)
        sources: dict[str, int | None] = {}
        for p in prepared:
            if p.values["source_id"] is None:
                name = p.document.source_name
                if name not in sources:
                    source = source_for(name, p.document.source_homepage)
                    sources[name] = source.pk if source else None
                p.values["source_id"] = sources[name]
        urls = {url for p in prepared for url in self._urls(p)}
        self.known = {article.url: article for article in Article.objects.filter(url__in=urls)}
        revised = sorted(
            article.pk for p in prepared if (article := self.known.get(p.url)) is not None
            and not _same_text(article, p.values) and not _claims_another_outlets_article(article, p.values["source_id"], p.document)
        )
        if revised:  # locked and read again under the lock
            self.known.update((a.url, a) for a in Article.objects.select_for_update().filter(pk__in=revised).order_by("id"))
        self.duplicates = DuplicateIndex([p.fingerprint for p in prepared])

    def _urls(self, prepared: Prepared) -> list[str]:
        return [prepared.url, copy_identifier(prepared.url, prepared.values["source_id"])]

    def taken_meanwhile(self, prepared: Prepared) -> bool:
        """Whether another worker stored the document's URL since the batch read (its insert then failed): read again."""
        found = {article.url: article for article in Article.objects.filter(url__in=self._urls(prepared))}
        self.known.update(found)
        return bool(found)

    def failed(self, prepared: Prepared) -> None:
        """The document's savepoint was rolled back: what the batch remembered of its URL may be stale."""
        for url in self._urls(prepared):
            self.known.pop(url, None)

    def _get_or_create(self, url: str, values: dict) -> tuple[Article, bool]:
        article = self.known.get(url)
        if article is not None:
            return article, False
        article = Article(url=url, **values)
        article.save(force_insert=True)
        return article, True

    def upsert(self, prepared: Prepared) -> tuple[Article, Outcome, Cluster | None]:
        """Store one prepared document (see article_upsert); inside the batch's transaction, in a savepoint of its own."""
        values, url, document = prepared.values, prepared.url, prepared.document
        article, created = self._get_or_create(url, values)
        claimed = None
        if not created and not _same_text(article, values) and _claims_another_outlets_article(article, values["source_id"], document):
            claimed = article
            article, created = self._get_or_create(copy_identifier(url, values["source_id"]), values)
            if created:
                CopyClaim.objects.create(article=article, original=claimed, claimed_url=url)
        if not created and (_same_text(article, values) or article_revise(article=article, values=values) is None):
            return article, Outcome.UNCHANGED, None
        cluster = self.duplicates.link(article=article, fingerprint=prepared.fingerprint, created=created)
        if claimed is not None and created:
            return article, Outcome.COPY, cluster
        if cluster.original_id != article.pk and created:
            return article, Outcome.DUPLICATE, cluster
        return article, Outcome.CREATED if created else Outcome.UPDATED, cluster

    def stored(self, prepared: Prepared, article: Article, cluster: Cluster | None) -> None:
        """The document's savepoint was released: its article is one the rest of the batch can meet."""
        self.known[article.url] = article
        if cluster is not None:
            self.duplicates.add(article=article, fingerprint=prepared.fingerprint, cluster=cluster)


def article_upsert(*, document: ParsedDocument) -> tuple[Article, Outcome]:
    """Store a parsed document: one row per URL; a copy of a story already stored points to the original.

    1. The document is cleaned of invisible characters (articles.text.hygiene).
    2. A new URL becomes an article.
    3. A known URL with the same title and text changes nothing, whoever sends it.
    4. The same outlet with a new title or text revises the article, keeping the old text as a version.
    5. Another outlet's item naming a known URL with another text never touches that article: it
       is stored as its own article (`copy_identifier`) with a CopyClaim on the original, for an
       editor to decide.

    Safe under concurrency: the unique URL decides which of two workers creates the row, a
    revision locks it, and the duplicate check locks the story's LSH bands (see dedup). A batch
    of documents goes through `documents_store`, which does the same for each.
    """
    prepared = document_prepare(document)
    with transaction.atomic(savepoint=False):  # inside a caller's transaction, no savepoint is needed
        batch = ArticleBatch([prepared])
        article, outcome, cluster = batch.upsert(prepared)
        batch.stored(prepared, article, cluster)
        batch.duplicates.bands_write()
    return article, outcome


@dataclass
class Stored:
    """What became of one document of a batch: its outcome, its article, and why it failed if it did."""

    outcome: Outcome
    article_id: int | None = None
    reason: str = ""


def documents_store(*, documents: list[ParsedDocument]) -> list[Stored]:
    """Store and tag a batch of documents: `documents_write`, then `documents_tag`. Returns one Stored per document."""
    return documents_tag(stored=documents_write(documents=documents))


def documents_write(*, documents: list[ParsedDocument]) -> list[Stored]:
    """Store a batch of documents as articles: one transaction, each document in a savepoint of its own.

    1. Before any query: each document cleaned, its values and its fingerprint computed; one with no
       text fails here.
    2. The batch's locks and reads (ArticleBatch): a few queries for all of it.
    3. Each document in its own savepoint: its article inserted or revised (article_upsert's rules),
       its story's copies linked. An error rolls back that savepoint alone: the document fails with
       the reason and the others are stored. A database outage (a lost connection, a deadlock)
       ends the whole batch instead, for the caller to retry.
    4. The band keys of every article stored, in one insert.
    Inside the caller's transaction when there is one (items_process, which locks its items first).
    Returns one Stored per document, in order.
    """
    results: list[Stored | None] = [None] * len(documents)
    ready: list[tuple[int, Prepared]] = []
    for number, document in enumerate(documents):
        try:
            prepared = document_prepare(document)
        except Exception as exc:  # a bug in the cleaning must not cost the batch
            logger.exception("could not prepare %s", document.url)
            results[number] = Stored(Outcome.FAILED, reason=f"{type(exc).__name__}: {exc}")
            continue
        if not prepared.values["body"].strip():
            results[number] = Stored(Outcome.FAILED, reason="no text")
        else:
            ready.append((number, prepared))
    if ready:
        with transaction.atomic(savepoint=False):
            batch = ArticleBatch([prepared for _number, prepared in ready])
            for number, prepared in ready:
                results[number] = _document_write(batch, prepared)
            batch.duplicates.bands_write()
    return results


def _document_write(batch: ArticleBatch, prepared: Prepared, *, again: bool = True) -> Stored:
    """One document of a batch, in its own savepoint (see documents_write)."""
    try:
        with transaction.atomic():
            article, outcome, cluster = batch.upsert(prepared)
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        batch.failed(prepared)
        if again and isinstance(exc, IntegrityError) and batch.taken_meanwhile(prepared):
            return _document_write(batch, prepared, again=False)  # another worker stored the URL first
        logger.exception("could not store %s", prepared.url)
        return Stored(Outcome.FAILED, reason=f"{type(exc).__name__}: {exc}")
    batch.stored(prepared, article, cluster)
    return Stored(outcome, article.pk)


def documents_tag(*, stored: list[Stored]) -> list[Stored]:
    """Tag the articles a batch stored, together (`articles_tag`), once the batch committed.

    The articles are read in one query; those new, revised or not tagged yet are tagged: every
    analysis first with no transaction open, then one transaction for all their tag writes, with
    their rows and event months locked in one order (see articles.tagging.batches). An article a
    second worker tagged meanwhile is tagged again with the same result. An error of the tagger
    fails that document alone; its article stays stored and untagged, for `retag --stale`. A
    database outage ends the batch, for the caller to retry (the articles stored are then
    unchanged, and tagged).
    """
    results = list(stored)
    wanted = {r.article_id: r.outcome for r in results if r.outcome is not Outcome.FAILED and r.article_id is not None}
    articles = [
        article for article in Article.objects.filter(pk__in=list(wanted)).order_by("pk")
        if wanted[article.pk] is Outcome.UPDATED or article.status != Article.Status.TAGGED
    ]
    failed = {tagged.article_id: tagged.error for tagged in articles_tag(articles=articles) if tagged.error}
    for number, result in enumerate(results):
        if result.article_id in failed and result.outcome is not Outcome.FAILED:
            results[number] = Stored(Outcome.FAILED, result.article_id, reason=failed[result.article_id])
    return results


def copy_claims_decide(*, claim_ids: Iterable[int], confirmed: bool, editor) -> int:
    """An editor's word on copy claims: confirmed (the item copies the article whose URL it gave)
    or rejected (it is an article in its own right). Recorded with who and when; returns how many."""
    review = CopyClaim.Review.CONFIRMED if confirmed else CopyClaim.Review.REJECTED
    with transaction.atomic():
        return CopyClaim.objects.filter(pk__in=list(claim_ids)).update(
            review=review, reviewed_by=editor, reviewed_at=timezone.now()
        )


# Files -------------------------------------------------------------------------------------------


def document_from_record(record: object) -> ParsedDocument:
    """One article of the JSON / JSON-lines format (see README): title, and body or html; the rest optional."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    title = str(record.get("title") or "").strip()
    body, body_html = record.get("body"), record.get("html")
    if not (isinstance(body, str) and body.strip()) and not (isinstance(body_html, str) and body_html.strip()):
        raise ValueError('needs a non-empty "body" (plain text) or "html"')
    url = str(record.get("url") or "").strip()
    if url and not (is_web_url(url) or url.startswith("urn:")):
        raise ValueError(f"url is not an http(s) URL: {url[:100]!r}")
    published_at, precision = parse_date(str(record.get("published_at") or ""))
    if record.get("published_at") and published_at is None:
        raise ValueError(f"published_at is not an ISO 8601 date: {record['published_at']!r}")
    if isinstance(body_html, str) and body_html.strip():
        document = document_from_blocks(blocks_from_html(body_html), url=url, title=title)
    else:
        document = parse_plain_text(str(body), url=url, title=title)
        document.url = url or document.url
    document.byline = str(record.get("byline") or document.byline)[:500]
    document.published_at, document.published_precision = published_at, precision
    document.language = str(record.get("language") or document.language)[:12]
    document.source_name = str(record.get("source") or document.source_name)
    return document


def documents_from_bytes(data: bytes, *, name: str = "", url: str = "", content_type: str = "") -> list[ParsedDocument]:
    """Parse a whole document whose kind is told by its content (a feed gives one document per entry)."""
    kind = detect(data, name=name, content_type=content_type)
    if kind in (Kind.XML_FEED, Kind.JSON_FEED):
        feed = parse_feed(data, url=url, kind=kind)
        return [entry_document(entry, feed=feed) for entry in feed.entries]
    if kind is Kind.HTML:
        return [parse_html(data, url=url)]
    text = decode_text(data, declared=declared_charset(data, content_type))
    if kind is Kind.JSON:
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise UnknownFormat(f"invalid JSON: {exc}") from exc
        records = payload if isinstance(payload, list) else [payload]
        return [document_from_record(record) for record in records]
    if kind is Kind.JSONL:
        raise UnknownFormat("JSON lines are read line by line; use path_ingest")
    return [parse_plain_text(text, url=url)]


def _jsonl_records(path: Path) -> Iterator[tuple[int, object | Exception]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                yield number, ValueError(f"line is over {MAX_LINE_BYTES} bytes")
                continue
            try:
                yield number, json.loads(raw)
            except ValueError as exc:
                yield number, ValueError(f"invalid JSON: {exc}")


def chunks(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def file_documents(path: Path, report: IngestReport, *, source_name: str = "") -> Iterator[tuple[str, ParsedDocument]]:
    """The documents of one file of any supported kind, each with its place (`file`, `file#2`, `file:7` for a
    line); a file or a line that cannot be read is recorded in the report with the reason."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
        kind = detect(head, name=path.name)
        if kind is not Kind.JSONL:
            if size > MAX_FILE_BYTES:
                raise ValueError(f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
            documents = documents_from_bytes(path.read_bytes(), name=path.name)
    except (OSError, ValueError) as exc:  # FeedError, UnknownFormat and UnsupportedURL are ValueErrors
        report.add(Outcome.FAILED, where=str(path), reason=str(exc))
        return
    if kind is Kind.JSONL:
        for number, record in _jsonl_records(path):
            try:
                if isinstance(record, Exception):
                    raise record
                document = document_from_record(record)
            except ValueError as exc:
                report.add(Outcome.FAILED, where=f"{path}:{number}", reason=str(exc))
                continue
            document.source_name = document.source_name or source_name
            yield f"{path}:{number}", document
        return
    if not documents:
        report.add(Outcome.SKIPPED, where=str(path), reason="no entries")
    for index, document in enumerate(documents):
        document.source_name = document.source_name or source_name
        yield (str(path) if len(documents) == 1 else f"{path}#{index + 1}"), document


def documents_ingest(documents: Iterable[tuple[str, ParsedDocument]], report: IngestReport) -> None:
    """Store documents (each with its place) a batch at a time (documents_store), every outcome in the report."""
    for chunk in chunks(documents):
        for (where, _document), stored in zip(chunk, documents_store(documents=[d for _w, d in chunk]), strict=True):
            report.add(stored.outcome, article_id=stored.article_id, where=where, reason=stored.reason)


def files_under(path: Path) -> list[Path]:
    """A file, or the article files below a directory (hidden files and other suffixes left out)."""
    if not path.is_dir():
        return [path]
    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in FILE_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def path_ingest(path: str | Path, *, source_name: str = "", report: IngestReport | None = None) -> IngestReport:
    """Ingest a file, or every article file below a directory, a batch of documents at a time (JSON lines line by line)."""
    report = report or IngestReport()
    documents_ingest(
        (document for file in files_under(Path(path)) for document in file_documents(file, report, source_name=source_name)),
        report,
    )
    return report
