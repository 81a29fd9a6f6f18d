"""Writes for ingestion: one parsed document becomes at most one article row; files become documents."""

from __future__ import annotations

import enum
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

from articles.models import Article, Source
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
# Writes per transaction on long runs: one commit (one fsync) per batch instead of one per article.
BATCH_SIZE = 25
# What a directory walk picks up; a file named on the command line is read whatever its name.
FILE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".rss", ".rdf", ".atom", ".json", ".jsonl"}


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
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


def article_upsert(*, document: ParsedDocument) -> tuple[Article, Outcome]:
    """Store a parsed document: one row per URL; a copy of a story already stored points to the original.

    Safe under concurrency: the unique URL decides which of two workers creates the row, and the
    duplicate check locks the story's LSH bands (see dedup). The document is cleaned of invisible
    characters first (articles.text.hygiene).
    """
    document = document_visible(document)
    if document.source_id is not None:
        source_id = document.source_id
    else:
        source = source_for(document.source_name, document.source_homepage)
        source_id = source.pk if source else None
    values = {
        "title": document.title[:1000] or "(untitled)",
        "body": document.body,
        "body_html": document.body_html,
        "ingest_note": document.note[:500],
        "byline": document.byline[:500],
        "dateline": document.dateline[:200],
        "published_at": document.published_at,
        "published_precision": document.published_precision,
        "language": (document.language or detect_language(document.body))[:12],
        "content_hash": document.content_hash,
        "source_id": source_id,
        "fetched_at": timezone.now(),
    }
    values = {name: without_nul(value) if isinstance(value, str) else value for name, value in values.items()}
    with transaction.atomic(savepoint=False):  # inside a caller's transaction, no savepoint is needed
        url = without_nul(article_url(document.url))[:2000]
        article, created = Article.objects.get_or_create(url=url, defaults=values)
        if not created:
            if article.content_hash == values["content_hash"] and article.title == values["title"]:
                return article, Outcome.UNCHANGED
            for name, value in values.items():
                if name == "source_id" and value is None:
                    continue
                setattr(article, name, value)
            article.save()
        original = article_link_duplicates(article=article, created=created)
    if original is not None and created:
        return article, Outcome.DUPLICATE
    return article, Outcome.CREATED if created else Outcome.UPDATED


def ingest_document(*, document: ParsedDocument, report: IngestReport, where: str) -> Article | None:
    """Store and tag one document, recording the outcome."""
    document = document_visible(document)
    if not document.body.strip():
        report.add(Outcome.FAILED, where=where, reason="no text")
        return None
    with transaction.atomic(savepoint=False):  # one commit for the row, its bands and its tags
        article, outcome = article_upsert(document=document)
        if outcome is not Outcome.UNCHANGED or article.status != Article.Status.TAGGED:
            article_tag(article=article, inserted=outcome in (Outcome.CREATED, Outcome.DUPLICATE))
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
