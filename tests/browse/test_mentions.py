"""The mentions chart: precomputed past months plus a live count from the rollup's edge on."""

from __future__ import annotations

import datetime as dt

import pytest

from articles import tasks
from articles.models import Article, ArticlePerson, MentionMonth, Person
from articles.queries.mentions import entity_months, mention_months_refresh

pytestmark = pytest.mark.django_db


def _article(n: int, day: dt.datetime, *, relevant: bool = True) -> Article:
    return Article.objects.create(url=f"https://example.org/m{n}", title=f"Story {n}", body="Text.",
                                  content_hash=f"{n:064d}", published_at=day, is_relevant=relevant)


@pytest.fixture
def person_tagged():
    person = Person.objects.create(name="Chart Test Person", slug="chart-test-person")
    days = [dt.datetime(2020, 2, 3, tzinfo=dt.UTC), dt.datetime(2020, 2, 20, tzinfo=dt.UTC),
            dt.datetime(2021, 3, 8, tzinfo=dt.UTC)]
    for n, day in enumerate(days):
        ArticlePerson.objects.create(article=_article(n, day), person=person)
    ArticlePerson.objects.create(article=_article(10, days[0], relevant=False), person=person)
    ArticlePerson.objects.create(article=_article(11, days[0]), person=person, decided_by="editor", rejected=True)
    return person


def test_months_are_live_before_any_refresh_and_the_same_after(person_tagged):
    expected = {dt.date(2020, 2, 1): 2, dt.date(2021, 3, 1): 1}
    assert entity_months("person", person_tagged.pk) == expected
    assert tasks.refresh_mention_months.delay().get() > 0
    assert MentionMonth.objects.filter(kind="person", entity_id=person_tagged.pk).count() == 2
    assert entity_months("person", person_tagged.pk) == expected


def test_months_from_the_edge_on_are_counted_live(person_tagged):
    mention_months_refresh(now=dt.datetime(2021, 3, 15, tzinfo=dt.UTC))  # March 2021 is not precomputed
    assert set(MentionMonth.objects.filter(entity_id=person_tagged.pk).values_list("month", flat=True)) == {
        dt.date(2020, 2, 1)}
    ArticlePerson.objects.create(article=_article(20, dt.datetime(2021, 3, 20, tzinfo=dt.UTC)), person=person_tagged)
    assert entity_months("person", person_tagged.pk)[dt.date(2021, 3, 1)] == 2
    # A month before the edge changes at the next refresh (every 30 minutes by beat).
    ArticlePerson.objects.create(article=_article(21, dt.datetime(2020, 2, 21, tzinfo=dt.UTC)), person=person_tagged)
    assert entity_months("person", person_tagged.pk)[dt.date(2020, 2, 1)] == 2
    mention_months_refresh(now=dt.datetime(2021, 3, 15, tzinfo=dt.UTC))
    assert entity_months("person", person_tagged.pk)[dt.date(2020, 2, 1)] == 3


def test_refresh_runs_on_beat():
    from django.conf import settings

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "articles.browse.tasks.refresh_mention_months" in names
