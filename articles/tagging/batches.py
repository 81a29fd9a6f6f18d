"""Tagging many articles at once: every analysis first, with no transaction open, then one
transaction for the batch's writes.

    articles_tag(articles=[...])
      1. each article analysed (`analyze`, no database); one whose analysis fails fails alone
      2. one transaction: the articles' rows locked in id order (an article changed since it was
         read is read and analysed again), then every event month of the batch locked in one
         statement (writing.event_months_lock), so two workers' batches take locks in one global
         order and never deadlock
      3. the analyses written together (writing.analyses_write: each table read once, written once)
         inside a savepoint; if that fails, each article is written again in a savepoint of its
         own, so that the article at fault fails alone with its reason and the others are stored

Ingestion (`documents_tag`), re-tag jobs and `article_tag` (a batch of one) all tag through here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connection, transaction

from articles.models import Article
from articles.retry import DATABASE_ERRORS

from .knowledge import KnowledgeIndex, get_index
from .services import GIVEN_BASES, Analysis, analyze
from .writing import Entry, analyses_write, event_months_lock

logger = logging.getLogger(__name__)


@dataclass
class Tagged:
    """What tagging did to one article: its analysis, or why it failed."""

    article_id: int
    analysis: Analysis | None = None
    error: str = ""


def article_analyze(*, article: Article, index: KnowledgeIndex) -> Analysis:
    """The tagger's analysis of a stored article: a date it came with is given, one the tagger read is read again."""
    given = article.published_basis in GIVEN_BASES
    return analyze(
        title=article.title, body=article.body, dateline=article.dateline,
        published_at=article.published_at if given else None, published_basis=article.published_basis,
        fetched_at=article.fetched_at or article.created_at, index=index,
    )


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def articles_tag(*, articles: list[Article], index: KnowledgeIndex | None = None, fail_alone: bool = True) -> list[Tagged]:
    """Tag a batch of articles (see the module's docstring); one Tagged per article, in order.

    The Article objects are updated in place. A database outage (a lost connection) is raised for
    the caller to retry: nothing of the batch is then written. With `fail_alone=False` the first
    article's error is raised instead of recorded (a batch of one, `article_tag`).
    """
    index = index or get_index()
    results = {article.pk: Tagged(article.pk) for article in articles}
    analysed: dict[int, tuple[Article, Analysis]] = {}
    for article in articles:
        try:
            analysed[article.pk] = (article, article_analyze(article=article, index=index))
        except Exception as exc:
            if not fail_alone:
                raise
            logger.exception("could not analyse article %s", article.pk)
            results[article.pk].error = _reason(exc)
    if analysed:
        with transaction.atomic():
            locked = dict(
                Article.objects.select_for_update().filter(pk__in=list(analysed)).order_by("pk").values_list("pk", "updated_at")
            )
            for pk in list(analysed):
                article = analysed[pk][0]
                if pk not in locked:
                    del analysed[pk]
                    results[pk].error = "the article was deleted"
                elif locked[pk] != article.updated_at:  # revised (or tagged) by another worker since it was read
                    article.refresh_from_db()
                    analysed[pk] = (article, article_analyze(article=article, index=index))
            entries = [Entry(article, analysis) for article, analysis in analysed.values()]
            event_months_lock([entry.analysis for entry in entries])
            _entries_write(entries, index, results, fail_alone=fail_alone)
    for pk, (_article, analysis) in analysed.items():
        if not results[pk].error:
            results[pk].analysis = analysis
    return [results[article.pk] for article in articles]


def _constraints_check() -> None:
    """PostgreSQL checks foreign keys at commit (Django makes them deferred): checked here instead,
    inside the savepoint, so that a row naming an entity an editor deleted meanwhile fails its own
    article and not the whole batch at commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _entries_write(entries: list[Entry], index: KnowledgeIndex, results: dict[int, Tagged], *, fail_alone: bool) -> None:
    """All the entries in one savepoint; when that fails, each in a savepoint of its own (see the module)."""
    try:
        with transaction.atomic():
            analyses_write(entries=entries, index=index)
            _constraints_check()
        return
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        if not fail_alone or len(entries) == 1:
            if not fail_alone:
                raise
            logger.exception("could not tag article %s", entries[0].article.pk)
            results[entries[0].article.pk].error = _reason(exc)
            entries[0].article.refresh_from_db()
            return
    for entry in entries:
        entry.people = {}
        try:
            with transaction.atomic():
                analyses_write(entries=[entry], index=index)
                _constraints_check()
        except DATABASE_ERRORS:
            raise
        except Exception as exc:
            logger.exception("could not tag article %s", entry.article.pk)
            results[entry.article.pk].error = _reason(exc)
            entry.article.refresh_from_db()  # its fields were set before the savepoint was rolled back
