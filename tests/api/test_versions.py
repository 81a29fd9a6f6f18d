"""The API exposes an article's earlier versions and the copy claim an item is."""

from __future__ import annotations

import pytest

from articles.api.pagination import Keyset, Position, encode_cursor
from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article, CopyClaim

pytestmark = pytest.mark.django_db

URL = "https://kabul-ledger.example/2020/02/doha-round"
BODY = "DOHA — Zalmay Khalilzad met Abdul Ghani Baradar in Doha on Tuesday, officials said."


def store(title: str, body: str = BODY, *, source: str = "The Kabul Ledger") -> Article:
    article, _ = article_upsert(document=ParsedDocument(url=URL, title=title, body=body, source_name=source))
    return article


def test_versions_newest_first_with_their_fields(api_client):
    for n in range(1, 5):
        article = store(f"Khalilzad meets Baradar, take {n}", BODY + f" Update {n}.")

    page = api_client.get(f"/api/articles/{article.pk}/versions/", {"page_size": 2}).json()

    assert [v["number"] for v in page["results"]] == [3, 2]
    first = page["results"][0]
    assert set(first) == {
        "number", "title", "byline", "source", "published_at", "fetched_at", "superseded_at", "content_hash", "body",
    }
    assert first["title"] == "Khalilzad meets Baradar, take 3" and first["body"].endswith("Update 3.")
    assert first["source"]["name"] == "The Kabul Ledger"
    rest = api_client.get(page["next"]).json()
    assert [v["number"] for v in rest["results"]] == [1] and rest["next"] is None
    assert api_client.get(f"/api/articles/{article.pk}/").json()["version_count"] == 3


@pytest.mark.parametrize("position", [Position(2**70, 1), Position("two", 1), Position(2, 2**70)])
def test_a_tampered_versions_cursor_is_400(api_client, position):
    article = store("Khalilzad meets Baradar")
    cursor = encode_cursor(Keyset("number", descending=True), position)
    response = api_client.get(f"/api/articles/{article.pk}/versions/", {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_versions_of_an_unknown_or_unchanged_article(api_client):
    assert api_client.get("/api/articles/999999/versions/").status_code == 404
    assert api_client.get("/api/articles/99999999999999999999/versions/").status_code == 404
    article = store("Khalilzad meets Baradar")
    assert api_client.get(f"/api/articles/{article.pk}/versions/").json() == {"next": None, "results": []}


def test_a_copy_says_what_it_claimed(api_client):
    original = store("Khalilzad meets Baradar")
    copy = store("FAKE: Baradar walks out", "FAKE: the talks collapsed, says an item of another outlet.", source="Hostile Wire")

    data = api_client.get(f"/api/articles/{copy.pk}/").json()

    assert data["copy_claim"] == {"original": {"id": original.pk, "url": URL}, "claimed_url": URL, "review": "pending"}
    assert api_client.get(f"/api/articles/{original.pk}/").json()["copy_claim"] is None
    original.delete()
    assert api_client.get(f"/api/articles/{copy.pk}/").json()["copy_claim"]["original"] is None
    assert CopyClaim.objects.get().original is None
