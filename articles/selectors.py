"""Reads for the pages: each returns what one page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import QueryDict

from articles.filters import ArticleFilter
from articles.models import Article, ArticleOrganization, ArticlePerson, ArticlePlace, ArticleTopic, Event

PAGE_SIZE = 25
MAX_PAGE = 400


@dataclass
class ArticlePage:
    articles: list[Article]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _links(model, entity: str, related: str) -> Prefetch:
    return Prefetch(
        related,
        queryset=model.objects.filter(rejected=False).select_related(entity).order_by("-mentions", "id"),
    )


def article_list(*, params: QueryDict) -> ArticleFilter:
    """The filter set for a query string; `.qs` is the filtered, ordered queryset."""
    queryset = (
        Article.objects.select_related("source")
        .prefetch_related(_links(ArticlePerson, "person", "person_links"), _links(ArticleTopic, "topic", "topic_links"))
        .order_by(F("published_at").desc(nulls_last=True), "-id")
    )
    return ArticleFilter(params, queryset=queryset)


def article_page(queryset: QuerySet[Article], *, number: int, size: int = PAGE_SIZE) -> ArticlePage:
    """One page without COUNT(*): fetch one row more than shown to know whether a next page exists."""
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return ArticlePage(articles=rows[:size], number=number, has_next=len(rows) > size)


def article_detail(*, pk: int) -> Article:
    return (
        Article.objects.select_related("source", "duplicate_of")
        .prefetch_related(
            _links(ArticlePerson, "person", "person_links"),
            _links(ArticleOrganization, "organization", "organization_links"),
            _links(ArticlePlace, "place", "place_links"),
            _links(ArticleTopic, "topic", "topic_links"),
            Prefetch("events", queryset=Event.objects.select_related("place").order_by("start_date")),
        )
        .get(pk=pk)
    )
