"""Ingestion's own records: each feed fetch, each item on its way to an article, near-duplicate bands.

Tasks pass the ids of these rows, never the rows; uniqueness constraints make a task safe to run
twice or on two workers at once.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .core import Article, DatePrecision, Feed, TimestampedModel

__all__ = ["ArticleBand", "FeedFetch", "FetchStatus", "IngestItem", "ItemStatus"]


class FetchStatus(models.TextChoices):
    OK = "ok", "fetched"
    NOT_MODIFIED = "not_modified", "not modified (304)"
    UNCHANGED = "unchanged", "unchanged body"
    FAILED = "failed", "failed"


class FeedFetch(models.Model):
    """One fetch of a feed: what came back and what it led to. Admin lists them per feed."""

    Status = FetchStatus

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=FetchStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "feed fetches"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="feed_fetch_by_feed_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FetchStatus.values), name="feed_fetch_status_valid"),
            models.CheckConstraint(
                condition=Q(items_new__lte=models.F("items_seen")), name="feed_fetch_new_within_seen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", "waiting for its page"
    FETCHED = "fetched", "page fetched (or given up), waiting to be processed"
    DONE = "done", "stored as an article"
    FAILED = "failed", "failed"


class IngestItem(TimestampedModel):
    """A feed entry or a submitted page URL on its way to becoming an article.

    `key` is the entry's GUID when its feed has sane ones, else the normalised URL; one row per
    (feed, key), so a feed fetched twice, or by two workers, queues each entry once.
    """

    Status = ItemStatus

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    key = models.CharField(max_length=700)
    guid = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=2000, blank=True, help_text="The page to fetch, normalised.")
    title = models.CharField(max_length=1000, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(max_length=12, choices=DatePrecision.choices, default=DatePrecision.EXACT)
    language = models.CharField(max_length=12, blank=True)
    feed_html = models.TextField(blank=True, help_text="What the feed carried (raw; sanitized when used).")
    page_url = models.URLField(max_length=2000, blank=True, help_text="Where the page was found, after redirects.")
    page_html = models.TextField(blank=True, help_text="The fetched page, kept only until it is processed.")
    page_note = models.CharField(max_length=500, blank=True, help_text="Why the page was not used, if it was not.")
    status = models.CharField(max_length=8, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="ingest_items")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="ingest_item_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["feed", "key"], name="ingest_item_unique_per_feed"),
            models.UniqueConstraint(fields=["key"], condition=Q(feed__isnull=True), name="ingest_item_unique_url"),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="ingest_item_status_valid"),
            models.CheckConstraint(condition=~Q(key=""), name="ingest_item_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.key


class ArticleBand(models.Model):
    """One LSH band of an article's MinHash signature; articles sharing a band are near-duplicate candidates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="article_band_key_idx")]
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="article_band_unique")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.key}"
