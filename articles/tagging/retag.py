"""Re-tagging many articles: jobs that walk the articles in id order and can stop and resume.

1. `retag_job_request` returns the unfinished job of that kind (and topic), or starts one over
   the id range of the articles at that moment. A database constraint allows one unfinished job
   per kind and topic, so two requests at once share a job.
2. `retag_job_step` locks the job row, re-tags the next batch after `cursor`, and moves the cursor
   in the same transaction: a worker or a command killed mid-batch loses nothing, and the next
   step (any process's) starts where the last committed batch ended.
3. A topic job re-analyses each article and writes only those whose result for that topic changes.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from articles.models import (
    Article,
    ArticleTopic,
    DatePrecision,
    DecidedBy,
    RetagJob,
    RetagJobKind,
    RetagJobStatus,
    Topic,
)
from articles.models.tagging import ACTIVE_JOB_STATUSES

from .batches import articles_tag
from .knowledge import KnowledgeIndex, get_index
from .services import TAGGER_VERSION, analyze

BATCH_SIZE = 100
MAX_ERROR_LENGTH = 2000


def retag_job_request(
    *, kind: str, topic: Topic | None = None, user=None, reason: str = "", restart: bool = False
) -> RetagJob:
    """The unfinished job of this kind (and topic), or a new one. `restart` rewinds an unfinished
    job to the first article: a topic's rules changed again while it ran."""
    if kind not in RetagJobKind.values:
        raise ValueError(f"unknown re-tag job kind {kind!r}")
    if (kind == RetagJobKind.TOPIC) != (topic is not None):
        raise ValueError("a topic job needs a topic, and only a topic job takes one")
    bounds = Article.objects.aggregate(first=Min("id"), last=Max("id"))
    first, last = bounds["first"] or 0, bounds["last"] or 0
    active = RetagJob.objects.filter(kind=kind, topic=topic, status__in=ACTIVE_JOB_STATUSES)
    with transaction.atomic():
        job = active.select_for_update().first()
        if job is not None:
            if restart:
                job.first_id, job.last_id, job.cursor = first, last, 0
                job.reason = reason[:300] or job.reason
                job.save(update_fields=["first_id", "last_id", "cursor", "reason", "updated_at"])
            return job
        try:
            with transaction.atomic():
                return RetagJob.objects.create(
                    kind=kind, topic=topic, reason=reason[:300], first_id=first, last_id=last,
                    requested_by=user if getattr(user, "pk", None) else None,
                )
        except IntegrityError:  # another request created it a moment ago
            return active.get()


def _batch(job: RetagJob, size: int) -> list[Article]:
    articles = Article.objects.filter(pk__gt=job.cursor, pk__lte=job.last_id).order_by("pk")
    if job.kind == RetagJobKind.STALE:
        articles = articles.filter(Q(tagger_version__lt=TAGGER_VERSION) | ~Q(status=Article.Status.TAGGED))
    return list(articles[:size])


def _topic_changes(article: Article, link: ArticleTopic | None, topic: Topic, index: KnowledgeIndex) -> bool:
    """Would re-tagging change this article's link to the topic? Editors' links never change."""
    if link is not None and link.decided_by == DecidedBy.EDITOR:
        return False
    inferred = article.published_precision == DatePrecision.APPROXIMATE
    analysis = analyze(
        title=article.title, body=article.body, dateline=article.dateline,
        published_at=None if inferred else article.published_at, index=index, details=False,
    )
    return (link.score if link else None) != analysis.topic_scores.get(topic.pk)


def retag_job_step(*, job_id: int, batch_size: int = BATCH_SIZE) -> RetagJob:
    """Re-tag the next batch of a job and advance it; a finished job is returned unchanged.

    The batch is tagged together (`articles_tag`); an article that fails is counted and named, and
    the others are written. A database outage rolls the whole step back, cursor included, for a retry.
    """
    index = get_index()
    with transaction.atomic():
        job = RetagJob.objects.select_for_update().get(pk=job_id)
        if not job.is_active:
            return job
        job.status = RetagJobStatus.RUNNING
        batch = _batch(job, batch_size)
        to_tag = batch
        if job.kind == RetagJobKind.TOPIC:
            links = {link.article_id: link for link in ArticleTopic.objects.filter(article__in=batch, topic=job.topic)}
            to_tag = []
            for article in batch:
                try:
                    if _topic_changes(article, links.get(article.pk), job.topic, index):
                        to_tag.append(article)
                except Exception as exc:  # one bad article must not stop the job; it is counted and named
                    job.failures += 1
                    job.last_error = f"article {article.pk}: {type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        for tagged in articles_tag(articles=to_tag, index=index):
            if tagged.error:
                job.failures += 1
                job.last_error = f"article {tagged.article_id}: {tagged.error}"[:MAX_ERROR_LENGTH]
            else:
                job.retagged += 1
        job.examined += len(batch)
        job.cursor = batch[-1].pk if len(batch) == batch_size else job.last_id
        if job.cursor >= job.last_id:
            job.status = RetagJobStatus.DONE
            job.finished_at = timezone.now()
        job.save()
    return job
