"""Celery tasks of ingestion: thin wrappers that take paths, URLs or ids and call the services."""

from celery import shared_task

from articles.ingest.services import ingest_path
from articles.retry import TRANSIENT_ERRORS


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def ingest_file(path: str) -> dict:
    """Ingest a local file or directory (a path the worker can read)."""
    return ingest_path(path).as_dict()
