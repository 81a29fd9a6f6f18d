"""Full-text search, the same on both databases: this module runs on whichever one the run uses
(SQLite for `make test`, PostgreSQL in CI) with the same expectations.

Whole words, stems, phrases, or, -exclusions, ranking, highlighted titles and extracts, and the
index kept in step with every way articles are written.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from articles.browse.search import highlights
from articles.corpus import corpus_generate
from articles.models import Article
from articles.queries import websearch
from articles.queries.search import search_filter

from .search_corpus import CASES, search_articles

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")


@pytest.fixture
def searched(db):
    return search_articles()


def _found(text: str) -> set[int]:
    return set(search_filter(Article.objects.all(), text).values_list("pk", flat=True))


@pytest.mark.parametrize("text", CASES)
def test_search_finds_what_it_should_on_this_database(searched, text):
    assert _found(text) == {searched[key].pk for key in CASES[text]}


@pytest.mark.parametrize("text", ["Ghani", "Khalilzad -Ghani", '"reduction in violence"'])
def test_the_list_page_shows_the_same(client, searched, text):
    response = client.get(LIST, {"q": text})
    assert response.status_code == 200
    assert {a.pk for a in response.context["page"].articles} == {searched[key].pk for key in CASES[text]}


def test_ranking_puts_title_matches_first_and_newer_before_older(client, db):
    def article(key: str, title: str, body: str, day: int) -> Article:
        return Article.objects.create(url=f"https://rank.example/{key}", title=title, body=body, content_hash=key,
                                      published_at=dt.datetime(2021, 3, day, tzinfo=dt.UTC))

    in_body = article("body", "Weekly round-up", "Envoys said the ceasefire talks would go on.", 9)
    in_title_older = article("title-1", "Ceasefire talks resume", "Envoys met again.", 1)
    in_title_newer = article("title-2", "Ceasefire talks resume", "Envoys met again.", 2)
    found = list(search_filter(Article.objects.all(), "ceasefire").order_by("-search_rank", "-published_at"))
    assert found == [in_title_newer, in_title_older, in_body]
    response = client.get(LIST, {"q": "ceasefire", "sort": "relevance", "relevant": "all"})
    assert [a.pk for a in response.context["page"].articles] == [in_title_newer.pk, in_title_older.pk, in_body.pk]


def _marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def _whole_words_marked(html: str) -> bool:
    """Every <mark> opens and closes at a word's edge."""
    for match in re.finditer(r"<mark>(.*?)</mark>", html):
        before = html[: match.start()][-1:]
        after = html[match.end():][:1]
        if before.isalnum() or after.isalnum():
            return False
    return True


def test_highlights_mark_whole_words_of_title_and_body(searched):
    found = highlights(Article, [searched["ceasefire"].pk], "ceasefires")[searched["ceasefire"].pk]
    assert _marked(found.title) == ["ceasefire"] and found.title.startswith("Eid ")
    assert _marked(found.snippet) == ["ceasefire"]
    afghanistan = searched["afghanistan"]
    found = highlights(Article, [afghanistan.pk], "in Herat")[afghanistan.pk]
    assert "ministers" in found.snippet and _whole_words_marked(found.snippet)
    assert "Herat" in _marked(found.snippet)
    phrase = highlights(Article, [searched["violence"].pk], '"reduction in violence"')[searched["violence"].pk]
    # PostgreSQL marks each word of the phrase (not the stop word), SQLite the phrase as one span.
    assert "reduction in violence held" in re.sub(r"</?mark>", "", phrase.snippet)
    assert set(" ".join(_marked(phrase.snippet)).split()) >= {"reduction", "violence"}
    assert _whole_words_marked(phrase.title) and _whole_words_marked(phrase.snippet)


def test_the_list_highlights_titles_and_extracts(client, searched):
    html = client.get(LIST, {"q": "ceasefire"}).content.decode()
    assert 'Eid <mark>ceasefire</mark> announced</a></h3>' in html
    assert "<mark>ceasefire</mark> for Eid" in html


def test_markers_in_the_text_never_become_markup(client, db):
    """Private-use characters were once the markers: a body full of them must mark nothing."""
    article = Article.objects.create(
        url="https://marks.example/1", content_hash="marks",
        title="\ue000Fake\ue001 ceasefire \ue001\ue000",
        body="\ue000\ue001" * 40 + " The \ue000ceasefire\ue001 held. " + "\ue001\ue000x" * 40 + " <b>bold</b> ceasefire.",
    )
    found = highlights(Article, [article.pk], "ceasefire")[article.pk]
    assert _marked(found.title) == ["ceasefire"]
    assert set(_marked(found.snippet)) == {"ceasefire"}
    assert "<b>" not in found.snippet and "Fake" not in "".join(_marked(found.title))
    html = client.get(LIST, {"q": "ceasefire", "relevant": "all"}).content.decode()
    assert html.count("<mark>") == html.count("</mark>") == 1 + len(_marked(found.snippet))


def test_the_text_is_escaped_in_titles_and_extracts(client, db):
    Article.objects.create(url="https://escape.example/1", title="A <b>bold</b> ceasefire claim", content_hash="e",
                           body="Zalmay Khalilzad said <script>alert(1)</script> the ceasefire holds.")
    html = client.get(LIST, {"q": "ceasefire", "relevant": "all"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>ceasefire</mark> claim" in html


@pytest.mark.parametrize("text", [
    '"Doha talks"', "Doha -Kabul", "Doha or Kabul", "!!!", "):*", "the a of", "'", '"', "-", "--", "or", "OR OR",
    "NOT Doha", "Doha AND", "title:Doha", "Doha*", "^Doha", "NEAR(Doha Kabul)", "\\", "'; DROP TABLE x; --",
    '"""', "-\"\"", "طالبان", "😀", "\u202eevil", "a\x01b",
])
def test_any_input_is_a_query_never_an_error(client, searched, text):
    assert client.get(LIST, {"q": text, "relevant": "all"}).status_code == 200
    assert client.get(LIST, {"q": text, "sort": "relevance"}).status_code == 200


def test_fts5_operators_typed_as_words_are_words(searched):
    # FTS5 reads NEAR(...), column:term and a trailing * unquoted; every term is quoted, so they
    # are words. (NOT, AND and OR would be too, but PostgreSQL drops them as stop words.)
    assert _found("envoy:Khalilzad") == set()
    assert _found("NEAR(Khalilzad Ghani)") == set()
    assert _found("Khalil*") == set()


def test_the_index_follows_every_way_articles_are_written(db):
    """Insert, save, queryset update, bulk_create, raw SQL and delete: the database keeps the index."""
    article = Article.objects.create(url="https://sync.example/1", title="Prisoner releases", content_hash="s1",
                                     body="The exchange of prisoners began in Bagram.")
    assert _found("Bagram") == {article.pk} and _found("prisoner") == {article.pk}
    Article.objects.filter(pk=article.pk).update(body="Talks resumed in Doha.")
    assert _found("Bagram") == set() and _found("Doha") == {article.pk}
    article.refresh_from_db()
    article.title = "Talks in Qatar"
    article.save()
    assert _found("prisoner") == set() and _found("Qatar") == {article.pk}
    Article.objects.filter(pk=article.pk).update(relevance=0.5)  # no text changed
    assert _found("Qatar") == {article.pk}
    made = Article.objects.bulk_create([
        Article(url=f"https://sync.example/bulk/{i}", title=f"Loya jirga day {i}", body="Delegates met in Kabul.",
                content_hash=f"b{i}")
        for i in range(3)
    ])
    assert _found("jirga") == {a.pk for a in Article.objects.filter(url__startswith="https://sync.example/bulk/")}
    assert len(made) == 3
    columns = [f.column for f in Article._meta.local_concrete_fields if f.column not in ("id", "search_vector")]
    chosen = {"url": "'https://sync.example/raw'", "title": "'Raw insert about Mazar'", "content_hash": "'raw'"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(chosen.get(c, c) for c in columns)} FROM articles_article WHERE id = %s",
            [article.pk],
        )
    raw = Article.objects.get(url="https://sync.example/raw")
    assert _found("Mazar") == {raw.pk} and _found("Doha") == {article.pk, raw.pk}
    Article.objects.filter(pk=article.pk).delete()
    assert _found("Doha") == {raw.pk}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the index and the table disagree
            cursor.execute("INSERT INTO articles_article_fts(articles_article_fts, rank) VALUES ('integrity-check', 1)")


def test_the_synthetic_corpus_is_searchable(db):
    """generate_corpus writes with COPY on PostgreSQL and in bulk on SQLite; both reach the index."""
    corpus_generate(articles=12, seed=5, composers=0)
    for article in Article.objects.order_by("id")[:12]:
        word = max(re.findall(r"[A-Za-z]{5,}", article.title), key=len)
        assert article.pk in _found(word), word


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector and its GIN index are PostgreSQL's")
def test_postgresql_searches_through_the_gin_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = search_filter(Article.objects.all(), "ceasefire").order_by().values("pk").explain()
        cursor.execute("SET enable_seqscan = on")
    assert "article_search_vector_idx" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_searches_through_the_fts5_index(searched):
    plan = search_filter(Article.objects.all(), "ceasefire").values("pk").explain()
    assert "VIRTUAL TABLE INDEX" in plan


# The parser, which writes the one query both databases run.


@pytest.mark.parametrize(("text", "websearch_text", "fts5"), [
    ("Khalilzad -Ghani", '"Khalilzad" -"Ghani"', '(("Khalilzad") NOT ("Ghani"))'),
    ("Baradar OR Mujahid", '"Baradar" or "Mujahid"', '(("Baradar")) OR (("Mujahid"))'),
    ('a "b  c" or -d e', '"a" "b c" or -"d" "e"', '(("a" AND "b c")) OR (("e") NOT ("d"))'),
    ('"open', '"open"', '(("open"))'),
    ("x -y -z", '"x" -"y" -"z"', '(("x") NOT ("y" OR "z"))'),
    ("or x or", '"x"', '(("x"))'),
    ("-x or y", '"y"', '(("y"))'),
    ("- x", '"x"', '(("x"))'),
    ('say "it\'s" here', '"say" "it\'s" "here"', '(("say" AND "it\'s" AND "here"))'),
    ("!!! -- ''", "", ""),
    ("-x -y", "", ""),
])
def test_parse(text, websearch_text, fts5):
    query = websearch.parse(text)
    assert query.websearch() == websearch_text
    assert query.fts5() == fts5
    assert bool(query) == bool(fts5)
