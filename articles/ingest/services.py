"""Writes for ingestion: one parsed document becomes at most one article row."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Source
from articles.tagging import article_tag

from .documents import ParsedDocument, parse_html, parse_plain_text

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass
class IngestReport:
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    failures: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def add(self, outcome: Outcome, *, article_id: int | None = None, where: str = "", reason: str = "") -> None:
        self.counts[outcome.value] += 1
        if article_id is not None:
            self.article_ids.append(article_id)
        if outcome is Outcome.FAILED:
            self.failures.append((where, reason))

    def merge(self, other: IngestReport) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
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
    name = name.strip()
    if not name:
        return None
    slug = slugify(name)[:200] or "source"
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name, "homepage": homepage})
    return source


def article_upsert(*, document: ParsedDocument) -> tuple[Article, Outcome]:
    """Store a parsed document: one row per URL, and an exact copy marked as a duplicate.

    Safe under concurrency: the unique URL decides which of two workers creates the row.
    """
    values = {
        "title": document.title[:1000] or "(untitled)",
        "body": document.body,
        "byline": document.byline[:500],
        "dateline": document.dateline[:200],
        "published_at": document.published_at,
        "published_precision": document.published_precision,
        "language": document.language[:12],
        "content_hash": document.content_hash,
        "source": source_for(document.source_name, document.source_homepage),
        "fetched_at": timezone.now(),
    }
    with transaction.atomic():
        article, created = Article.objects.get_or_create(url=document.url[:2000], defaults=values)
        if created:
            original = (
                Article.objects.filter(content_hash=article.content_hash, duplicate_of__isnull=True)
                .exclude(pk=article.pk)
                .order_by("published_at", "id")
                .first()
            )
            if original is not None:
                article.duplicate_of = original
                article.save(update_fields=["duplicate_of"])
                return article, Outcome.DUPLICATE
            return article, Outcome.CREATED
        if article.content_hash == values["content_hash"] and article.title == values["title"]:
            return article, Outcome.UNCHANGED
        for name, value in values.items():
            if name == "source" and value is None:
                continue
            setattr(article, name, value)
        article.save()
        return article, Outcome.UPDATED


def ingest_document(*, document: ParsedDocument, report: IngestReport, where: str) -> Article | None:
    """Store and tag one document, recording the outcome."""
    if not document.body.strip():
        report.add(Outcome.FAILED, where=where, reason="no text")
        return None
    article, outcome = article_upsert(document=document)
    if outcome is not Outcome.UNCHANGED or article.status != Article.Status.TAGGED:
        article_tag(article=article)
    report.add(outcome, article_id=article.pk, where=where)
    return article


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise ValueError("cannot tell the text encoding") from None
        return str(best)


def documents_from_file(path: Path) -> list[ParsedDocument]:
    """Parse a local file; its kind is told by its content, the name only breaks a tie."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
    text = decode(path.read_bytes())
    head = text.lstrip()[:500].lower()
    looks_html = head.startswith(("<!doctype html", "<html")) or ("<body" in head or "<p>" in head)
    if looks_html or (path.suffix.lower() in HTML_SUFFIXES and head.startswith("<")):
        return [parse_html(text)]
    if head.startswith("<"):
        raise ValueError("XML feeds are not supported for files yet")
    return [parse_plain_text(text)]


def ingest_path(path: str | Path) -> IngestReport:
    """Ingest a file, or every file below a directory."""
    path = Path(path)
    report = IngestReport()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        try:
            documents = documents_from_file(file)
        except (OSError, ValueError) as exc:
            report.add(Outcome.FAILED, where=str(file), reason=str(exc))
            continue
        for document in documents:
            ingest_document(document=document, report=report, where=str(file))
    return report
