"""A rare entity's tag rows drive the list; the result stays the same."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles.queries import articles as selectors
from articles.queries import filters

pytestmark = pytest.mark.django_db

QUERIES = [
    "person=zalmay-khalilzad",
    "person=zalmay-khalilzad&date_after=2021-03-01&date_before=2021-03-31",
    "person=zalmay-khalilzad&person=abdul-ghani-baradar&match=all",
    "person=zalmay-khalilzad&person=abdul-ghani-baradar&date_after=2020-01-01",
    "organization=taliban&topic=doha-agreement&relevant=all",
    "person=zalmay-khalilzad&relevant=no",
    "place=doha&date_before=2021-03-08&sort=oldest",
    "topic=doha-agreement&period=365d",
    "person=abdul-ghani-baradar&copies=all",
    "place=doha&date_after=2021-03-01&copies=all&relevant=all",
]


def _ids(query: str) -> list[int]:
    filterset = selectors.article_list(params=QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


@pytest.mark.parametrize("query", QUERIES)
def test_a_driving_entity_changes_no_result(corpus, monkeypatch, query):
    driven = _ids(query)
    monkeypatch.setattr(filters.ArticleFilter, "drive_from_tags", False)
    assert _ids(query) == driven


def test_a_rare_entity_drives_the_list_from_its_tag_rows(corpus):
    query = "person=zalmay-khalilzad&date_after=2021-03-01&date_before=2021-03-31"
    with CaptureQueriesContext(connection) as queries:
        ids = _ids(query)
    assert ids
    probe, page = (q["sql"] for q in queries.captured_queries[-2:])
    assert "COUNT(" in probe and "articles_articleperson" in probe
    assert 'ORDER BY "articles_articleperson"."published_at" DESC' in page
    filterset = selectors.article_list(params=QueryDict(query))
    assert filterset.is_valid()
    shown = selectors.article_page(filterset, size=1)
    assert [a.pk for a in shown.articles] == ids[:1] and shown.has_next
    following = selectors.article_page(selectors.article_list(params=QueryDict(query)), cursor=shown.next_cursor)
    assert [a.pk for a in following.articles] == ids[1:26]


def test_the_rarest_of_entities_that_must_all_match_drives_the_list(corpus):
    with CaptureQueriesContext(connection) as queries:
        assert _ids("person=zalmay-khalilzad&place=doha&match=all")
    probes = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(probes) == 2 and any("articles_articleplace" in sql for sql in probes)
    assert "ORDER BY" in queries.captured_queries[-1]["sql"]


def test_a_common_entity_drives_nothing(corpus, monkeypatch):
    monkeypatch.setattr(filters, "DRIVING_ENTITY_LIMIT", 0)
    with CaptureQueriesContext(connection) as queries:
        assert _ids("person=zalmay-khalilzad")
    assert 'ORDER BY "articles_article"."published_at" DESC' in queries.captured_queries[-1]["sql"]


def test_entities_that_may_each_match_drive_nothing(corpus):
    with CaptureQueriesContext(connection) as queries:
        assert _ids("person=zalmay-khalilzad&person=abdul-ghani-baradar")
    assert 'ORDER BY "articles_article"."published_at" DESC' in queries.captured_queries[-1]["sql"]


@pytest.mark.parametrize("query", [*QUERIES, "", "q=Doha", "relevant=all"])
def test_the_first_page_from_the_sample_is_the_keyset_page(corpus, query):
    """The list reads its first page from the facet sample; it must be the page the keyset gives."""
    def page(**kwargs):
        filterset = selectors.article_list(params=QueryDict(query))
        assert filterset.is_valid(), filterset.errors
        if "sample" in kwargs:
            kwargs["sample"] = selectors.article_sample(filterset)
        return selectors.article_page(filterset, size=2, **kwargs)

    from_sample, by_keyset = page(sample=True), page()
    assert [a.pk for a in from_sample.articles] == [a.pk for a in by_keyset.articles]
    assert (from_sample.has_next, from_sample.next_cursor) == (by_keyset.has_next, by_keyset.next_cursor)
