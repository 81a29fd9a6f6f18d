"""Tagging a batch at once (articles.tagging.batches): the same rows as one at a time, a fixed number
of queries however many articles, and an article that fails failing alone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticlePerson, EventEvidence, PersonEvidence, Quote
from articles.tagging import article_tag, batches
from articles.tagging.batches import articles_tag

pytestmark = pytest.mark.django_db

TEXTS = [
    "Zalmay Khalilzad met Mullah Abdul Ghani Baradar in Doha on Monday to discuss a reduction in violence.",
    "Norway's State Secretary Henrik Thune met the Taliban delegation in Oslo on Monday.",
    '"We will not accept a ceasefire before the talks," Zabihullah Mujahid told reporters in Kabul on Tuesday.',
    "Sergey Lavrov hosted the Moscow format talks on Afghanistan on Thursday with Taliban and Afghan officials.",
]


def _articles(make_article, count: int) -> list[Article]:
    return [make_article(TEXTS[n % len(TEXTS)] + f" Report {n}.", published=dt.date(2021, 3, 12)) for n in range(count)]


def _rows(articles: list[Article]) -> dict:
    ids = [a.pk for a in articles]
    return {
        "people": sorted(ArticlePerson.objects.filter(article_id__in=ids).values_list("article_id", "person_id", "mentions")),
        "evidence": sorted(PersonEvidence.objects.filter(article_id__in=ids).values_list("article_id", "person_id", "offset")),
        "quotes": sorted(Quote.objects.filter(article_id__in=ids).values_list("article_id", "offset", "speaker_person_id")),
        "events": sorted(EventEvidence.objects.filter(article_id__in=ids).values_list("article_id", "event_id", "offset")),
    }


def _queries(articles: list[Article]) -> int:
    with CaptureQueriesContext(connection) as queries:
        results = articles_tag(articles=articles)
    assert not any(r.error for r in results)
    return len(queries.captured_queries)


def test_a_batch_takes_the_same_number_of_queries_for_three_articles_as_for_twelve(make_article):
    articles_tag(articles=_articles(make_article, 4))  # the people these texts discover exist from now on
    few, many = _articles(make_article, 3), _articles(make_article, 12)
    first_few, first_many = _queries(few), _queries(many)
    assert first_few == first_many
    assert all(a.status == Article.Status.TAGGED for a in [*few, *many])
    assert _queries(few) == _queries(many)  # re-tagging: what the tagger wrote is read and taken back per table


def test_a_batch_writes_what_tagging_one_at_a_time_writes(make_article):
    articles_tag(articles=_articles(make_article, 4))  # the people discovered known to both alike
    one_by_one, together = _articles(make_article, 4), _articles(make_article, 4)
    for article in one_by_one:
        article_tag(article=article)
    articles_tag(articles=together)
    alone, batch = _rows(one_by_one), _rows(together)
    index = {a.pk: n for n, a in enumerate(one_by_one)} | {a.pk: n for n, a in enumerate(together)}
    for name in alone:  # the same rows, article by article (events may be shared: the same happening)
        assert sorted((index[r[0]], *r[1:]) for r in alone[name]) == sorted((index[r[0]], *r[1:]) for r in batch[name])
    assert alone["quotes"] and alone["people"]
    articles_tag(articles=together)  # idempotent: the same rows again
    assert _rows(together) == batch


def test_an_article_whose_analysis_fails_fails_alone(make_article, monkeypatch):
    articles = _articles(make_article, 3)
    real = batches.article_analyze

    def fail_second(*, article, index):
        if article.pk == articles[1].pk:
            raise ValueError("unreadable")
        return real(article=article, index=index)

    monkeypatch.setattr(batches, "article_analyze", fail_second)
    results = articles_tag(articles=articles)
    assert [r.error for r in results] == ["", "ValueError: unreadable", ""]
    statuses = dict(Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("pk", "status"))
    assert [statuses[a.pk] for a in articles] == [Article.Status.TAGGED, Article.Status.NEW, Article.Status.TAGGED]
