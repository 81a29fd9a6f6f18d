"""Read-side tables kept for the pages: precomputed where a live read would scan too much."""

from __future__ import annotations

from django.db import models

__all__ = ["MentionMonth"]


class MentionMonth(models.Model):
    """How many relevant articles tagged an entity in a month, for months before `through`.

    Rebuilt whole by articles.browse.mentions.mention_months_refresh (a periodic task): the most
    mentioned person's chart read ~420,000 tag rows per view at a million articles. Months from
    `through` on are counted live, so the current month is never stale.
    """

    KINDS = [("person", "person"), ("organization", "organization"), ("place", "place"), ("topic", "topic")]

    kind = models.CharField(max_length=12, choices=KINDS)
    entity_id = models.PositiveIntegerField()
    month = models.DateField()
    articles = models.PositiveIntegerField()
    through = models.DateField(help_text="The first month not counted here (the same on every row of a refresh).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "entity_id", "month"], name="mention_month_unique"),
            models.CheckConstraint(condition=models.Q(month__lt=models.F("through")), name="mention_month_before_through"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["person", "organization", "place", "topic"]), name="mention_month_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id} {self.month:%Y-%m}: {self.articles}"
