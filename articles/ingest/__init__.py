"""Ingestion: feeds, pages and files become clean, de-duplicated, tagged articles.

The path of the data, one module per step:
  fetch.py      the one network client (SSRF guard, timeouts, size cap, rate limit per host)
  formats.py    what a body is, told by its content; decoding
  feeds.py      RSS / Atom / JSON Feed entries
  documents.py  text, pages (trafilatura) and entries become a ParsedDocument (text + sanitized HTML)
  urls.py       URL normalisation
  dedup.py      exact and near-duplicates (MinHash + LSH bands in the database)
  services.py   storing a document as an article; files and folders
  polling.py    feeds due, one feed fetched, adaptive interval and backoff
  items.py      an entry's page fetched and processed; a submitted URL
  tasks.py      the Celery tasks over all of it

Entry points: `ingest_path(path)`, `url_ingest_run(url=...)`, `feed_run(feed_id=...)` (in
process), and the tasks `ingest_file`, `ingest_url`, `fetch_feed`, `poll_feeds` (through Celery).
"""

from .documents import ParsedDocument, parse_html, parse_plain_text
from .items import feed_run, url_ingest, url_ingest_run
from .services import IngestReport, Outcome, article_upsert, ingest_document, ingest_path

__all__ = [
    "IngestReport",
    "Outcome",
    "ParsedDocument",
    "article_upsert",
    "feed_run",
    "ingest_document",
    "ingest_path",
    "parse_html",
    "parse_plain_text",
    "url_ingest",
    "url_ingest_run",
]
