"""The article list: filters, search, sorting, paging, chips, facets, outputs, errors, query counts."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article
from articles.queries import keyset as pagination
from articles.tagging import article_tag

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")


def titles(response) -> list[str]:
    return [article.title for article in response.context["page"].articles]


def test_list_filtered_by_person_lists_seed(client, seed_article):
    response = client.get(LIST, {"person": "zalmay-khalilzad", "relevant": "all"})
    assert response.status_code == 200
    assert seed_article.title in response.content.decode()


def test_person_topic_and_march_2021_answer_the_question(client, corpus):
    """Which articles mention Zalmay Khalilzad and the Doha agreement in March 2021?"""
    response = client.get(LIST, {
        "person": "zalmay-khalilzad", "topic": "doha-agreement", "date_after": "2021-03-01", "date_before": "2021-03-31",
    })
    assert response.status_code == 200
    # One row per story: the Gulf Crescent Times' copy shows under the Kabul Ledger's original.
    assert titles(response) == [
        "Khalilzad visits Islamabad after Doha round",
        "Khalilzad meets Baradar in Doha to press for a reduction in violence",
    ]
    assert response.context["count"] == 2 and "2 stories" in response.content.decode()
    also_in = response.content.decode().split("Khalilzad meets Baradar in Doha")[1].split("</article>")[0]
    assert "Also in 1 other outlet:" in also_in and "Gulf Crescent Times" in also_in
    assert corpus.articles["talks-copy"].get_absolute_url() in also_in
    chips = [(chip.label, chip.value) for chip in response.context["chips"]]
    assert ("Person", "Zalmay Khalilzad") in chips and ("Topic", "Doha agreement") in chips
    assert ("From", "1 Mar 2021") in chips and ("To", "31 Mar 2021") in chips
    assert '<a href="#id_date_after" aria-current="true">Custom dates</a>' in response.content.decode()


def test_any_and_all_of_several_people(client, corpus):
    params = {"person": ["qamar-javed-bajwa", "abdullah-abdullah"]}
    any_of = titles(client.get(LIST, params))
    assert sorted(any_of) == ["Khalilzad visits Islamabad after Doha round", "Moscow conference calls for a ceasefire",
                              "Taliban enter Kabul as Ashraf Ghani leaves"]
    assert titles(client.get(LIST, {**params, "match": "all"})) == []
    both = titles(client.get(LIST, {"person": ["zalmay-khalilzad", "qamar-javed-bajwa"], "match": "all"}))
    assert both == ["Khalilzad visits Islamabad after Doha round"]


def test_event_and_source_filters(client, corpus):
    by_event = titles(client.get(LIST, {"event": corpus.event.slug}))
    assert by_event == [corpus.articles["talks"].title]  # the copy is the same story
    every_copy = titles(client.get(LIST, {"event": corpus.event.slug, "copies": "all"}))
    assert sorted(every_copy) == sorted([corpus.articles["talks"].title, corpus.articles["talks-copy"].title])
    by_source = titles(client.get(LIST, {"source": corpus.articles["islamabad"].source.slug}))
    assert by_source == [corpus.articles["islamabad"].title]
    # An outlet's list shows what it published, its copies of other outlets' stories included.
    copies = titles(client.get(LIST, {"source": corpus.articles["talks-copy"].source.slug}))
    assert copies == [corpus.articles["talks-copy"].title]


def test_relevance_filter_shows_off_topic_only_when_asked(client, corpus):
    assert "Cricket final goes to a super over" not in titles(client.get(LIST))
    assert "Cricket final goes to a super over" in titles(client.get(LIST, {"relevant": "no"}))


def test_search_finds_words_and_marks_them(client, corpus):
    response = client.get(LIST, {"q": "ceasefire"})
    assert titles(response) == ["Moscow conference calls for a ceasefire"]
    html = response.content.decode()
    assert "<mark>ceasefire</mark>" in html.lower() or "<mark>Ceasefire</mark>" in html


def test_search_snippet_escapes_the_text(client, corpus):
    # Stored directly: whatever ingestion cleans, the page must escape what it is given.
    Article.objects.create(url="https://news.example/markup", title="A <b>bold</b> claim", content_hash="x",
                           body="Zalmay Khalilzad said <script>alert(1)</script> the Doha agreement holds.")
    html = client.get(LIST, {"q": "Khalilzad holds", "relevant": "all"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<mark>" in html  # the page shows the snippet, with no markup from the text


def test_sort_orders(client, corpus):
    newest = titles(client.get(LIST, {"person": "zalmay-khalilzad"}))
    oldest = titles(client.get(LIST, {"person": "zalmay-khalilzad", "sort": "oldest"}))
    assert newest[0] == "Taliban enter Kabul as Ashraf Ghani leaves"
    assert oldest[0] == "US and Taliban sign the Doha agreement"
    by_relevance = client.get(LIST, {"person": "zalmay-khalilzad", "sort": "relevance"})
    assert by_relevance.status_code == 200 and set(titles(by_relevance)) == set(newest)


def test_keyset_pages_walk_every_article_once_undated_last(client, corpus):
    seen, params = [], {"relevant": "all", "person": "zalmay-khalilzad"}
    url = LIST + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    from articles.queries import articles as selectors

    original = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 3
    try:
        for _ in range(10):
            response = client.get(url)
            assert response.status_code == 200
            seen += titles(response)
            if not response.context["next_url"]:
                break
            url = LIST + response.context["next_url"]
    finally:
        selectors.PAGE_SIZE = original
    expected = titles(client.get(LIST, params))
    assert seen == expected and len(seen) == len(set(seen)) == 7  # 8 articles, one a copy
    assert seen[-2:] == ["Baradar returns to Doha", "Envoy Khalilzad says talks continue"]


def test_cursor_round_trip():
    import datetime as dt

    moment = dt.datetime(2021, 3, 9, 9, 30, 12, 345, tzinfo=dt.UTC)
    for cursor in (pagination.Cursor(moment, 42), pagination.Cursor(None, 7)):
        assert pagination.Cursor.decode(cursor.encode()) == cursor


def test_capped_count(corpus):
    assert pagination.capped_count(Article.objects.all(), cap=3) == (3, True)
    assert pagination.capped_count(Article.objects.all(), cap=100) == (Article.objects.count(), False)


def test_facets_count_the_result_and_link_to_narrow_it(client, corpus):
    response = client.get(LIST, {"topic": "doha-agreement"})
    facets = {facet.name: facet for facet in response.context["facets"]}
    people = {item.slug: item for item in facets["person"].items}
    assert people["zalmay-khalilzad"].count == len(titles(response))
    assert people["zalmay-khalilzad"].url.startswith("?topic=doha-agreement&person=zalmay-khalilzad")
    assert {item.slug for item in facets["source"].items} >= {"kabul-ledger", "indus-evening-post"}


def test_chip_removal_link_keeps_the_other_filters(client, corpus):
    response = client.get(LIST, {"person": ["zalmay-khalilzad", "abdul-ghani-baradar"], "q": "Doha"})
    remove = {chip.value: chip.remove_url for chip in response.context["chips"]}
    assert remove["Abdul Ghani Baradar"] == "?person=zalmay-khalilzad&q=Doha"
    assert remove["“Doha”"] == "?person=zalmay-khalilzad&person=abdul-ghani-baradar"


def test_typed_names_and_empty_values_redirect_to_the_clean_url(client, corpus):
    response = client.get(LIST, {"person": ["zalmay-khalilzad", "Abdul Ghani Baradar"], "topic": "", "q": "",
                                 "match": "any", "relevant": "yes", "copies": "stories"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == LIST + "?person=zalmay-khalilzad&person=abdul-ghani-baradar"


def test_empty_result_offers_to_widen(client, corpus):
    response = client.get(LIST, {"person": "qamar-javed-bajwa", "date_before": "2001-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "No articles match" in html
    assert "Without person Qamar Javed Bajwa" in html


def test_period_presets(client, corpus):
    assert client.get(LIST, {"period": "30d"}).status_code == 200
    response = client.get(LIST, {"period": "7d", "date_after": "2021-01-01"})
    assert response.status_code == 400
    assert "not both" in response.content.decode()


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
        {"q": "x" * 500},
        {"q": "bad\x00byte"},
        {"sort": "sideways"},
        {"match": "some"},
        {"period": "forever"},
        {"cursor": "not-a-cursor"},
        {"cursor": "d99999999999999999999.1"},
        {"event": "no-such-event"},
        {"person": [f"p{i}" for i in range(30)]},
    ],
)
def test_bad_parameters_give_400_with_reason(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def _make_articles(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        document = ParsedDocument(
            url=f"https://example.org/{i}",
            title=f"Khalilzad meets Baradar in Doha, part {i}",
            # Words of its own, or ingestion would take it for a copy of the first (one story).
            body="DOHA – Zalmay Khalilzad met Abdul Ghani Baradar of the Taliban in Doha on the Doha agreement. "
                 + " ".join(f"point{i}x{j}" for j in range(30)),
            source_name=f"Example Wire {i % 4}",
        )
        article, _ = article_upsert(document=document)
        article_tag(article=article)


@pytest.mark.parametrize("extra", [{}, {"q": "Doha"}, {"sort": "relevance"}, {"sort": "oldest", "match": "all"}])
def test_list_query_count_does_not_grow_with_page_size(client, extra):
    params = {"person": "zalmay-khalilzad", "relevant": "all", **extra}
    _make_articles(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST, params).status_code == 200
    _make_articles(20, start=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 23
    # 13 on a full page (with the language facet's one grouped query); a short result also reads
    # its undated rows (page, and facet sample when a rare entity drives the list); a search reads
    # people's names once, to find the articles of a person it names.
    assert len(large) == len(small) <= 15, [q["sql"] for q in large.captured_queries]


def test_no_unbounded_read_of_articles_on_the_list(client, corpus):
    """The count comes from the capped facet sample: every read of the article table stops at a
    LIMIT or is restricted to listed ids (or to the copies of the listed stories); no COUNT runs
    over the whole result."""
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "articles_article"' in q["sql"]]
    assert reads
    listed = ('"articles_article"."id" IN (', '"articles_article"."duplicate_of_id" IN (')
    unbounded = [sql for sql in reads if "LIMIT" not in sql.upper() and not any(ids in sql for ids in listed)]
    assert not unbounded, unbounded


def test_atom_feed_of_a_filtered_list(client, corpus):
    response = client.get(reverse("articles:feed"), {"person": "zalmay-khalilzad", "topic": "doha-agreement"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert entries[0] == "Taliban enter Kabul as Ashraf Ghani leaves"
    assert "Cricket final goes to a super over" not in entries
    assert "Zalmay Khalilzad" in root.find("a:title", ns).text
    assert client.get(reverse("articles:feed"), {"date_after": "yesterday"}).status_code == 400


def test_csv_export_streams_the_filtered_list(client, corpus):
    response = client.get(reverse("articles:export_csv"), {"person": "qamar-javed-bajwa"})
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Khalilzad visits Islamabad after Doha round"]
    assert "Qamar Javed Bajwa" in rows[0]["people"].split("; ")
    assert client.get(reverse("articles:export_csv"), {"person": "nobody"}).status_code == 400


def test_suggest_endpoint(client, corpus):
    results = client.get(reverse("articles:suggest"), {"kind": "person", "q": "khalilz"}).json()["results"]
    assert results[0]["slug"] == "zalmay-khalilzad" and results[0]["kind"] == "person"
    everything = client.get(reverse("articles:suggest"), {"q": "doha"}).json()["results"]
    assert {"place", "topic"} <= {r["kind"] for r in everything}
    assert client.get(reverse("articles:suggest"), {"kind": "weapon", "q": "x"}).status_code == 400
    assert client.get(reverse("articles:suggest"), {"q": "k"}).json() == {"results": []}
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("articles:suggest"), {"kind": "organization", "q": "tal"})
    assert len(queries) == 1


def test_security_headers(client):
    response = client.get(LIST)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
