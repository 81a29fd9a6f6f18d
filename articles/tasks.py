"""Celery tasks: thin wrappers that take ids or paths and call the services.

Each is idempotent (the unique URL and the tagger's upserts make a re-run a no-op), acknowledged
late so a worker that dies mid-task has it redelivered, and retried with backoff on errors that
a later attempt can outlive (a database restart, a lost connection).
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from articles.ingest import ingest_path
from articles.models import Article
from articles.tagging import article_tag

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def ingest_file(path: str) -> dict:
    """Ingest a local file or directory (a path the worker can read)."""
    return ingest_path(path).as_dict()


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def tag_article(article_id: int) -> int:
    """Re-tag one article; a deleted article is nothing to do."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article_tag(article=article)
    return article_id
