"""Celery tasks of the pages' precomputed tables."""

from celery import shared_task

from articles.queries.mentions import mention_months_refresh
from articles.retry import TRANSIENT_ERRORS


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def refresh_mention_months() -> int:
    """Rebuild the charts' monthly counts (a whole rebuild: running it twice is harmless)."""
    return mention_months_refresh()
