"""Keyset pagination: walking every page sees each row once, in order, undated rows last."""

from __future__ import annotations

import base64
import json

import pytest

from articles.models import Event, Person
from tests.api.conftest import at

pytestmark = pytest.mark.django_db


def walk(client, path: str, params: dict) -> tuple[list[int], int]:
    """Every id the list gives, following `next` links; and the number of pages."""
    seen, pages = [], 0
    response = client.get(path, params)
    while True:
        assert response.status_code == 200, response.content
        data = response.json()
        seen += [item["id"] for item in data["results"]]
        pages += 1
        if data["next"] is None:
            return seen, pages
        assert data["next"].startswith("http://testserver/")
        response = client.get(data["next"])


@pytest.fixture
def dated_and_undated(make_article):
    """Eleven articles: ties on one instant, distinct days, and three without a date."""
    tie = at("2021-03-09")
    articles = [make_article(published_at=tie) for _ in range(4)]
    articles += [make_article(published_at=at(f"2021-0{month}-01")) for month in (1, 2, 4, 5)]
    articles += [make_article() for _ in range(3)]
    return articles


def newest_first(articles):
    dated = sorted((a for a in articles if a.published_at), key=lambda a: (a.published_at, a.pk), reverse=True)
    undated = sorted((a for a in articles if not a.published_at), key=lambda a: a.pk, reverse=True)
    return [a.pk for a in dated + undated]


def oldest_first(articles):
    dated = sorted((a for a in articles if a.published_at), key=lambda a: (a.published_at, a.pk))
    undated = sorted((a for a in articles if not a.published_at), key=lambda a: a.pk)
    return [a.pk for a in dated + undated]


@pytest.mark.parametrize("page_size", [1, 2, 3, 4, 10, 11, 25])
def test_walk_newest_first_sees_every_article_once(api_client, dated_and_undated, page_size):
    seen, pages = walk(api_client, "/api/articles/", {"page_size": page_size})
    assert seen == newest_first(dated_and_undated)
    assert pages == max(1, -(-len(seen) // page_size))


@pytest.mark.parametrize("page_size", [1, 3, 4])
def test_walk_oldest_first(api_client, dated_and_undated, page_size):
    seen, _ = walk(api_client, "/api/articles/", {"page_size": page_size, "sort": "oldest"})
    assert seen == oldest_first(dated_and_undated)


def test_cursor_keeps_the_filters_of_the_first_request(api_client, make_article):
    mentioned = [make_article(published_at=at(f"2021-03-{day:02d}"), people=["zalmay-khalilzad"]) for day in (1, 2, 3)]
    make_article(published_at=at("2021-03-04"))
    seen, pages = walk(api_client, "/api/articles/", {"person": "zalmay-khalilzad", "page_size": 2})
    assert seen == [a.pk for a in reversed(mentioned)] and pages == 2


def test_rows_added_while_walking_are_neither_repeated_nor_skipped_behind_the_cursor(api_client, make_article):
    older = [make_article(published_at=at(f"2021-01-{day:02d}")) for day in (1, 2, 3, 4)]
    first = api_client.get("/api/articles/", {"page_size": 2}).json()
    make_article(published_at=at("2022-01-01"))  # newer than the whole first page
    second = api_client.get(first["next"]).json()
    assert [i["id"] for i in first["results"] + second["results"]] == [a.pk for a in reversed(older)]


def test_entities_page_by_name_in_the_database_collation(api_client):
    seen, _ = walk(api_client, "/api/people/", {"page_size": 100})
    assert seen == list(Person.objects.order_by("name", "id").values_list("id", flat=True))
    assert len(seen) > 300


def test_events_page_latest_first_then_undated(api_client):
    seen, _ = walk(api_client, "/api/events/", {"page_size": 40})
    dated = Event.objects.filter(start_date__isnull=False).order_by("-start_date", "-id").values_list("id", flat=True)
    undated = Event.objects.filter(start_date__isnull=True).order_by("-id").values_list("id", flat=True)
    assert seen == [*dated, *undated]


def cursor(token: str, value, pk) -> str:
    return base64.urlsafe_b64encode(json.dumps([token, value, pk]).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        "%%%",
        base64.urlsafe_b64encode(b"not json").decode(),
        cursor("-published_at", "yesterday", 5),
        cursor("-published_at", "2021-03-09T12:00:00", 5),  # no time zone
        cursor("-published_at", "2021-03-09T12:00:00+00:00", "5"),
        cursor("-published_at", "2021-03-09T12:00:00+00:00", 0),
        cursor("-published_at", "2021-03-09T12:00:00+00:00", 2**70),
        cursor("-published_at", ["a"], 5),
        cursor("name", "Zalmay", 5),  # another list's cursor
        cursor("published_at", None, 5),  # another order's cursor
    ],
)
def test_tampered_cursor_is_400(api_client, raw):
    response = api_client.get("/api/articles/", {"cursor": raw})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_undated_cursor_on_a_column_that_is_never_null_is_400(api_client):
    response = api_client.get("/api/people/", {"cursor": cursor("name", None, 5)})
    assert response.status_code == 400
