"""/api/articles/: the export's fields, every filter of the pages, errors with reasons, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Event, Person, Source
from tests.api.conftest import at

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "id", "url", "title", "source", "published_at", "published_precision", "language", "is_relevant",
    "duplicate_of", "byline", "people", "organizations", "places", "topics", "events",
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_done_when_person_and_march_2021_returns_the_seed_with_its_tags(api_client, seed_article, seed_gold):
    response = api_client.get(
        "/api/articles/", {"person": "zalmay-khalilzad", "date_after": "2021-03-01", "date_before": "2021-03-31"}
    )
    assert ids(response) == [seed_article.pk]
    article = response.json()["results"][0]
    people = {person["name"] for person in article["people"]}
    assert {person["name"] for person in seed_gold["people"]["must"]} <= people
    assert "Taliban" in {org["name"] for org in article["organizations"]}
    assert {"Islamabad", "Afghanistan", "Pakistan"} <= {place["name"] for place in article["places"]}
    assert article["topics"], "the seed is about the peace process"
    assert any(event["kind"] == "meeting" and event["date"] == "2021-03-08" for event in article["events"])
    for kind in ("people", "organizations", "places", "topics"):
        assert all(set(entity) == {"id", "name", "slug"} for entity in article[kind])


def test_list_item_carries_the_export_fields_with_references(api_client, make_article):
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad").order_by("id").first()
    article = make_article(
        published_at=at("2020-02-29"), people=["zalmay-khalilzad"], organizations=["taliban"], places=["doha"],
        topics=["doha-agreement"], events=[event.slug],
    )
    [item] = api_client.get("/api/articles/").json()["results"]
    assert set(item) == LIST_FIELDS
    assert item["id"] == article.pk
    assert item["published_at"] == "2020-02-29T12:00:00+00:00"
    assert item["source"] == {"id": article.source_id, "name": "Example Wire", "slug": "example-wire"}
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    assert item["people"] == [{"id": khalilzad.pk, "name": khalilzad.name, "slug": "zalmay-khalilzad"}]
    assert [org["slug"] for org in item["organizations"]] == ["taliban"]
    assert [place["slug"] for place in item["places"]] == ["doha"]
    assert [topic["slug"] for topic in item["topics"]] == ["doha-agreement"]
    [embedded] = item["events"]
    assert embedded["slug"] == event.slug and embedded["kind"] == event.kind
    assert embedded["date"] == (event.start_date.isoformat() if event.start_date else None)
    assert {"kind": "person", "id": khalilzad.pk, "name": khalilzad.name, "slug": "zalmay-khalilzad"}.items() <= (
        next(p for p in embedded["participants"] if p["slug"] == "zalmay-khalilzad").items()
    )
    assert item["duplicate_of"] is None


def test_detail_adds_body_and_quotes_and_shows_a_duplicate(api_client, make_article):
    original = make_article(published_at=at("2021-01-01"))
    copy = make_article(published_at=at("2021-01-02"), body="Copied text.")
    copy.duplicate_of = original
    copy.save()
    data = api_client.get(f"/api/articles/{copy.pk}/").json()
    assert set(data) == LIST_FIELDS | {"body", "quotes", "version_count", "copy_claim"}
    assert data["body"] == "Copied text."
    assert data["quotes"] == []
    assert data["version_count"] == 0 and data["copy_claim"] is None
    assert data["duplicate_of"] == {"id": original.pk, "url": original.url}


def test_detail_of_seed_lists_its_quotes(api_client, seed_article):
    data = api_client.get(f"/api/articles/{seed_article.pk}/").json()
    speakers = {quote["speaker"]["slug"] for quote in data["quotes"]}
    assert "antony-blinken" in speakers, "the seed quotes Blinken's letter"
    for quote in data["quotes"]:
        assert set(quote) == {"text", "speaker", "attribution", "offset"}
        assert set(quote["speaker"]) == {"kind", "id", "name", "slug"}
        assert data["body"][quote["offset"]:].startswith(quote["text"]), "the offset points at the quotation"


def test_detail_shows_an_article_the_list_hides(api_client, make_article):
    off_topic = make_article(is_relevant=False)
    assert ids(api_client.get("/api/articles/")) == []
    assert api_client.get(f"/api/articles/{off_topic.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/api/articles/999999/", "/api/articles/abc/", "/api/articles/99999999999999999999/"])
def test_missing_article_is_404_with_detail(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


# Filters: the pages' FilterSet, entities by slug or id


@pytest.fixture
def corpus(make_article):
    """Five articles; the names say what each mentions."""
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad").order_by("id").first()
    other = Source.objects.create(name="Other Outlet", slug="other-outlet")
    return {
        "khalilzad_doha": make_article(
            published_at=at("2020-02-29"), people=["zalmay-khalilzad"], places=["doha"], topics=["doha-agreement"],
            events=[event.slug], body="The envoy signed in Doha.",
        ),
        "khalilzad_baradar": make_article(
            published_at=at("2020-03-05"), people=["zalmay-khalilzad", "abdul-ghani-baradar"],
            organizations=["taliban"], article_source=other,
        ),
        "baradar": make_article(published_at=at("2021-03-09"), people=["abdul-ghani-baradar"], places=["islamabad"]),
        "rejected_khalilzad": make_article(
            published_at=at("2021-04-01"), people=["zalmay-khalilzad"], rejected=("zalmay-khalilzad",)
        ),
        "off_topic": make_article(published_at=at("2021-05-01"), is_relevant=False, people=["abdul-ghani-baradar"]),
        "event": event,
        "other_source": other,
    }


def expect(api_client, params, *names, corpus):
    assert ids(api_client.get("/api/articles/", params)) == [corpus[name].pk for name in names]


def test_filter_person_by_slug_by_id_and_repeated(api_client, corpus):
    baradar = Person.objects.get(slug="abdul-ghani-baradar")
    expect(api_client, {"person": "zalmay-khalilzad"}, "khalilzad_baradar", "khalilzad_doha", corpus=corpus)
    expect(api_client, {"person": str(baradar.pk)}, "baradar", "khalilzad_baradar", corpus=corpus)
    expect(
        api_client, {"person": ["zalmay-khalilzad", str(baradar.pk)]},
        "baradar", "khalilzad_baradar", "khalilzad_doha", corpus=corpus,
    )
    expect(
        api_client, {"person": ["zalmay-khalilzad", "abdul-ghani-baradar"], "match": "all"},
        "khalilzad_baradar", corpus=corpus,
    )


def test_filter_organization_place_topic(api_client, corpus):
    expect(api_client, {"organization": "taliban"}, "khalilzad_baradar", corpus=corpus)
    expect(api_client, {"place": ["doha", "islamabad"]}, "baradar", "khalilzad_doha", corpus=corpus)
    expect(api_client, {"topic": "doha-agreement"}, "khalilzad_doha", corpus=corpus)


def test_filter_source_by_slug_and_id(api_client, corpus):
    expect(api_client, {"source": "other-outlet"}, "khalilzad_baradar", corpus=corpus)
    expect(api_client, {"source": str(corpus["other_source"].pk)}, "khalilzad_baradar", corpus=corpus)


def test_filter_event_by_slug_and_id(api_client, corpus):
    expect(api_client, {"event": corpus["event"].slug}, "khalilzad_doha", corpus=corpus)
    expect(api_client, {"event": str(corpus["event"].pk)}, "khalilzad_doha", corpus=corpus)


def test_filter_dates_include_both_ends(api_client, corpus):
    expect(
        api_client, {"date_after": "2020-03-05"}, "rejected_khalilzad", "baradar", "khalilzad_baradar", corpus=corpus
    )
    expect(api_client, {"date_before": "2020-03-05"}, "khalilzad_baradar", "khalilzad_doha", corpus=corpus)
    expect(api_client, {"date_after": "2020-03-01", "date_before": "2020-03-31"}, "khalilzad_baradar", corpus=corpus)


def test_filter_relevant(api_client, corpus):
    expect(api_client, {"relevant": "no"}, "off_topic", corpus=corpus)
    everything = ["off_topic", "rejected_khalilzad", "baradar", "khalilzad_baradar", "khalilzad_doha"]
    expect(api_client, {"relevant": "all"}, *everything, corpus=corpus)
    expect(api_client, {"relevant": "yes"}, *everything[1:], corpus=corpus)


def test_filter_q_searches_the_text(api_client, corpus):
    expect(api_client, {"q": "envoy signed"}, "khalilzad_doha", corpus=corpus)


def test_sort_oldest_first(api_client, corpus):
    expect(
        api_client, {"sort": "oldest"},
        "khalilzad_doha", "khalilzad_baradar", "baradar", "rejected_khalilzad", corpus=corpus,
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"person": "no-such-person"}, "person"),
        ({"person": "999999999"}, "person"),
        ({"source": "\x00"}, "source"),
        ({"topic": "x" * 5000}, "topic"),
        ({"event": "no-such-event"}, "event"),
        ({"date_after": "2021-13-45"}, "date_after"),
        ({"date_after": "2021-03-10", "date_before": "2021-03-01"}, "date_before"),
        ({"relevant": "maybe"}, "relevant"),
        ({"sort": "relevance"}, "sort"),
        ({"match": "some"}, "match"),
        ({"q": "x" * 1000}, "q"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_parameter_is_400_naming_the_field_and_the_reason(api_client, params, field):
    response = api_client.get("/api/articles/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert all(isinstance(reason, str) and reason for reason in body["errors"][field])
    assert body["detail"].startswith(f"Invalid {field}:") or field in body["detail"]


def test_list_query_count_does_not_grow_with_the_page(api_client, make_article):
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad").order_by("id").first()
    tags = {
        "people": ["zalmay-khalilzad", "abdul-ghani-baradar"], "organizations": ["taliban"],
        "places": ["doha"], "topics": ["doha-agreement"], "events": [event.slug],
    }
    for day in range(1, 4):
        make_article(published_at=at(f"2020-01-{day:02d}"), **tags)
    params = {"person": "zalmay-khalilzad", "date_after": "2019-01-01", "page_size": 100}
    with CaptureQueriesContext(connection) as small:
        assert len(ids(api_client.get("/api/articles/", params))) == 3
    for day in range(4, 29):
        make_article(published_at=at(f"2020-01-{day:02d}"), **tags)
    make_article(**tags)  # no date: the second segment of the keyset
    with CaptureQueriesContext(connection) as large:
        assert len(ids(api_client.get("/api/articles/", {**params, "date_after": ""}))) == 29
    # The undated segment costs one query more when the page reaches it; nothing grows with rows.
    assert len(large) <= len(small) + 1 <= 10, [query["sql"] for query in large.captured_queries]


def test_detail_query_count_is_fixed(api_client, seed_article):
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/articles/{seed_article.pk}/").status_code == 200
    # 8 for the article, its tags, events and quotes; 2 for its history (versions counted, copy claim).
    assert len(queries) <= 10, [query["sql"] for query in queries.captured_queries]
