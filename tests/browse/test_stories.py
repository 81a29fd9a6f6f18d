"""One row per story: lists, entity pages, facets, counts and the API show each story once, with the
outlets that also ran it; `copies=all` shows every copy. The corpus has one: the Gulf Crescent
Times' copy of the Kabul Ledger's "talks" (both tagged with Khalilzad, Baradar, Doha...)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticlePerson, Person, Source
from articles.queries.mentions import entity_months

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")


def _pks(response) -> list[int]:
    assert response.status_code == 200
    return [article.pk for article in response.context["page"].articles]


def test_tag_rows_know_whether_their_article_is_a_copy_whatever_writes_it(db):
    """Triggers copy `duplicate_of IS NOT NULL` onto the tag rows, and follow every change of it."""
    source = Source.objects.create(name="Copy Test Wire", slug="copy-test-wire")
    original, copy = (
        Article.objects.create(url=f"https://copies.example/{n}", title=f"Story {n}", body="Text.", content_hash=n,
                               source=source)
        for n in ("1", "2")
    )
    person = Person.objects.create(name="Copy Test Person", slug="copy-test-person")
    ArticlePerson.objects.create(article=original, person=person)
    ArticlePerson.objects.bulk_create([ArticlePerson(article=copy, person=person)])

    def flags():
        return dict(ArticlePerson.objects.filter(person=person).values_list("article_id", "article_is_copy"))

    assert flags() == {original.pk: False, copy.pk: False}
    copy.duplicate_of = original
    copy.save()
    assert flags() == {original.pk: False, copy.pk: True}
    Article.objects.filter(pk=copy.pk).update(duplicate_of=None)
    assert flags() == {original.pk: False, copy.pk: False}
    Article.objects.filter(pk=copy.pk).update(duplicate_of=original)
    other = Person.objects.create(name="Copy Test Other", slug="copy-test-other")
    ArticlePerson.objects.create(article=copy, person=other)  # a tag added to a copy
    assert ArticlePerson.objects.get(person=other).article_is_copy is True
    ArticlePerson.objects.filter(person=person).update(article_is_copy=False)  # corrected from the article
    assert flags() == {original.pk: False, copy.pk: True}
    original.delete()  # its copies become stories of their own (duplicate_of is set null)
    assert flags() == {copy.pk: False}


@pytest.mark.parametrize("query", [
    {"person": "zalmay-khalilzad"},  # a rare entity: its tag rows drive the list
    {"person": ["zalmay-khalilzad", "abdul-ghani-baradar"]},  # walked by date
    {"q": "Baradar"},
    {"place": "doha", "sort": "oldest"},
    {"event": "test-khalilzad-baradar-doha-march-2021"},
])
def test_lists_show_a_story_once_and_every_copy_when_asked(client, corpus, query):
    talks, copy = corpus.articles["talks"], corpus.articles["talks-copy"]
    once = _pks(client.get(LIST, {**query, "relevant": "all"}))
    assert talks.pk in once and copy.pk not in once
    every = _pks(client.get(LIST, {**query, "relevant": "all", "copies": "all"}))
    assert set(every) == set(once) | {copy.pk}


def test_a_card_names_the_outlets_that_also_ran_the_story(client, corpus):
    response = client.get(LIST, {"person": "abdul-ghani-baradar"})
    html = response.content.decode()
    card = html.split(corpus.articles["talks"].title)[1].split("</article>")[0]
    assert "Also in 1 other outlet:" in card
    assert f'<a href="{corpus.articles["talks-copy"].get_absolute_url()}"><bdi>Gulf Crescent Times</bdi></a>' in card
    every = client.get(LIST, {"person": "abdul-ghani-baradar", "copies": "all"}).content.decode()
    copy_card = every.split(corpus.articles["talks-copy"].title)[1].split("</article>")[0]
    assert f'A copy of <a href="{corpus.articles["talks"].get_absolute_url()}">' in copy_card


def test_counts_and_facets_count_a_story_once(client, corpus):
    once = client.get(LIST, {"person": "abdul-ghani-baradar"})
    every = client.get(LIST, {"person": "abdul-ghani-baradar", "copies": "all"})
    assert every.context["count"] == once.context["count"] + 1
    assert f"{once.context['count']} stories" in once.content.decode()

    def facet(response, name, slug):
        found = {item.slug: item.count for facet in response.context["facets"] if facet.name == name
                 for item in facet.items}
        return found.get(slug)

    assert facet(every, "person", "zalmay-khalilzad") == facet(once, "person", "zalmay-khalilzad") + 1
    assert facet(once, "source", "gulf-crescent-times") is None
    assert facet(every, "source", "gulf-crescent-times") == 1


def test_the_switch_is_a_link_a_chip_and_a_clean_default(client, corpus):
    html = client.get(LIST, {"person": "zalmay-khalilzad"}).content.decode()
    assert 'href="?person=zalmay-khalilzad&amp;copies=all">Every copy</a>' in html
    every = client.get(LIST, {"person": "zalmay-khalilzad", "copies": "all"})
    assert ("Showing", "every copy of a story") in [(chip.label, chip.value) for chip in every.context["chips"]]
    default = client.get(LIST, {"person": "zalmay-khalilzad", "copies": "stories"})
    assert default.status_code == 302 and default["Location"] == LIST + "?person=zalmay-khalilzad"
    assert client.get(LIST, {"copies": "some"}).status_code == 400


def test_an_outlets_list_includes_its_copies(client, corpus):
    copy = corpus.articles["talks-copy"]
    assert _pks(client.get(LIST, {"source": copy.source.slug})) == [copy.pk]


def test_entity_pages_count_and_list_stories_once(client, corpus):
    talks, copy = corpus.articles["talks"], corpus.articles["talks-copy"]
    response = client.get(reverse("articles:person", args=["abdul-ghani-baradar"]))
    latest = [article.pk for article in response.context["articles"]]
    assert talks.pk in latest and copy.pk not in latest
    listed = client.get(LIST, {"person": "abdul-ghani-baradar"})
    dated = [a for a in listed.context["page"].articles if a.published_at]
    assert response.context["article_count"] == listed.context["count"]
    assert len(latest) == len(dated)
    assert "Gulf Crescent Times" in response.content.decode()  # the story's copy, under it
    months = entity_months("person", Person.objects.get(slug="abdul-ghani-baradar").pk)
    assert sum(months.values()) == len(dated)


def test_the_api_lists_stories_once_with_the_same_switch(client, corpus):
    talks, copy = corpus.articles["talks"], corpus.articles["talks-copy"]

    def ids(**params):
        response = client.get("/api/articles/", {"person": "zalmay-khalilzad", "relevant": "all", **params})
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert talks.pk in ids() and copy.pk not in ids()
    assert set(ids(copies="all")) == set(ids()) | {copy.pk}
    assert ids(source="gulf-crescent-times") == [copy.pk]
    assert client.get("/api/articles/", {"copies": "twice"}).status_code == 400


def test_the_list_reads_the_copies_of_its_page_in_one_query(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, {"person": "zalmay-khalilzad"}).status_code == 200
    copies = [q["sql"] for q in queries.captured_queries if '"articles_article"."duplicate_of_id" IN (' in q["sql"]]
    assert len(copies) == 1
