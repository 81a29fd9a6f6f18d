"""An article's history: the texts it had before, and other outlets' items that claimed its URL.

Outlets edit stories after publishing them, often without saying so: ingestion keeps each text
it replaces as an `ArticleVersion`, so the article page can say "updated N times" and show the
changes. An item from another outlet that names a stored article's URL is never written over that
article: it is stored as an article of its own, and a `CopyClaim` links the two until an editor
decides (`article_upsert`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .core import Article, Source

__all__ = ["ArticleVersion", "CopyClaim", "CopyReview"]


class ArticleVersion(models.Model):
    """One text an article had, from `fetched_at` until `superseded_at`; number 1 is the first stored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first text stored; the article's current text is the next number.")
    title = models.CharField(max_length=1000)
    byline = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    body_html = models.TextField(blank=True, help_text="Sanitized when it was the article's (nh3).")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When this text was fetched.")
    content_hash = models.CharField(max_length=64)
    superseded_at = models.DateTimeField(default=timezone.now, help_text="When a later fetch replaced it.")

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="article_version_number_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="article_version_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}: {self.title}"


class CopyReview(models.TextChoices):
    PENDING = "pending", "possible copy, not reviewed"
    CONFIRMED = "confirmed", "a copy (confirmed by an editor)"
    REJECTED = "rejected", "not a copy (said an editor)"


class CopyClaim(models.Model):
    """An outlet's item that named another outlet's article URL, stored as an article of its own.

    `article` is the item's own row (its URL an `urn:newsroom:copy:` identifier); `original` the
    article whose URL it claimed, untouched. An editor confirms it is a copy, or rejects that.
    """

    Review = CopyReview

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="copy_claim")
    original = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="copy_claims")
    claimed_url = models.URLField(max_length=2000, help_text="The URL the item gave as its own.")
    review = models.CharField(max_length=10, choices=CopyReview.choices, default=CopyReview.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["review", "-created_at"], name="copy_claim_review_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(review__in=CopyReview.values), name="copy_claim_review_valid"),
            models.CheckConstraint(condition=~Q(original=F("article")), name="copy_claim_not_of_itself"),
            models.CheckConstraint(
                condition=Q(review=CopyReview.PENDING, reviewed_at__isnull=True) | (~Q(review=CopyReview.PENDING) & Q(reviewed_at__isnull=False)),
                name="copy_claim_reviewed_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} claims {self.claimed_url}"
