"""Writes for ingestion: one parsed document becomes at most one article row; files become documents."""

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

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleVersion, CopyClaim, Source
from articles.tagging import article_tag
from articles.text.hygiene import visible

from .dedup import article_link_duplicates
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
    slug = slugify(name)[:200] or "source"
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
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

    The row is locked first, so two workers revising one article keep both texts in order; the
    outlet is not changed by a revision (a renamed site is the same outlet). Returns the revised
    article, or None when the text under the lock is already this one.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
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
    revision locks it, and the duplicate check locks the story's LSH bands (see dedup).
    """
    document = document_visible(document)
    now = timezone.now()
    published_at, note = document.published_at, document.note
    if published_at is not None and not EARLIEST_PUBLICATION <= published_at <= now + LATEST_PUBLICATION_AHEAD:
        published_at, note = None, "; ".join(filter(None, [note, f"publication date {published_at.isoformat()} left out as implausible"]))
    if document.source_id is not None:
        source_id = document.source_id
    else:
        source = source_for(document.source_name, document.source_homepage)
        source_id = source.pk if source else None
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
        "source_id": source_id,
        "fetched_at": now,
    }
    values = {name: without_nul(value) if isinstance(value, str) else value for name, value in values.items()}
    with transaction.atomic(savepoint=False):  # inside a caller's transaction, no savepoint is needed
        url = without_nul(article_url(document.url))[:2000]
        article, created = Article.objects.get_or_create(url=url, defaults=values)
        claimed = None
        if not created and not _same_text(article, values) and _claims_another_outlets_article(article, source_id, document):
            claimed = article
            article, created = Article.objects.get_or_create(url=copy_identifier(url, source_id), defaults=values)
            if created:
                CopyClaim.objects.create(article=article, original=claimed, claimed_url=url)
        if not created:
            if _same_text(article, values):
                return article, Outcome.UNCHANGED
            revised = article_revise(article=article, values=values)
            if revised is None:
                return article, Outcome.UNCHANGED
            article = revised
        original = article_link_duplicates(article=article, created=created)
    if claimed is not None and created:
        return article, Outcome.COPY
    if original is not None and created:
        return article, Outcome.DUPLICATE
    return article, Outcome.CREATED if created else Outcome.UPDATED


def copy_claims_decide(*, claim_ids: Iterable[int], confirmed: bool, editor) -> int:
    """An editor's word on copy claims: confirmed (the item copies the article whose URL it gave)
    or rejected (it is an article in its own right). Recorded with who and when; returns how many."""
    review = CopyClaim.Review.CONFIRMED if confirmed else CopyClaim.Review.REJECTED
    with transaction.atomic():
        return CopyClaim.objects.filter(pk__in=list(claim_ids)).update(
            review=review, reviewed_by=editor, reviewed_at=timezone.now()
        )


def ingest_document(*, document: ParsedDocument, report: IngestReport, where: str) -> Article | None:
    """Store and tag one document, recording the outcome."""
    document = document_visible(document)
    if not document.body.strip():
        report.add(Outcome.FAILED, where=where, reason="no text")
        return None
    with transaction.atomic(savepoint=False):  # one commit for the row, its bands and its tags
        article, outcome = article_upsert(document=document)
        if outcome is not Outcome.UNCHANGED or article.status != Article.Status.TAGGED:
            article_tag(article=article, inserted=outcome in (Outcome.CREATED, Outcome.DUPLICATE, Outcome.COPY))
    report.add(outcome, article_id=article.pk, where=where)
    return article


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
        raise UnknownFormat("JSON lines are read line by line; use ingest_path")
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


def file_ingest(path: Path, report: IngestReport, *, source_name: str = "") -> None:
    """Ingest one file of any supported kind; every failure is recorded with its place and reason."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
        kind = detect(head, name=path.name)
        if kind is Kind.JSONL:
            for chunk in chunks(_jsonl_records(path)):
                with transaction.atomic():
                    for number, record in chunk:
                        _record_ingest(record, report, where=f"{path}:{number}", source_name=source_name)
            return
        if size > MAX_FILE_BYTES:
            raise ValueError(f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
        documents = documents_from_bytes(path.read_bytes(), name=path.name)
    except (OSError, ValueError) as exc:  # FeedError, UnknownFormat and UnsupportedURL are ValueErrors
        report.add(Outcome.FAILED, where=str(path), reason=str(exc))
        return
    if not documents:
        report.add(Outcome.SKIPPED, where=str(path), reason="no entries")
    for chunk in chunks(enumerate(documents)):
        with transaction.atomic():
            for index, document in chunk:
                document.source_name = document.source_name or source_name
                where = str(path) if len(documents) == 1 else f"{path}#{index + 1}"
                ingest_document(document=document, report=report, where=where)


def _record_ingest(record: object, report: IngestReport, *, where: str, source_name: str) -> None:
    try:
        if isinstance(record, Exception):
            raise record
        document = document_from_record(record)
    except ValueError as exc:
        report.add(Outcome.FAILED, where=where, reason=str(exc))
        return
    document.source_name = document.source_name or source_name
    ingest_document(document=document, report=report, where=where)


def files_under(path: Path) -> list[Path]:
    """A file, or the article files below a directory (hidden files and other suffixes left out)."""
    if not path.is_dir():
        return [path]
    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in FILE_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def ingest_path(path: str | Path, *, source_name: str = "", report: IngestReport | None = None) -> IngestReport:
    """Ingest a file, or every article file below a directory (committing a batch of files at a time)."""
    report = report or IngestReport()
    for chunk in chunks(files_under(Path(path))):
        with transaction.atomic():
            for file in chunk:
                file_ingest(file, report, source_name=source_name)
    return report
