"""The export shape of an article: stable field names that scripts (and the API) rely on.

`export_articles`, the pages' CSV and the API write articles with one serializer
(`articles.api.serializers.ArticleDetailSerializer`); the export is its output with every
reference reduced to a name. `export_queryset` loads what that serializer reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from django.db.models import Prefetch, QuerySet

from articles.api.serializers import ArticleDetailSerializer
from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Event,
    EventParticipant,
)

EXPORT_FIELDS = (
    "id", "url", "title", "source", "published_at", "language", "is_relevant", "duplicate_of",
    "byline", "body", "people", "organizations", "places", "topics", "events",
)


REF_FIELDS = ("id", "name", "slug")
ARTICLE_COLUMNS = (
    "url", "title", "source", "published_at", "published_precision", "language", "is_relevant", "duplicate_of",
    "byline", "body",
)


def export_queryset() -> QuerySet[Article]:
    """Articles with everything the export (and an API list) shows, in a fixed number of queries."""

    # Only the columns the serializer reads: entities and events carry long descriptions.
    def links(model, entity: str, related: str) -> Prefetch:
        queryset = (
            model.objects.filter(rejected=False).select_related(entity).order_by("first_offset", "id")
            .only("article_id", *(f"{entity}__{name}" for name in REF_FIELDS))
        )
        return Prefetch(related, queryset=queryset)

    participants = (
        EventParticipant.objects.select_related("person", "organization").order_by("id")
        .only("event_id", "role", *(f"{actor}__{name}" for actor in ("person", "organization") for name in REF_FIELDS))
    )
    events = (
        Event.objects.select_related("place")
        .only("slug", "title", "kind", "start_date", *(f"place__{name}" for name in REF_FIELDS))
        .prefetch_related(Prefetch("participants", queryset=participants))
    )
    return (
        Article.objects.select_related("source", "duplicate_of")
        .only(*ARTICLE_COLUMNS, *(f"source__{name}" for name in REF_FIELDS), "duplicate_of__url")
        .prefetch_related(
            links(ArticlePerson, "person", "person_links"),
            links(ArticleOrganization, "organization", "organization_links"),
            links(ArticlePlace, "place", "place_links"),
            links(ArticleTopic, "topic", "topic_links"),
            Prefetch("events", queryset=events),
        )
        .order_by("id")
    )


@cache
def _export_serializer() -> ArticleDetailSerializer:
    # Built once: a serializer's fields are copied per instance, which would cost more than a row.
    return ArticleDetailSerializer(context={"export": True})


def article_export(article: Article) -> dict:
    """One article as `export_articles` writes it (fields: EXPORT_FIELDS)."""
    return _export_serializer().to_representation(article)


def iter_export(queryset: QuerySet[Article] | None = None, chunk_size: int = 500) -> Iterator[dict]:
    queryset = export_queryset() if queryset is None else queryset
    for article in queryset.iterator(chunk_size=chunk_size):
        yield article_export(article)
