"""/api/articles/?q=: the page's search cases (tests/browse/search_corpus.py) through the API, on
whichever database the run uses, with the same expectations."""

from __future__ import annotations

import pytest

from tests.browse.search_corpus import CASES, search_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(db):
    return search_articles()


@pytest.mark.parametrize("text", CASES)
def test_the_api_finds_what_the_list_finds(api_client, searched, text):
    response = api_client.get("/api/articles/", {"q": text, "page_size": 100})
    assert response.status_code == 200, response.content
    assert {item["id"] for item in response.json()["results"]} == {searched[key].pk for key in CASES[text]}


def test_the_api_pages_a_search_newest_first(api_client, searched):
    first = api_client.get("/api/articles/", {"q": "Khalilzad or Baradar", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    ids = [item["id"] for item in first["results"] + second["results"]]
    assert ids == [searched[key].pk for key in ("baradar", "envoy", "envoy-and-ghani")]
