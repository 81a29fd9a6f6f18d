"""Celery's autodiscovery reads this module; each capability keeps its tasks beside its code.

Tasks are thin: they take ids, paths or URLs, are idempotent, are acknowledged late (a worker
that dies mid-task has it redelivered) and retry with backoff on transient errors.
"""

from articles.browse.tasks import refresh_mention_months
from articles.ingest.tasks import feed_fetch, feeds_poll, items_fetch, items_process, path_ingest, url_ingest
from articles.tagging.tasks import tag_article

__all__ = ["feed_fetch", "feeds_poll", "items_fetch", "items_process", "path_ingest", "refresh_mention_months",
           "tag_article", "url_ingest"]
