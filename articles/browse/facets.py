"""The list's facets as links: each counted row (articles.queries.facets) narrows the list to it."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from articles.browse.querystring import narrowing
from articles.queries.facets import FacetCounts


@dataclass(frozen=True)
class FacetItem:
    slug: str
    name: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str  # the list parameter
    label: str
    items: list[FacetItem]


def facet_links(counts: list[FacetCounts], params: QueryDict) -> list[Facet]:
    """Each facet's rows with whether the query already chose it and the link that narrows to it."""
    facets = []
    for facet in counts:
        chosen = set(params.getlist(facet.name))
        facets.append(Facet(facet.name, facet.label, [
            FacetItem(row.slug, row.name, row.count, row.slug in chosen, narrowing(params, facet.name, row.slug))
            for row in facet.rows
        ]))
    return facets
