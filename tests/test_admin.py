"""Admin pages an editor works in, and the re-tag action."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticlePerson, DecidedBy, Event, Organization, Person, Place, Source, Topic

pytestmark = pytest.mark.django_db

MODELS = [Article, Source, Person, Organization, Place, Topic, Event]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages(editor_client, seed_article, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert editor_client.get(changelist).status_code == 200
    assert editor_client.get(changelist, {"q": "Khalilzad"}).status_code == 200
    assert editor_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200


def test_article_change_page_shows_tag_inlines(editor_client, seed_article):
    response = editor_client.get(reverse("admin:articles_article_change", args=[seed_article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zalmay Khalilzad" in html and "person_links" in html


def test_autocomplete_for_people(editor_client, seed_article):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Khalil", "app_label": "articles", "model_name": "articleperson", "field_name": "person"},
    )
    assert response.status_code == 200
    assert "Zalmay Khalilzad" in response.content.decode()


def test_retag_action_keeps_editor_decisions(editor_client, seed_article):
    khalilzad = ArticlePerson.objects.get(article=seed_article, person__slug="zalmay-khalilzad")
    khalilzad.decided_by, khalilzad.rejected = DecidedBy.EDITOR, True
    khalilzad.save()
    extra = Person.objects.get(slug="sergey-lavrov")
    ArticlePerson.objects.create(article=seed_article, person=extra, decided_by=DecidedBy.EDITOR)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "retag_selected", "_selected_action": [seed_article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    links = {link.person.slug: link for link in ArticlePerson.objects.filter(article=seed_article)}
    assert links["zalmay-khalilzad"].rejected is True
    assert links["sergey-lavrov"].decided_by == DecidedBy.EDITOR
    assert links["qamar-javed-bajwa"].decided_by == DecidedBy.TAGGER


def test_reader_is_kept_out(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302


def test_article_changelist_searches_like_the_site_and_never_counts_the_whole_table(editor_client, seed_article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    changelist = reverse("admin:articles_article_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(changelist, {"q": "Khalilzad", "published_at__gte": "2000-01-01 00:00:00+00:00"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "articles_article" in q["sql"]]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
    by_url = editor_client.get(changelist, {"q": seed_article.url})
    assert by_url.context["cl"].result_count == 1
    assert editor_client.get(changelist, {"language": "en"}).status_code == 200


def test_article_changelist_says_when_its_count_stopped_at_the_cap(editor_client, seed_article, monkeypatch):
    from articles.admin import articles as article_admin

    changelist = reverse("admin:articles_article_changelist")
    assert "1 article " in " ".join(editor_client.get(changelist).content.decode().split())
    monkeypatch.setattr(article_admin, "ADMIN_COUNT_CAP", 1)
    html = " ".join(editor_client.get(changelist).content.decode().split())
    assert "1 or more articles" in html and "Show counts" not in html
