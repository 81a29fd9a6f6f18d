"""The list's facets: what the result holds most, counted over its sample.

Counts only: the pages turn each row into a link that narrows the list (articles.browse.facets).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F

from articles.models import ENTITY_KINDS, Article
from articles.queries.articles import FACET_SAMPLE
from articles.text.language_names import language_name

FACET_SIZE = 8
# The entity facets, in the order the list shows them.
FACET_KINDS = ("person", "organization", "topic", "place")


@dataclass(frozen=True)
class FacetRow:
    slug: str  # the value of the list parameter that picks it
    name: str
    count: int


@dataclass(frozen=True)
class FacetCounts:
    name: str  # the list parameter
    label: str
    rows: list[FacetRow]


def article_facets(sample: list[int]) -> list[FacetCounts]:
    """Languages, then top people, organizations, topics, places and outlets of the result: one
    grouped query each.

    Counted over the result's sample (article_sample), passed as ids: as a subquery the database
    would find the sample again for every facet.
    """
    sample = sample[:FACET_SAMPLE]
    if not sample:
        return []
    facets = []
    for kind in FACET_KINDS:
        entity = ENTITY_KINDS[kind]
        rows = (
            entity.link_model.objects.filter(article__in=sample, rejected=False)
            .values(slug=F(f"{kind}__slug"), name=F(f"{kind}__name"))
            .annotate(n=Count("id"))
            .order_by("-n", "name")[:FACET_SIZE]
        )
        facets.append(_counts(entity.parameter, entity.plural_label, rows))
    rows = (
        Article.objects.filter(pk__in=sample, source__isnull=False)
        .values(slug=F("source__slug"), name=F("source__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "name")[:FACET_SIZE]
    )
    facets.append(_counts("source", "Outlets", rows))
    rows = (
        Article.objects.filter(pk__in=sample).exclude(language="")
        .values(slug=F("language")).annotate(n=Count("id"))
        .order_by("-n", "slug")[:FACET_SIZE]
    )
    facets.insert(0, _counts("language", "Languages", [{**r, "name": language_name(r["slug"])} for r in rows]))
    return [f for f in facets if f.rows]


def _counts(name: str, label: str, rows) -> FacetCounts:
    return FacetCounts(name, label, [FacetRow(r["slug"], r["name"], r["n"]) for r in rows])
