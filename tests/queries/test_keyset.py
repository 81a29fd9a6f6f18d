"""The keyset core (articles.queries.keyset.keyset_rows) that the pages and the API both page with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Source
from articles.queries.keyset import Position, keyset_page, keyset_rows

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def articles() -> list[Article]:
    """Nine articles: two pairs share a date (ties settled by id) and three are undated."""
    source = Source.objects.create(name="Keyset Wire", slug="keyset-wire")
    dates = [DAY, DAY, DAY + dt.timedelta(days=1), None, DAY - dt.timedelta(days=3), None,
             DAY - dt.timedelta(days=3), DAY + dt.timedelta(days=9), None]
    return [
        Article.objects.create(url=f"https://keyset.example/{n}", title=f"Keyset {n}", body="text", language="en",
                               source=source, published_at=date, content_hash=f"{n:064d}")
        for n, date in enumerate(dates)
    ]


def _walk(queryset, *, descending: bool, size: int) -> list[int]:
    seen, after = [], None
    while True:
        rows = keyset_rows(queryset, field="published_at", descending=descending, after=after, limit=size + 1)
        seen += [row.pk for row in rows[:size]]
        if len(rows) <= size:
            return seen
        after = Position(rows[size - 1].published_at, rows[size - 1].pk)


@pytest.mark.parametrize("size", [1, 2, 4, 20])
@pytest.mark.parametrize("descending", [True, False])
def test_pages_walk_every_row_once_in_order_undated_last(articles, size, descending):
    queryset = Article.objects.filter(pk__in=[a.pk for a in articles])
    dated = sorted((a for a in articles if a.published_at), key=lambda a: (a.published_at, a.pk), reverse=descending)
    undated = sorted((a.pk for a in articles if a.published_at is None), reverse=descending)
    assert _walk(queryset, descending=descending, size=size) == [a.pk for a in dated] + undated


def test_a_page_is_at_most_two_queries_wherever_it_starts(articles):
    queryset = Article.objects.filter(pk__in=[a.pk for a in articles])
    for after in (None, Position(DAY, articles[1].pk), Position(None, articles[8].pk)):
        with CaptureQueriesContext(connection) as queries:
            keyset_rows(queryset, field="published_at", descending=True, after=after, limit=3)
        assert len(queries) <= 2


def test_a_column_without_nulls_reads_one_segment(articles):
    queryset = Article.objects.filter(pk__in=[a.pk for a in articles])
    with CaptureQueriesContext(connection) as queries:
        rows = keyset_rows(queryset, field="created_at", descending=False, after=None, limit=100, nullable=False)
    assert len(queries) == 1 and [r.pk for r in rows] == sorted(a.pk for a in articles)


def test_the_pages_cursor_follows_the_same_walk(articles):
    queryset = Article.objects.filter(pk__in=[a.pk for a in articles])
    seen, cursor = [], ""
    while True:
        page = keyset_page(queryset, cursor=cursor, size=2)
        seen += [a.pk for a in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == _walk(queryset, descending=True, size=2)
