"""Celery's autodiscovery reads this module; each capability keeps its tasks beside its code.

Tasks are thin: they take ids, paths or URLs, are idempotent, are acknowledged late (a worker
that dies mid-task has it redelivered) and retry with backoff on transient errors.
"""

from articles.browse.tasks import refresh_mention_months
from articles.ingest.tasks import fetch_feed, fetch_item, ingest_file, ingest_url, poll_feeds, process_item
from articles.tagging.tasks import tag_article

__all__ = ["fetch_feed", "fetch_item", "ingest_file", "ingest_url", "poll_feeds", "process_item", "refresh_mention_months",
           "tag_article"]
