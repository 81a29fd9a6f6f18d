"""The invariants the database itself guards, whatever code writes."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from articles.models import (
    Article,
    ArticlePerson,
    DecidedBy,
    Event,
    EventParticipant,
    Person,
    PersonRole,
    Place,
    Source,
)

pytestmark = pytest.mark.django_db


def make_article(url="https://example.org/a", **kwargs) -> Article:
    values = {"title": "A title", "body": "Body text.", "content_hash": "x" * 64}
    values.update(kwargs)
    return Article.objects.create(url=url, **values)


def assert_violates(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_article_url_is_unique():
    make_article()
    assert_violates(lambda: make_article())


def test_article_cannot_duplicate_itself():
    article = make_article()
    article.duplicate_of_id = article.pk
    assert_violates(lambda: article.save())


def test_article_relevance_in_unit_range_and_title_required():
    assert_violates(lambda: make_article(url="https://example.org/r", relevance=1.5))
    assert_violates(lambda: make_article(url="https://example.org/t", title=""))
    assert_violates(lambda: make_article(url="https://example.org/s", status="bogus"))


def test_source_slug_unique():
    Source.objects.create(name="One", slug="one")
    assert_violates(lambda: Source.objects.create(name="One again", slug="one"))


def test_tag_link_unique_and_only_editors_reject():
    article = make_article()
    person = Person.objects.create(name="Test Person", slug="test-person")
    ArticlePerson.objects.create(article=article, person=person)
    assert_violates(lambda: ArticlePerson.objects.create(article=article, person=person))
    other = Person.objects.create(name="Other Person", slug="other-person")
    assert_violates(
        lambda: ArticlePerson.objects.create(article=article, person=other, rejected=True, decided_by=DecidedBy.TAGGER)
    )
    ArticlePerson.objects.create(article=article, person=other, rejected=True, decided_by=DecidedBy.EDITOR)


def test_event_participant_is_person_or_organization():
    event = Event.objects.create(title="Talks", slug="talks", kind="talks")
    assert_violates(lambda: EventParticipant.objects.create(event=event))
    assert_violates(lambda: Event.objects.create(title="X", slug="x", kind="party"))
    assert_violates(lambda: Event.objects.create(title="Y", slug="y", kind="talks", confidence=2))


def test_dates_end_after_start_and_coordinates_in_range():
    person = Person.objects.create(name="Role Holder", slug="role-holder")
    assert_violates(
        lambda: PersonRole.objects.create(
            person=person, title="Envoy", start_date=dt.date(2020, 1, 1), end_date=dt.date(2019, 1, 1)
        )
    )
    assert_violates(lambda: Place.objects.create(name="Nowhere", slug="nowhere", kind="city", latitude=91))


def test_wikidata_id_unique_when_set():
    Person.objects.create(name="A B", slug="a-b", wikidata_id="Q1")
    Person.objects.create(name="C D", slug="c-d")
    Person.objects.create(name="E F", slug="e-f")  # blank ids do not collide
    assert_violates(lambda: Person.objects.create(name="G H", slug="g-h", wikidata_id="Q1"))


def test_tag_rows_carry_their_articles_date_and_relevance_whatever_writes_them():
    """Database triggers copy the article's published_at and is_relevant onto its tag rows."""
    day = dt.datetime(2021, 3, 8, tzinfo=dt.UTC)
    article = make_article(published_at=day)
    person = Person.objects.create(name="Trigger Test One", slug="trigger-test-one")
    other = Person.objects.create(name="Trigger Test Two", slug="trigger-test-two")
    ArticlePerson.objects.create(article=article, person=person)
    ArticlePerson.objects.bulk_create([ArticlePerson(article=article, person=other, published_at=None)])

    def copies():
        return set(ArticlePerson.objects.values_list("published_at", "article_relevant"))

    assert copies() == {(day, True)}

    later = day + dt.timedelta(days=2)
    Article.objects.filter(pk=article.pk).update(published_at=later, is_relevant=False)
    assert copies() == {(later, False)}

    # A write that sets the copy itself is corrected from the article.
    ArticlePerson.objects.filter(person=person).update(published_at=day, article_relevant=True)
    assert copies() == {(later, False)}
