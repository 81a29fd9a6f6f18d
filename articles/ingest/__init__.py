"""Ingestion: files (and later feeds and pages) become clean, de-duplicated, tagged articles.

Entry point: `ingest_path(path)`; `article_upsert(document=...)` stores one parsed document.
"""

from .documents import ParsedDocument, parse_html, parse_plain_text
from .services import IngestReport, Outcome, article_upsert, ingest_document, ingest_path

__all__ = [
    "IngestReport",
    "Outcome",
    "ParsedDocument",
    "article_upsert",
    "ingest_document",
    "ingest_path",
    "parse_html",
    "parse_plain_text",
]
