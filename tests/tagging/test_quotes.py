"""Quotes: a direct quotation and its speaker, stored with the article and shown with it."""

import pytest
from django.urls import reverse

from articles.models import Quote
from articles.tagging import analyze, article_tag

pytestmark = pytest.mark.django_db


def speakers(text: str) -> list[tuple[str, str]]:
    from articles.tagging.knowledge import get_index

    index = get_index()
    analysis = analyze(title="", body=text, index=index)

    def name(key):
        return analysis.discovered[key[1]].name if key[0] == "new" else index.matcher.entities[key].name

    return [(name(q.speaker), q.text) for q in analysis.quotes]


def test_speaker_after_the_quotation_and_pronouns():
    text = (
        "Senator Jane Roewood visited Kabul on Monday. “We will keep pressing for aid to reach every "
        "province,” she said. “The winter is close and families need help now,” Roewood added."
    )
    found = speakers(text)
    assert [s for s, _ in found] == ["Jane Roewood", "Jane Roewood"]


def test_speaker_before_the_quotation_and_scare_quotes_left_out():
    text = 'The Taliban said in a statement: "The foreign forces must leave our country in full." Officials called it "progress".'
    assert speakers(text) == [("Taliban", "The foreign forces must leave our country in full.")]


def test_seed_quotes_are_stored_with_their_speakers_and_shown(seed_article, client):
    quotes = [(q.text, q.speaker.name) for q in Quote.objects.filter(article=seed_article)]

    def speaker_of(start: str) -> str:
        return next(who for text, who in quotes if text.startswith(start))

    assert speaker_of("Matters of mutual interest") == "Inter-Services Public Relations"
    assert speaker_of("We intend to ask the UN to convene") == "Antony Blinken"
    assert speaker_of("US Special Representative for Afghanistan Reconciliation") == "US Embassy in Islamabad"
    page = client.get(reverse("articles:detail", args=[seed_article.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    quoted = html[html.index('class="quotes"'):]
    assert "We intend to ask the UN to convene" in quoted and ">Antony Blinken</a>" in quoted


def test_retagging_replaces_quotes(seed_article):
    count = Quote.objects.filter(article=seed_article).count()
    article_tag(article=seed_article)
    assert Quote.objects.filter(article=seed_article).count() == count
