"""Names by alias: an entity parameter given as a name, an alias, an acronym or in another case
goes to the canonical slug; a name of several entities offers them; an unknown one is a 400 with
the reason. On the list, the timeline and the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Person
from articles.queries import names

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")
EVENTS = reverse("articles:events")


@pytest.fixture(autouse=True)
def fresh_names():
    """Each test reads the knowledge base as it is, not a map built before a rolled-back test."""
    names.names_forget()


@pytest.mark.parametrize(("params", "location"), [
    ({"person": "khalilzad"}, "?person=zalmay-khalilzad"),  # an alias shown on his page
    ({"person": "Zal Khalilzad"}, "?person=zalmay-khalilzad"),
    ({"person": "ZALMAY KHALILZAD"}, "?person=zalmay-khalilzad"),
    ({"person": "Zalmay-Khalilzad"}, "?person=zalmay-khalilzad"),
    ({"person": ["abdul-ghani-baradar", "Khalilzad"], "q": "Doha"},
     "?person=abdul-ghani-baradar&person=zalmay-khalilzad&q=Doha"),
    ({"organization": "ANA"}, "?organization=afghan-national-army"),  # an acronym
    ({"place": "DOHA"}, "?place=doha"),
    ({"source": "Kabul Ledger"}, "?source=kabul-ledger"),  # an outlet by its name
])
def test_a_name_goes_to_the_slug(client, corpus, params, location):
    response = client.get(LIST, params)
    assert response.status_code == 302
    assert response["Location"] == LIST + location
    assert client.get(response["Location"]).status_code == 200


def test_a_name_of_several_entities_offers_each(client, corpus):
    response = client.get(LIST, {"organization": "National Security Council", "q": "talks"})
    assert response.status_code == 300
    html = response.content.decode()
    assert "“National Security Council” is the name of 2 organizations" in html
    for slug in ("afghan-national-security-council", "us-national-security-council"):
        assert f'href="{LIST}?organization={slug}&amp;q=talks"' in html
        assert client.get(f"{LIST}?organization={slug}&q=talks").status_code == 200


def test_an_unknown_name_is_a_400_that_says_so(client, corpus):
    response = client.get(LIST, {"person": "khalilzadd"})
    assert response.status_code == 400
    assert "No person is known by “khalilzadd”." in response.content.decode()


def test_the_timeline_takes_names_too(client, corpus):
    response = client.get(EVENTS, {"person": "Khalilzad", "organization": "the taliban"})
    assert response.status_code == 302
    assert response["Location"] == EVENTS + "?person=zalmay-khalilzad&organization=taliban"
    choices = client.get(EVENTS, {"organization": "US Embassy"})
    assert choices.status_code == 300 and "?organization=us-embassy-in-kabul" in choices.content.decode()
    assert client.get(EVENTS, {"place": "Atlantis"}).status_code == 400


def test_a_valid_query_never_reads_the_names(client, corpus, monkeypatch):
    def refuse():
        raise AssertionError("the names were read for a valid query")

    monkeypatch.setattr(names, "_build", refuse)
    assert client.get(LIST, {"person": "zalmay-khalilzad"}).status_code == 200
    assert client.get(EVENTS, {"person": "zalmay-khalilzad"}).status_code == 200
    assert client.get("/api/articles/", {"person": "zalmay-khalilzad"}).status_code == 200


def test_an_edit_is_seen_at_once(client, corpus):
    assert client.get(LIST, {"person": "Envoy Zal"}).status_code == 400
    person = Person.objects.get(slug="zalmay-khalilzad")
    person.aliases = [*person.aliases, "Envoy Zal"]
    person.save()
    response = client.get(LIST, {"person": "envoy zal"})
    assert response.status_code == 302 and response["Location"] == LIST + "?person=zalmay-khalilzad"


def test_the_api_resolves_a_name_and_lists_the_choices_of_an_ambiguous_one(client, corpus):
    by_slug = client.get("/api/articles/", {"person": "zalmay-khalilzad"}).json()["results"]
    by_alias = client.get("/api/articles/", {"person": ["Khalilzad", "zalmay-khalilzad"]})
    assert by_alias.status_code == 200 and by_alias.json()["results"] == by_slug
    ambiguous = client.get("/api/articles/", {"organization": "National Security Council"})
    assert ambiguous.status_code == 400
    [reason] = ambiguous.json()["errors"]["organization"]
    assert "afghan-national-security-council" in reason and "us-national-security-council" in reason
    unknown = client.get("/api/articles/", {"person": "khalilzadd"})
    assert unknown.status_code == 400 and "khalilzadd" in unknown.json()["errors"]["person"][0]
    events = client.get("/api/events/", {"person": "KHALILZAD"})
    assert events.status_code == 200 and events.json()["results"]


def test_names_are_read_in_one_query_per_kind(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"person": "khalilzad"})
    def name_reads(captured) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if '"slug" AS "slug"' in q["sql"]]

    assert len(name_reads(queries)) == 1  # the people's names only, read when first asked for
    with CaptureQueriesContext(connection) as other:
        client.get(LIST, {"organization": "ANA"})
    assert len(name_reads(other)) == 1
    with CaptureQueriesContext(connection) as again:
        client.get(LIST, {"organization": "ANA", "person": "khalilzad"})
    assert name_reads(again) == []  # kept for NAMES_SECONDS
