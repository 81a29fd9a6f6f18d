"""Query plans at size, on PostgreSQL: the pages' reads use indexes and never count a whole table.

A corpus of PLAN_ARTICLES synthetic articles is written once for the module (inside a transaction
rolled back at the end) and analyzed, then each page's queries are captured and EXPLAINed.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.corpus import corpus_generate, corpus_plan
from articles.queries.articles import FACET_SAMPLE

PLAN_ARTICLES = 30_000
SEED = 11

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


@pytest.fixture(scope="module")
def plan_params(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        corpus_generate(articles=PLAN_ARTICLES, seed=SEED, composers=0)
        plan = corpus_plan(seed=SEED)
        people = [p.slug for p in plan.people.items]
        yield {"top": people[0], "mid": people[20], "other": people[5], "topic": plan.topics.items[0].slug}
        transaction.set_rollback(True)


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def explain(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        # The SSD setting the README recommends; with the default (4) the planner already prefers
        # a sequential scan of a table this small, which it would not at a million rows.
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        return list(plan_nodes(cursor.fetchone()[0][0]["Plan"]))


def seq_scans_of_articles(nodes: list[dict]) -> list[dict]:
    return [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "articles_article"]


def unbounded_seq_scans_of_articles(nodes: list[dict]) -> list[dict]:
    """Sequential scans of articles that do not feed a LIMIT directly (which stops them early)."""
    bounded = [child for n in nodes if n["Node Type"] == "Limit" for child in n.get("Plans", [])]
    return [n for n in seq_scans_of_articles(nodes) if not any(n is child for child in bounded)]


def page_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


LISTS = {
    "unfiltered": "/articles/",
    "person and a year": "/articles/?person={top}&date_after=2020-01-01&date_before=2020-12-31",
    "rarer person and a year": "/articles/?person={mid}&date_after=2020-01-01&date_before=2020-12-31",
    "topic": "/articles/?topic={topic}",
    "two people": "/articles/?person={top}&person={other}",
    "two people, both": "/articles/?person={top}&person={other}&match=all",
}


@pytest.mark.parametrize("name", LISTS)
def test_filtered_list_page_reads_articles_through_an_index(client, plan_params, name):
    """The first page is the head of the facet sample (checked below); a later page is a keyset
    query of its own, which must read through an index too."""
    url = LISTS[name].format(**plan_params)
    cursor = client.get(url).context["page"].next_cursor
    assert cursor
    queries = page_queries(client, f"{url}{'&' if '?' in url else '?'}cursor={cursor}")
    page = [q for q in queries if 'FROM "articles_article"' in q and re.search(r"LIMIT 26\b", q)]
    assert page, "the list's page query was not found"
    nodes = explain(page[0])
    assert not seq_scans_of_articles(nodes)
    reads = [n["Node Type"] for n in nodes if n.get("Relation Name") == "articles_article"]
    assert reads and set(reads) <= {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}, reads


@pytest.mark.parametrize("name", LISTS)
def test_counts_are_capped_and_the_facet_sample_reads_an_index(client, plan_params, name):
    """No query of the list counts or groups the whole table: the count comes from the facets'
    sample of the newest matching articles (one more than the cap), read from an index, not a
    scan and a sort."""
    queries = page_queries(client, LISTS[name].format(**plan_params))
    counts = [q for q in queries if q.startswith("SELECT COUNT(")]
    # Only the probes choosing the driving entity count, each over its tag index and capped.
    assert all("FROM \"articles_article\"" not in q and re.search(r"LIMIT \d+\) subquery$", q) for q in counts), counts
    samples = [q for q in queries if 'FROM "articles_article"' in q and q.endswith(f"LIMIT {FACET_SAMPLE + 1}")]
    assert samples, "the facet sample query was not found"
    for sql in samples:
        assert not unbounded_seq_scans_of_articles(explain(sql)), sql


def test_search_uses_the_gin_index_for_a_rare_word(client, plan_params):
    name = corpus_plan(seed=SEED).people.items[60].forms[0]
    queries = page_queries(client, "/articles/?q=" + name.replace(" ", "+"))
    samples = [q for q in queries if q.endswith(f"LIMIT {FACET_SAMPLE + 1}") and "search_vector" in q]
    assert samples
    nodes = explain(samples[0])
    assert not seq_scans_of_articles(nodes)
    assert any(n.get("Index Name") == "article_search_vector_idx" for n in nodes), [(n.get("Node Type"), n.get("Index Name"), n.get("Relation Name")) for n in nodes]
