"""Read-side tables kept for the pages: precomputed where a live read would scan too much."""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup

from .kinds import ENTITY_KINDS

__all__ = ["ArticleText", "FullTextIndexField", "MentionMonth"]


class MentionMonth(models.Model):
    """How many relevant articles tagged an entity in a month, for months before `through`.

    Rebuilt whole by articles.queries.mentions.mention_months_refresh (a periodic task): the most
    mentioned person's chart read ~420,000 tag rows per view at a million articles. Months from
    `through` on are counted live, so the current month is never stale.
    """

    KINDS = [(kind, kind) for kind in ENTITY_KINDS]

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
                condition=models.Q(kind__in=list(ENTITY_KINDS)), name="mention_month_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id} {self.month:%Y-%m}: {self.articles}"


class FullTextIndexField(models.TextField):
    """FTS5's hidden column named after its table, which stands for the whole row in MATCH and
    in ranking functions: `filter(search_text__index__matches=expression)`."""


@FullTextIndexField.register_lookup
class FullTextMatches(Lookup):
    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ArticleText(models.Model):
    """SQLite's full-text index of article titles and bodies (FTS5, migration 0009): read it, never write.

    SQLite triggers on articles_article keep it in step with every insert, update and delete,
    whatever makes them. Not a table Django manages, and absent on PostgreSQL, which searches the
    article's own `search_vector`. Searched through `index` (articles.queries.search).
    """

    article = models.OneToOneField(
        "Article", primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="search_text",
    )
    title = models.TextField()
    body = models.TextField()
    index = FullTextIndexField(db_column="articles_article_fts")

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self) -> str:
        return self.title
