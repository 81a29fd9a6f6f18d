"""The article page says "updated N times" and the versions page shows what changed, escaped, in fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.browse.versions import ADDED, REMOVED, SAME, Piece, body_diff, text_diff
from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article

pytestmark = pytest.mark.django_db

URL = "https://kabul-ledger.example/2020/02/doha-round"
FIRST = (
    "DOHA — Zalmay Khalilzad met Abdul Ghani Baradar in Doha on Tuesday.\n\n"
    "Both sides called the meeting useful.\n\nThe talks will resume next week."
)
SECOND = (
    "DOHA — Zalmay Khalilzad met Abdul Ghani Baradar in Doha on Tuesday evening.\n\n"
    "The talks will resume next week.\n\nA ceasefire was not discussed, a spokesman said."
)
PAYLOAD = "<script>alert(1)</script> and <img src=x onerror=alert(2)>"


def store(title: str, body: str, *, source: str = "The Kabul Ledger") -> Article:
    article, _ = article_upsert(document=ParsedDocument(url=URL, title=title, body=body, source_name=source))
    return article


@pytest.fixture
def edited() -> Article:
    store("Khalilzad meets Baradar", FIRST)
    store("Khalilzad meets Baradar in Doha", SECOND)
    return store("Khalilzad meets Baradar in Doha", SECOND + "\n\n" + PAYLOAD)


def test_words_and_paragraphs_are_compared():
    assert text_diff("Khalilzad meets Baradar", "Khalilzad meets Baradar in Doha") == (
        Piece(SAME, "Khalilzad meets Baradar"), Piece(ADDED, " in Doha"),
    )
    paragraphs = body_diff(FIRST, SECOND)
    assert [p.change for p in paragraphs] == ["", REMOVED, SAME, ADDED]
    assert Piece(ADDED, " evening") in paragraphs[0].pieces
    assert paragraphs[1].pieces == (Piece(REMOVED, "Both sides called the meeting useful."),)


def test_the_article_page_says_how_often_it_was_updated(client, edited):
    html = client.get(edited.get_absolute_url()).content.decode()
    assert f'href="{edited.get_versions_url()}">Updated 2 times' in html
    fresh = store("Another story", "KABUL — Another story entirely, with words enough to stand alone.", source="Other")
    assert "Updated" not in client.get(fresh.get_absolute_url()).content.decode()


def test_the_versions_page_shows_the_changes_escaped(client, edited):
    response = client.get(edited.get_versions_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Version 2 → version 3 (current)" in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt;</ins>" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count('class="version-number"') == 3

    first_change = client.get(edited.get_versions_url(), {"from": 1, "to": 2}).content.decode()
    assert "<del>Both sides called the meeting useful.</del>" in first_change
    assert "Khalilzad meets Baradar<ins> in Doha</ins>" in first_change


@pytest.mark.parametrize("params", [{"from": "3", "to": "1"}, {"from": "0"}, {"to": "9"}, {"from": "x"}, {"from": "2", "to": "2"}])
def test_bad_version_numbers_answer_400_with_the_reason(client, edited, params):
    response = client.get(edited.get_versions_url(), params)
    assert response.status_code == 400
    assert "could not be compared" in response.content.decode()


def test_an_article_never_changed_has_a_versions_page_saying_so(client):
    article = store("Khalilzad meets Baradar", FIRST)
    html = client.get(article.get_versions_url()).content.decode()
    assert "Unchanged since it was first stored" in html
    assert client.get("/articles/999999/versions/").status_code == 404


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_versions(client, edited):
    page, versions = queries(client, edited.get_absolute_url()), queries(client, edited.get_versions_url())
    for n in range(5):
        store("Khalilzad meets Baradar in Doha", SECOND + f"\n\nUpdate number {n}.")
    # The article page: 8 queries for the article, its tags, events, quotes and neighbours, and 2 for
    # its history (its versions counted, its copy claim). The versions page: the article with its
    # outlet, then every version with theirs.
    assert queries(client, edited.get_absolute_url()) == page == 10
    assert queries(client, edited.get_versions_url()) == versions == 2
