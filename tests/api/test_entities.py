"""People, organizations, places, topics, outlets and events: lists, detail by id or slug, 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Event, Organization, Person, Place, Source, Topic

pytestmark = pytest.mark.django_db

ENTITY = {"id", "name", "slug", "aliases", "description", "wikidata_id", "reviewed"}
ENDPOINTS = {
    "people": (Person, ENTITY | {"title", "affiliation", "nationality", "roles"}),
    "organizations": (Organization, ENTITY | {"kind", "acronyms", "country", "parent"}),
    "places": (Place, ENTITY | {"kind", "country_code", "latitude", "longitude", "parent"}),
    "topics": (Topic, ENTITY | {"parent"}),
    "sources": (Source, {"id", "name", "slug", "homepage", "country", "is_demo"}),
    "events": (Event, {
        "id", "slug", "title", "kind", "date", "place", "participants", "date_precision", "end_date", "summary",
        "reference", "confidence", "reviewed",
    }),
}


@pytest.fixture(autouse=True)
def an_outlet(source):
    return source


@pytest.mark.parametrize("kind", ENDPOINTS)
def test_list_and_detail_by_id_and_by_slug(api_client, kind):
    model, fields = ENDPOINTS[kind]
    response = api_client.get(f"/api/{kind}/")
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert set(first) == fields
    by_id = api_client.get(f"/api/{kind}/{first['id']}/").json()
    by_slug = api_client.get(f"/api/{kind}/{first['slug']}/").json()
    assert by_id == by_slug == first
    assert model.objects.filter(pk=first["id"], slug=first["slug"]).exists()


@pytest.mark.parametrize("kind", ENDPOINTS)
@pytest.mark.parametrize("identifier", ["no-such-thing", "999999999", "9" * 30, "%E2%80%AE"])
def test_unknown_identifier_is_404(api_client, kind, identifier):
    response = api_client.get(f"/api/{kind}/{identifier}/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("kind", ENDPOINTS)
def test_list_query_count_is_fixed(api_client, kind):
    with CaptureQueriesContext(connection) as one:
        api_client.get(f"/api/{kind}/", {"page_size": 1})
    with CaptureQueriesContext(connection) as hundred:
        api_client.get(f"/api/{kind}/", {"page_size": 100})
    assert len(one) == len(hundred) <= 3, [query["sql"] for query in hundred.captured_queries]


def test_person_detail_has_roles_and_affiliation(api_client):
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    data = api_client.get("/api/people/zalmay-khalilzad/").json()
    assert data["name"] == khalilzad.name
    assert len(data["roles"]) == khalilzad.roles.count() > 0
    for role in data["roles"]:
        assert set(role) == {"title", "organization", "start_date", "end_date"}
    if khalilzad.affiliation:
        assert data["affiliation"]["slug"] == khalilzad.affiliation.slug


def test_event_detail_has_participants_with_roles_and_place(api_client):
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad", place__isnull=False).first()
    data = api_client.get(f"/api/events/{event.slug}/").json()
    assert data["place"] == {"id": event.place.pk, "name": event.place.name, "slug": event.place.slug}
    participants = {p["slug"]: p for p in data["participants"]}
    assert participants["zalmay-khalilzad"]["kind"] == "person"
    assert participants["zalmay-khalilzad"]["role"] == event.participants.get(person__slug="zalmay-khalilzad").role


# Events filter like the timeline: person, organization, place, kind, dates


def event_ids(client, params) -> set[int]:
    ids, response = set(), client.get("/api/events/", {**params, "page_size": 100})
    while True:
        assert response.status_code == 200, response.content
        ids |= {item["id"] for item in response.json()["results"]}
        if not response.json()["next"]:
            return ids
        response = client.get(response.json()["next"])


def test_events_by_person_slug_or_id(api_client):
    expected = set(Event.objects.filter(participants__person__slug="zalmay-khalilzad").values_list("id", flat=True))
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    assert expected
    assert event_ids(api_client, {"person": "zalmay-khalilzad"}) == expected
    assert event_ids(api_client, {"person": khalilzad.pk}) == expected


def test_events_by_organization(api_client):
    expected = set(Event.objects.filter(participants__organization__slug="taliban").values_list("id", flat=True))
    assert expected and event_ids(api_client, {"organization": "taliban"}) == expected


def test_events_by_place_and_kind(api_client):
    expected = set(Event.objects.filter(place__slug="doha", kind__in=["meeting", "talks"]).values_list("id", flat=True))
    assert expected
    assert event_ids(api_client, {"place": "doha", "kind": ["meeting", "talks"]}) == expected


def test_events_by_dates(api_client):
    after, before = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
    got = Event.objects.filter(pk__in=event_ids(api_client, {"date_after": after, "date_before": before}))
    assert got.exists()
    for event in got:
        assert event.start_date <= before and (event.end_date or event.start_date) >= after


@pytest.mark.parametrize(
    ("params", "field"),
    [({"person": "nobody"}, "person"), ({"kind": "picnic"}, "kind"), ({"date_before": "soon"}, "date_before"),
     ({"place": "atlantis"}, "place"), ({"organization": "\x00"}, "organization")],
)
def test_bad_event_filter_is_400(api_client, params, field):
    response = api_client.get("/api/events/", params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_api_root_lists_every_collection(api_client):
    assert set(api_client.get("/api/").json()) == set(ENDPOINTS) | {"articles"}


def test_unknown_api_path_is_json_404(api_client):
    response = api_client.get("/api/nothing/here/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/articles/x%0Ay/", "/api/articles/%15z%0A%C2%A0/tags/"])
def test_api_path_with_a_newline_is_json_404(api_client, path):
    """Found by the schemathesis run: `.` in the catch-all stopped at a newline, and Django's HTML 404 answered."""
    response = api_client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
