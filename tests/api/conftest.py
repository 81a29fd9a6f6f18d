"""API fixtures: clients for an anonymous reader, a logged-in non-staff user and an editor;
articles made directly in the database, so each test says exactly what it needs."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Event,
    Organization,
    Person,
    Place,
    Quote,
    Source,
    Topic,
)

LINKS = {
    "people": (Person, ArticlePerson, "person"),
    "organizations": (Organization, ArticleOrganization, "organization"),
    "places": (Place, ArticlePlace, "place"),
    "topics": (Topic, ArticleTopic, "topic"),
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttling counts in the cache: each test starts with none of its requests counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def reader_client(django_user_model) -> APIClient:
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("reader", "reader@example.org", "reader-pw"))
    return client


@pytest.fixture
def staff_client(editor) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def source(db) -> Source:
    return Source.objects.create(name="Example Wire", slug="example-wire")


@pytest.fixture
def make_article(db, source):
    """make_article(published_at=..., people=[slug, ...], events=[slug], quotes=True, ...) -> Article."""
    numbers = count(1)

    def make(
        *, published_at: dt.datetime | None = None, is_relevant: bool = True, rejected: tuple[str, ...] = (),
        events: tuple[str, ...] = (), article_source: Source | None = None, body: str = "", quotes: bool = False,
        **tags: list[str],
    ) -> Article:
        number = next(numbers)
        article = Article.objects.create(
            url=f"https://example.org/news/{number}", title=f"Report number {number}",
            body=body or f"The text of report number {number}.", language="en", source=article_source or source,
            published_at=published_at, is_relevant=is_relevant, content_hash=f"{number:064d}",
        )
        for kind, slugs in tags.items():
            model, link_model, field = LINKS[kind]
            for offset, slug in enumerate(slugs):
                entity = model.objects.get(slug=slug)
                link_model.objects.create(
                    article=article, **{field: entity}, first_offset=offset, mentions=1,
                    rejected=slug in rejected, decided_by="editor" if slug in rejected else "tagger",
                )
        for slug in events:
            Event.objects.get(slug=slug).articles.add(article)
        if quotes:  # one quotation by the first person tagged
            speaker = article.person_links.order_by("first_offset").first().person
            Quote.objects.create(article=article, text=article.body, offset=0, speaker_person=speaker, attribution="said")
        return article

    return make


def at(day: str) -> dt.datetime:
    """Noon UTC on a YYYY-MM-DD day."""
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)
