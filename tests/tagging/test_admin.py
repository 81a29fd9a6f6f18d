"""Editors in admin: merging people leaves no orphan; a topic's rules change re-tags in the background."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from articles.models import (
    ArticlePerson,
    ArticleTopic,
    DecidedBy,
    Event,
    EventParticipant,
    Person,
    PersonEvidence,
    Quote,
    RetagJob,
    Topic,
)
from articles.tagging import article_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_people(make_article):
    """A person the tagger discovered in one article, and the reviewed record an editor made."""
    discovered_in = make_article(
        "Senator Christopher Murphy visited Kabul on Tuesday. “Aid must reach every Afghan family this "
        "winter,” Murphy said.",
        published=dt.date(2021, 9, 15),
    )
    article_tag(article=discovered_in)
    discovered = Person.objects.get(name="Christopher Murphy", reviewed=False)
    reviewed = Person.objects.create(name="Chris Murphy", slug="chris-murphy", reviewed=True, nationality="US")
    both = make_article("Chris Murphy and Christopher Murphy are one senator.", published=dt.date(2021, 9, 16))
    article_tag(article=both)
    return discovered, reviewed, discovered_in, both


def test_merge_moves_tags_aliases_event_roles_and_quotes_and_leaves_no_orphan(editor_client, duplicate_people):
    discovered, reviewed, discovered_in, both = duplicate_people
    assert EventParticipant.objects.filter(person=discovered).exists()
    assert Quote.objects.filter(speaker_person=discovered).exists()
    links_before = ArticlePerson.objects.filter(person__in=[discovered, reviewed]).values("article").distinct().count()
    mentions_in_both = sum(ArticlePerson.objects.filter(article=both).values_list("mentions", flat=True))
    url = reverse("admin:articles_person_changelist")
    selected = {"action": "merge_people", "_selected_action": [discovered.pk, reviewed.pk]}

    page = editor_client.post(url, selected)
    assert page.status_code == 200 and "Choose the person to keep" in page.content.decode()

    done = editor_client.post(url, {**selected, "apply": "1", "target": reviewed.pk}, follow=True)
    assert "Merged Christopher Murphy into Chris Murphy" in done.content.decode()
    assert not Person.objects.filter(pk=discovered.pk).exists()
    for model, field in ((ArticlePerson, "person_id"), (EventParticipant, "person_id"),
                         (Quote, "speaker_person_id"), (PersonEvidence, "person_id")):
        assert not model.objects.filter(**{field: discovered.pk}).exists(), model
    reviewed.refresh_from_db()
    assert "Christopher Murphy" in reviewed.aliases
    assert ArticlePerson.objects.filter(person=reviewed).count() == links_before == 2
    assert ArticlePerson.objects.get(person=reviewed, article=both).mentions == mentions_in_both  # one link now
    assert Quote.objects.filter(speaker_person=reviewed, article=discovered_in).exists()
    # The next tagging finds the reviewed person under the merged name, and discovers no one again.
    article_tag(article=discovered_in)
    assert ArticlePerson.objects.filter(person=reviewed, article=discovered_in).exists()
    assert not Person.objects.filter(name="Christopher Murphy").exists()


def test_merge_keeps_an_editors_decision(editor_client, duplicate_people):
    from articles.tagging.editorial import tag_decide

    discovered, reviewed, _discovered_in, both = duplicate_people
    tag_decide(article=both, entity=discovered, rejected=True)
    url = reverse("admin:articles_person_changelist")
    editor_client.post(url, {"action": "merge_people", "_selected_action": [discovered.pk, reviewed.pk],
                             "apply": "1", "target": reviewed.pk})
    link = ArticlePerson.objects.get(person=reviewed, article=both)
    assert link.decided_by == DecidedBy.EDITOR and link.rejected


def test_merge_needs_two_people(editor_client, duplicate_people):
    discovered, *_ = duplicate_people
    response = editor_client.post(
        reverse("admin:articles_person_changelist"),
        {"action": "merge_people", "_selected_action": [discovered.pk]}, follow=True,
    )
    assert "Select at least two people" in response.content.decode()
    assert Person.objects.filter(pk=discovered.pk).exists()


def _topic_form(topic: Topic, **changes) -> dict:
    data = {
        "name": topic.name, "slug": topic.slug, "aliases": json.dumps(topic.aliases),
        "description": topic.description, "parent": topic.parent_id or "", "threshold": topic.threshold,
        "rules": json.dumps(topic.rules), "reviewed": "on" if topic.reviewed else "", "wikidata_id": topic.wikidata_id,
    }
    data.update(changes)
    return data


def test_a_rules_change_retags_affected_articles_in_the_background(
    editor_client, make_article, django_capture_on_commit_callbacks
):
    article = make_article("Envoys discussed the frozen reserves of the central bank on Monday.", published=dt.date(2022, 2, 14))
    article_tag(article=article)
    topic = Topic.objects.get(slug="drug-trade")
    assert not ArticleTopic.objects.filter(article=article, topic=topic).exists()
    rules = {"phrases": [*topic.rules["phrases"], {"phrase": "frozen reserves", "weight": 10}], "entities": topic.rules["entities"]}
    url = reverse("admin:articles_topic_change", args=[topic.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, _topic_form(topic, rules=json.dumps(rules)), follow=True)

    assert response.status_code == 200
    assert "affected articles are being re-tagged" in response.content.decode()
    job = RetagJob.objects.get(topic=topic)
    assert job.status == "done" and job.retagged == 1
    assert ArticleTopic.objects.get(article=article, topic=topic).score >= 10
    page = editor_client.get(url).content.decode()
    assert "100%" in page and "1 re-tagged" in page
    assert editor_client.get(reverse("admin:articles_retagjob_changelist")).status_code == 200


def test_bad_rules_are_refused_with_the_reason(editor_client):
    topic = Topic.objects.get(slug="drug-trade")
    url = reverse("admin:articles_topic_change", args=[topic.pk])
    bad = {"phrases": [{"phrase": "opium", "weight": "heavy"}]}
    response = editor_client.post(url, _topic_form(topic, rules=json.dumps(bad)))
    assert response.status_code == 200
    assert "weight must be a number" in response.content.decode()
    missing = {"entities": [{"kind": "person", "slug": "nobody-at-all"}]}
    response = editor_client.post(url, _topic_form(topic, rules=json.dumps(missing)))
    assert "no person with slug nobody-at-all" in response.content.decode()
    assert not RetagJob.objects.exists()


def test_events_and_people_admin_pages_show_the_evidence(editor_client, duplicate_people):
    discovered, *_ = duplicate_people
    page = editor_client.get(reverse("admin:articles_person_change", args=[discovered.pk])).content.decode()
    assert "Senator" in page and "evidence" in page.lower()
    event = Event.objects.filter(evidence__isnull=False).first()
    assert editor_client.get(reverse("admin:articles_event_change", args=[event.pk])).status_code == 200
