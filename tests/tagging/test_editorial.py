"""Editors win: their tags survive re-tagging, added or rejected."""

import pytest

from articles.models import ArticlePerson, DecidedBy, Person, Topic
from articles.tagging import article_tag
from articles.tagging.editorial import tag_decide

pytestmark = pytest.mark.django_db


def test_editor_decisions_survive_retagging(seed_article):
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    lavrov = Person.objects.get(slug="sergey-lavrov")
    tag_decide(article=seed_article, entity=khalilzad, rejected=True)
    tag_decide(article=seed_article, entity=lavrov, rejected=False)
    tag_decide(article=seed_article, entity=Topic.objects.get(slug="drug-trade"), rejected=False)

    article_tag(article=seed_article)

    links = {link.person.slug: link for link in ArticlePerson.objects.filter(article=seed_article)}
    assert links["zalmay-khalilzad"].rejected and links["zalmay-khalilzad"].decided_by == DecidedBy.EDITOR
    assert links["sergey-lavrov"].decided_by == DecidedBy.EDITOR and not links["sergey-lavrov"].rejected
    assert seed_article.topic_links.filter(topic__slug="drug-trade", decided_by=DecidedBy.EDITOR).exists()
    assert links["qamar-javed-bajwa"].decided_by == DecidedBy.TAGGER
