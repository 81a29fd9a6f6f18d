"""The filtered list and the detail page: content, errors and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest import ParsedDocument, article_upsert
from articles.tagging import article_tag

pytestmark = pytest.mark.django_db


def test_list_filtered_by_person_lists_seed(client, seed_article):
    response = client.get(reverse("articles:list"), {"person": "zalmay-khalilzad"})
    assert response.status_code == 200
    assert seed_article.title in response.content.decode()


def test_list_filters_that_exclude(client, seed_article):
    response = client.get(reverse("articles:list"), {"person": "zalmay-khalilzad", "date_before": "2001-01-01"})
    assert response.status_code == 200
    assert seed_article.title not in response.content.decode()
    assert "No articles match" in response.content.decode()


def test_detail_links_every_must_person(client, seed_article, seed_gold):
    response = client.get(reverse("articles:detail", args=[seed_article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for person in seed_gold["people"]["must"]:
        slug = person["name"].lower().replace(" ", "-")
        assert f'href="/people/{slug}/"' in html, person["name"]


@pytest.mark.parametrize(
    "params",
    [
        {"person": "no-such-person"},
        {"date_after": "2021-13-45"},
        {"date_after": "2021-03-10", "date_before": "2021-03-01"},
        {"relevant": "maybe"},
        {"page": "0"},
        {"page": "abc"},
        {"topic": "x" * 5000},
        {"source": "\x00"},
    ],
)
def test_bad_parameters_give_400_with_reason(client, params):
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_missing_article_is_404(client):
    assert client.get(reverse("articles:detail", args=[999999])).status_code == 404


def _make_articles(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        document = ParsedDocument(
            url=f"https://example.org/{i}",
            title=f"Khalilzad meets Baradar in Doha, part {i}",
            body=f"DOHA – Zalmay Khalilzad met Abdul Ghani Baradar of the Taliban in Doha on the Doha agreement ({i}).",
            source_name="Example Wire",
        )
        article, _ = article_upsert(document=document)
        article_tag(article=article)


def test_list_query_count_does_not_grow_with_page_size(client):
    _make_articles(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("articles:list"), {"person": "zalmay-khalilzad"}).status_code == 200
    _make_articles(20, start=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("articles:list"), {"person": "zalmay-khalilzad"})
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 23
    assert len(large) == len(small) <= 12, [q["sql"] for q in large.captured_queries]


def test_detail_query_count_is_fixed(client, seed_article):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("articles:detail", args=[seed_article.pk]))
    assert len(queries) <= 17


def test_security_headers(client):
    response = client.get(reverse("articles:list"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
