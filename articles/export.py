"""The export shape of an article: stable field names that scripts (and the API) rely on."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from articles.models import Article, ArticleOrganization, ArticlePerson, ArticlePlace, ArticleTopic, Event

EXPORT_FIELDS = (
    "id", "url", "title", "source", "published_at", "language", "is_relevant", "duplicate_of",
    "byline", "body", "people", "organizations", "places", "topics", "events",
)


def export_queryset() -> QuerySet[Article]:
    """Articles with everything the export needs, in a fixed number of queries."""

    def links(model, entity: str, related: str) -> Prefetch:
        return Prefetch(
            related,
            queryset=model.objects.filter(rejected=False).select_related(entity).order_by("first_offset", "id"),
        )

    return (
        Article.objects.select_related("source", "duplicate_of")
        .prefetch_related(
            links(ArticlePerson, "person", "person_links"),
            links(ArticleOrganization, "organization", "organization_links"),
            links(ArticlePlace, "place", "place_links"),
            links(ArticleTopic, "topic", "topic_links"),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("place").prefetch_related(
                    "participants__person", "participants__organization"
                ),
            ),
        )
        .order_by("id")
    )


def article_export(article: Article) -> dict:
    return {
        "id": article.pk,
        "url": article.url,
        "title": article.title,
        "source": article.source.name if article.source else None,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "language": article.language,
        "is_relevant": article.is_relevant,
        "duplicate_of": article.duplicate_of.url if article.duplicate_of else None,
        "byline": article.byline,
        "body": article.body,
        "people": [link.person.name for link in article.person_links.all()],
        "organizations": [link.organization.name for link in article.organization_links.all()],
        "places": [link.place.name for link in article.place_links.all()],
        "topics": [link.topic.name for link in article.topic_links.all()],
        "events": [
            {
                "title": event.title,
                "kind": event.kind,
                "date": event.start_date.isoformat() if event.start_date else None,
                "place": event.place.name if event.place else None,
                "participants": [str(p.entity) for p in event.participants.all()],
            }
            for event in article.events.all()
        ],
    }


def iter_export(queryset: QuerySet[Article] | None = None, chunk_size: int = 500) -> Iterator[dict]:
    queryset = export_queryset() if queryset is None else queryset
    for article in queryset.iterator(chunk_size=chunk_size):
        yield article_export(article)
