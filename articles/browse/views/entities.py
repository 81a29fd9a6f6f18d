"""Person, organization, place and topic pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.browse.charts import monthly_chart
from articles.models import ENTITY_KINDS
from articles.queries import entities as reads
from articles.queries.mentions import entity_months


@require_GET
def entity_detail(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    entity_kind = ENTITY_KINDS[kind]
    try:
        entity = reads.entity_get(kind, slug)
    except entity_kind.model.DoesNotExist:
        raise Http404(f"No such {kind}.") from None
    count, more = reads.entity_article_count(kind, entity)
    context = {
        "entity": entity,
        "kind": kind,
        "kind_label": entity_kind.label,
        "chart": monthly_chart(entity_months(kind, entity.pk)),
        "co_mentions": reads.entity_co_mentions(kind, entity),
        "events": reads.entity_events(kind, entity),
        "machine_events": reads.entity_events(kind, entity, limit=5, reviewed=False),
        "quotes": reads.entity_quotes(kind, entity),
        "articles": reads.entity_latest_articles(kind, entity),
        "article_count": count,
        "article_count_more": more,
    }
    return render(request, "articles/entity.html", context)
