"""Person, organization, place and topic pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles import selectors


@require_GET
def entity_detail(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    entity_kind = selectors.ENTITY_KINDS[kind]
    try:
        entity = selectors.entity_get(kind, slug)
    except entity_kind.model.DoesNotExist:
        raise Http404(f"No such {kind}.") from None
    count, more = selectors.entity_article_count(kind, entity)
    context = {
        "entity": entity,
        "kind": kind,
        "kind_label": entity_kind.label,
        "chart": selectors.entity_mentions_chart(kind, entity),
        "co_mentions": selectors.entity_co_mentions(kind, entity),
        "events": selectors.entity_events(kind, entity),
        "machine_events": selectors.entity_events(kind, entity, limit=5, reviewed=False),
        "quotes": selectors.entity_quotes(kind, entity),
        "articles": selectors.entity_latest_articles(kind, entity),
        "article_count": count,
        "article_count_more": more,
    }
    return render(request, "articles/entity.html", context)
