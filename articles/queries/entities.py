"""A person's, organization's, place's or topic's page: its profile, count, latest stories, who is
named with it, its events and quotes. Each read is a range of the entity's tag index or a
bounded sample of its newest stories; its chart's months are in articles.queries.mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from articles.models import ENTITY_KINDS, Article, Event, EventParticipant, PersonRole, Quote
from articles.queries import keyset
from articles.queries.articles import ALSO_IN, FACET_SAMPLE, NEWEST
from articles.queries.facets import FACET_SIZE


def entity_get(kind: str, slug: str):
    """The entity with what its profile shows; raises the model's DoesNotExist."""
    model = ENTITY_KINDS[kind].model
    queryset = model.objects.all()
    if kind == "person":
        queryset = queryset.select_related("affiliation").prefetch_related(
            Prefetch("roles", queryset=PersonRole.objects.select_related("organization")
                     .order_by(F("start_date").asc(nulls_first=True)))
        )
    elif kind in ("organization", "place", "topic"):
        queryset = queryset.select_related("parent").prefetch_related(
            Prefetch("children", queryset=model.objects.order_by("name"))
        )
    return queryset.get(slug=slug)


def _entity_tags(kind: str, entity) -> QuerySet:
    """An entity's accepted tags on relevant stories (copies left out): a range of its (entity,
    published_at) index."""
    return ENTITY_KINDS[kind].link_model.objects.filter(
        rejected=False, article_relevant=True, article_is_copy=False, **{kind: entity})


def _entity_sample(kind: str, entity):
    """The newest stories tagged with an entity (by id, which the (entity, article) index serves)."""
    return (
        ENTITY_KINDS[kind].link_model.objects.filter(rejected=False, article_is_copy=False, **{kind: entity})
        .order_by("-article_id").values("article_id")[:FACET_SAMPLE]
    )


@dataclass(frozen=True)
class CoMention:
    kind: str
    slug: str
    name: str
    count: int


def entity_co_mentions(kind: str, entity, *, limit: int = FACET_SIZE) -> dict[str, list[CoMention]]:
    """The people and organizations most often named in the same articles (over the newest ones)."""
    sample = _entity_sample(kind, entity)
    result = {}
    for other in ("person", "organization"):
        links = ENTITY_KINDS[other].link_model.objects.filter(article_id__in=sample, rejected=False)
        if other == kind:
            links = links.exclude(**{kind: entity})
        rows = links.values(slug=F(f"{other}__slug"), name=F(f"{other}__name")).annotate(n=Count("id")).order_by(
            "-n", "name")[:limit]
        result[other] = [CoMention(other, r["slug"], r["name"], r["n"]) for r in rows]
    return result


def entity_events(kind: str, entity, *, limit: int = 12, reviewed: bool = True) -> list[Event]:
    """The entity's events on the timeline (curated or confirmed), or with `reviewed=False` the
    tagger's unreviewed ones: the page shows them apart."""
    events = Event.objects.select_related("place").filter(reviewed=reviewed, rejected=False)
    if kind in ("person", "organization"):
        events = events.filter(Exists(EventParticipant.objects.filter(event=OuterRef("pk"), **{kind: entity})))
    elif kind == "place":
        events = events.filter(Q(place=entity) | Q(place__parent=entity))
    else:
        events = events.filter(articles__in=_entity_sample(kind, entity)).distinct()
    return list(events.order_by(F("start_date").desc(nulls_last=True), "title")[:limit])


def entity_latest_articles(kind: str, entity, *, limit: int = 10) -> list[Article]:
    """The newest dated stories, with their copies: the newest tags of the entity's date index,
    then those articles."""
    newest = (
        _entity_tags(kind, entity).filter(published_at__isnull=False)
        .order_by("-published_at", "-article_id").values("article_id")[:limit]
    )
    return list(Article.objects.filter(pk__in=newest).select_related("source").prefetch_related(ALSO_IN)
                .order_by(*NEWEST))


def entity_article_count(kind: str, entity) -> tuple[int, bool]:
    return keyset.capped_count(_entity_tags(kind, entity))


def entity_quotes(kind: str, entity, *, limit: int = 8) -> list:
    """What a person or organization was quoted saying, latest found first, with the article it is from."""
    if kind not in ("person", "organization"):
        return []
    return list(
        Quote.objects.filter(**{f"speaker_{kind}": entity}, article__is_relevant=True)
        .select_related("article", "article__source")
        .order_by("-id")[:limit]
    )
