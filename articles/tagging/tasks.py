"""Celery tasks of tagging."""

from celery import shared_task

from articles.models import Article
from articles.retry import TRANSIENT_ERRORS
from articles.tagging.services import article_tag


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def tag_article(article_id: int) -> int:
    """Re-tag one article; a deleted article is nothing to do."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article_tag(article=article)
    return article_id
