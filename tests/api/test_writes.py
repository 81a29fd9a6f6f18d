"""Staff-only writes: an editor's tag decisions; who may make them."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import ArticlePerson, DecidedBy, Person

pytestmark = pytest.mark.django_db


def tag(client, article, **body):
    return client.post(f"/api/articles/{article.pk}/tags/", body, format="json")


def test_editor_adds_a_tag_by_slug(staff_client, api_client, make_article):
    article = make_article()
    response = tag(staff_client, article, kind="person", entity="zalmay-khalilzad", decision="add")
    assert response.status_code == 200, response.content
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    assert response.json() == {
        "kind": "person", "entity": {"id": khalilzad.pk, "name": khalilzad.name, "slug": khalilzad.slug},
        "decided_by": "editor", "rejected": False, "mentions": 1,
    }
    link = ArticlePerson.objects.get(article=article, person=khalilzad)
    assert (link.decided_by, link.rejected) == (DecidedBy.EDITOR, False)
    listed = api_client.get("/api/articles/", {"person": "zalmay-khalilzad"}).json()["results"]
    assert [item["id"] for item in listed] == [article.pk]


def test_editor_rejects_a_taggers_tag_by_id(staff_client, api_client, make_article):
    article = make_article(organizations=["taliban"])
    taliban = article.organization_links.get().organization
    response = tag(staff_client, article, kind="organization", entity=str(taliban.pk), decision="reject")
    assert response.status_code == 200, response.content
    assert response.json()["rejected"] is True and response.json()["decided_by"] == "editor"
    assert api_client.get("/api/articles/", {"organization": "taliban"}).json()["results"] == []
    assert api_client.get(f"/api/articles/{article.pk}/").json()["organizations"] == []


def test_deciding_twice_keeps_one_link(staff_client, make_article):
    article = make_article()
    for decision in ("add", "reject", "add"):
        assert tag(staff_client, article, kind="place", entity="doha", decision=decision).status_code == 200
    assert article.place_links.get().rejected is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "person", "entity": "nobody-at-all", "decision": "add"}, "entity"),
        ({"kind": "person", "entity": "999999999", "decision": "add"}, "entity"),
        ({"kind": "planet", "entity": "doha", "decision": "add"}, "kind"),
        ({"kind": "place", "entity": "doha", "decision": "maybe"}, "decision"),
        ({"kind": "place", "decision": "add"}, "entity"),
        ({"kind": "place", "entity": "x" * 400, "decision": "add"}, "entity"),
    ],
)
def test_bad_decision_is_400_with_the_field(staff_client, make_article, body, field):
    response = tag(staff_client, make_article(), **body)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_malformed_json_is_400(staff_client, make_article):
    article = make_article()
    response = staff_client.post(f"/api/articles/{article.pk}/tags/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_decision_on_a_missing_article_is_404(staff_client):
    response = staff_client.post("/api/articles/999999/tags/", {"kind": "place", "entity": "doha", "decision": "add"})
    assert response.status_code == 404


def test_anonymous_gets_401_with_the_scheme(api_client, make_article):
    response = tag(api_client, make_article(), kind="place", entity="doha", decision="add")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_logged_in_reader_gets_403(reader_client, make_article):
    article = make_article()
    assert tag(reader_client, article, kind="place", entity="doha", decision="add").status_code == 403
    assert not article.place_links.exists()


def test_token_of_an_editor_works(editor, make_article):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert tag(client, make_article(), kind="place", entity="doha", decision="add").status_code == 200


def test_session_write_needs_the_csrf_token(editor, make_article):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = tag(client, make_article(), kind="place", entity="doha", decision="add")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_endpoints_refuse_writes(staff_client, method):
    response = getattr(staff_client, method)("/api/people/zalmay-khalilzad/", {}, format="json")
    assert response.status_code == 405
