"""The synthetic corpus: deterministic per seed, realistic in shape, tagged as the tagger would store it."""

import datetime as dt
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from articles.corpus import CorpusError, article_compose, corpus_generate, corpus_plan
from articles.corpus.generator import FIRST_DAY, LAST_DAY
from articles.models import Article, ArticlePerson, ArticlePlace, ArticleTopic, DecidedBy, Event, Source, Topic

pytestmark = pytest.mark.django_db


def corpus_digest() -> str:
    """What the stored corpus says, independent of row ids."""
    digest = hashlib.sha256()
    for article in Article.objects.order_by("url").prefetch_related("person_links__person", "topic_links__topic",
                                                                     "place_links__place", "events"):
        people = sorted((link.person.slug, link.mentions, link.first_offset) for link in article.person_links.all())
        topics = sorted((link.topic.slug, link.score) for link in article.topic_links.all())
        places = sorted((link.place.slug, link.mentions, link.first_offset) for link in article.place_links.all())
        events = sorted(e.slug for e in article.events.all())
        digest.update(repr((article.url, article.title, article.body, article.published_at.isoformat(),
                            article.relevance, people, topics, places, events)).encode())
    return digest.hexdigest()


def test_same_seed_same_corpus_other_seed_another():
    with transaction.atomic():
        corpus_generate(articles=60, seed=3, batch_size=25)
        first = corpus_digest()
        transaction.set_rollback(True)
    assert not Article.objects.exists()
    corpus_generate(articles=60, seed=3, batch_size=7)
    assert corpus_digest() == first
    plan = corpus_plan(seed=4)
    assert article_compose(plan, 5).body != article_compose(corpus_plan(seed=3), 5).body


def test_a_slice_is_the_same_articles_as_in_the_whole():
    plan = corpus_plan(seed=9)
    corpus_generate(articles=10, seed=9, start=20)
    stored = Article.objects.get(url=article_compose(plan, 25).url)
    assert stored.body == article_compose(plan, 25).body


def test_links_point_at_the_names_in_the_body_as_the_tagger_stores_them():
    corpus_generate(articles=120, seed=1)
    assert Article.objects.count() == 120
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.TAGGED}
    for link in ArticlePerson.objects.select_related("person", "article")[:300]:
        assert link.decided_by == DecidedBy.TAGGER and not link.rejected and link.mentions >= 1
        if link.first_offset is not None:
            forms = [link.person.name, *link.person.aliases]
            assert any(link.article.body.startswith(f, link.first_offset) for f in forms)
    for link in ArticlePlace.objects.select_related("place", "article")[:300]:
        if link.first_offset is not None:
            forms = [link.place.name, *link.place.aliases]
            assert any(link.article.body.startswith(f, link.first_offset) for f in forms)
    thresholds = dict(Topic.objects.values_list("id", "threshold"))
    for link in ArticleTopic.objects.all():
        assert link.score >= thresholds[link.topic_id]
        assert link.first_offset is None


def test_shape_dates_lengths_outlets_and_popularity():
    corpus_generate(articles=400, seed=2)
    articles = list(Article.objects.values("published_at", "body", "source__slug", "is_relevant"))
    days = {a["published_at"].date() for a in articles}
    assert min(days) >= FIRST_DAY and max(days) <= LAST_DAY
    words = sorted(len(a["body"].split()) for a in articles)
    assert 150 <= words[len(words) // 2] <= 900
    assert all(a["source__slug"].startswith("synthetic-") for a in articles)
    assert Source.objects.filter(slug__startswith="synthetic-", is_demo=False).count() == 0
    assert 0.8 <= sum(a["is_relevant"] for a in articles) / len(articles) < 1.0
    # Zipf-like: the most mentioned person is in far more articles than the tenth.
    counts = sorted(ArticlePerson.objects.values_list("person_id", flat=True), key=lambda x: x)
    per_person = sorted((counts.count(p) for p in set(counts)), reverse=True)
    assert per_person[0] >= 4 * per_person[9]
    # Bursts: articles linked to a curated event are dated within days of it.
    linked = Event.articles.through.objects.select_related("event", "article")[:200]
    assert linked
    for row in linked:
        lag = row.article.published_at.date() - row.event.start_date
        assert dt.timedelta(days=-3) <= lag <= dt.timedelta(days=15)


def test_refuses_a_range_already_stored_and_an_empty_knowledge_base():
    corpus_generate(articles=5, seed=1)
    with pytest.raises(CorpusError, match="already stored"):
        corpus_generate(articles=5, seed=1)
    with pytest.raises(CommandError, match="already stored"):
        call_command("generate_corpus", "--articles", "5", "--seed", "1")
    with pytest.raises(CorpusError, match="zero or more"):
        corpus_generate(articles=-1, seed=1)


def test_command_reports_articles_per_second(capsys):
    call_command("generate_corpus", "--articles", "30", "--seed", "5")
    out = capsys.readouterr().out
    assert "30 articles" in out and "articles/s" in out
    assert Article.objects.count() == 30


def test_quotes_sit_at_their_offsets_and_their_speakers_are_tagged():
    from articles.corpus.services import _quote_model

    quote_model = _quote_model()
    if quote_model is None:
        pytest.skip("the Quote table is not migrated yet")
    corpus_generate(articles=80, seed=6)
    quotes = list(quote_model.objects.select_related("article"))
    assert quotes
    for quote in quotes:
        assert quote.article.body.startswith(quote.text, quote.offset)
        if quote.speaker_person_id:
            assert quote.article.person_links.filter(person_id=quote.speaker_person_id).exists()
        else:
            assert quote.article.organization_links.filter(organization_id=quote.speaker_organization_id).exists()
