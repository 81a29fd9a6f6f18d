"""Ingestion: feeds, pages and files become clean, de-duplicated, tagged articles.

The path of the data, one module per step:
  fetch.py      the one network client (SSRF guard, timeouts, size cap, rate limit per host)
  formats.py    what a body is, told by its content; decoding
  feeds.py      RSS / Atom / JSON Feed entries
  documents.py  text, pages (trafilatura) and entries become a ParsedDocument (text + sanitized HTML)
  urls.py       URL normalisation
  dedup.py      exact and near-duplicates (MinHash + LSH bands in the database), a batch at a time
  services.py   storing documents as articles, a batch per transaction; files and folders
  polling.py    feeds due, one feed fetched, adaptive interval and backoff
  items.py      a batch of entries' pages fetched, a batch of items processed; a submitted URL
  pipeline.py   the order of the steps, and running them in this process (InProcess)
  tasks.py      the Celery tasks over all of it, each queuing the next step

Entry points: `path_ingest(path)`, `InProcess(report).url_ingest(url)` and `.feed_fetch(feed_id)` (in
process), and the tasks `path_ingest`, `url_ingest`, `feed_fetch`, `feeds_poll` (through Celery),
which run the same services in the same order.
"""

from .documents import ParsedDocument, parse_html, parse_plain_text
from .items import url_ingest
from .pipeline import InProcess
from .services import IngestReport, Outcome, article_upsert, documents_store, path_ingest

__all__ = [
    "InProcess",
    "IngestReport",
    "Outcome",
    "ParsedDocument",
    "article_upsert",
    "documents_store",
    "parse_html",
    "parse_plain_text",
    "path_ingest",
    "url_ingest",
]
