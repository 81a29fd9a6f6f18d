"""Celery tasks of tagging."""

import time

from celery import shared_task

from articles.models import Article
from articles.retry import TRANSIENT_ERRORS
from articles.tagging.retag import BATCH_SIZE, retag_job_step
from articles.tagging.services import article_tag

# A re-tag job works this long per task, then queues its continuation, well inside the soft limit.
RETAG_TIME_BUDGET_SECONDS = 60


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def tag_article(article_id: int) -> int:
    """Re-tag one article; a deleted article is nothing to do."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article_tag(article=article)
    return article_id


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def retag_job_run(job_id: int, batch_size: int = BATCH_SIZE) -> str:
    """Advance a re-tag job for a while, then hand over to a fresh task; a finished job is a no-op.

    Returns the job's status when this task stopped ('running' when it handed over).
    """
    deadline = time.monotonic() + RETAG_TIME_BUDGET_SECONDS
    job = retag_job_step(job_id=job_id, batch_size=batch_size)
    while job.is_active and time.monotonic() < deadline:
        job = retag_job_step(job_id=job_id, batch_size=batch_size)
    if job.is_active:
        retag_job_run.delay(job_id, batch_size)
    return job.status
