"""Pages in every script: lang and dir on article text, the language facet and the `language`
filter on the list, the API and the exports (issue 14)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from itertools import count

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticlePerson, Person, Source
from articles.text.language_names import is_known_language, language_direction, language_name

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")
NUMBERS = count(1)
TEXTS = {
    "fa": ("خلیلزاد در دوحه با برادر دیدار کرد", "زلمی خلیلزاد روز دوشنبه در دوحه با ملا عبدالغنی برادر دیدار کرد."),
    "ps": ("خلیلزاد په دوحه کې له برادر سره وکتل", "زلمی خلیلزاد د دوشنبې په ورځ په دوحه کې له ملا برادر سره وکتل."),
    "ur": ("خلیل زاد کی دوحہ میں ملا برادر سے ملاقات", "زلمے خلیل زاد نے پیر کو دوحہ میں ملا برادر سے ملاقات کی۔"),
    "en": ("Khalilzad meets Baradar in Doha", "Zalmay Khalilzad met Abdul Ghani Baradar in Doha on Monday."),
}


def make(language: str, *, day: int = 1, person: str = "zalmay-khalilzad") -> Article:
    number = next(NUMBERS)
    title, body = TEXTS[language]
    source, _ = Source.objects.get_or_create(slug="test-outlet", defaults={"name": "Test Outlet"})
    article = Article.objects.create(
        url=f"https://example.org/{language}/{number}", title=f"{title} {number}", body=f"{body} ({number})",
        language=language, source=source, published_at=dt.datetime(2021, 3, day, 9, tzinfo=dt.UTC),
        content_hash=f"{number:064d}",
    )
    ArticlePerson.objects.create(article=article, person=Person.objects.get(slug=person), first_offset=0, mentions=1)
    return article


@pytest.fixture
def mixed():
    """Two Dari, one Pashto, one Urdu and three English articles."""
    return {
        "fa": [make("fa", day=2), make("fa", day=3)], "ps": [make("ps", day=4)], "ur": [make("ur", day=5)],
        "en": [make("en", day=6), make("en", day=7), make("en", day=8)],
    }


def titles(response) -> set[str]:
    return {article.title for article in response.context["page"].articles}


# --- the languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "direction", "name"), [
    ("fa", "rtl", "Dari"), ("ps", "rtl", "Pashto"), ("ur", "rtl", "Urdu"), ("ar", "rtl", "Arabic"),
    ("en", "ltr", "English"), ("en-US", "ltr", "English"), ("fa-AF", "rtl", "Dari"), ("de", "ltr", "German"),
])
def test_direction_and_name_of_a_known_language(code, direction, name):
    assert is_known_language(code)
    assert language_direction(code) == direction
    assert language_name(code) == name


@pytest.mark.parametrize("code", ["", "xx", "12", "f", "fa_", "<fa>"])
def test_an_unknown_language_is_read_off_the_text(code):
    assert not is_known_language(code)
    assert language_direction(code) == "auto"


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filtered_to_a_language(client, mixed):
    response = client.get(LIST, {"language": "fa"})
    assert response.status_code == 200
    assert titles(response) == {a.title for a in mixed["fa"]}
    assert [(c.label, c.value) for c in response.context["chips"]] == [("Language", "Dari")]
    both = client.get(LIST, {"language": ["fa", "ps"]})
    assert titles(both) == {a.title for a in mixed["fa"] + mixed["ps"]}


def test_the_language_facet_counts_the_result(client, mixed):
    response = client.get(LIST)
    facet = response.context["facets"][0]
    assert facet.name == "language"
    assert [(item.slug, item.name, item.count) for item in facet.items] == [
        ("en", "English", 3), ("fa", "Dari", 2), ("ps", "Pashto", 1), ("ur", "Urdu", 1)]
    # A second language widens (an article has one), so its link asks for no `match=all`.
    narrowed = client.get(LIST, {"language": "fa", "person": "zalmay-khalilzad"})
    facet = narrowed.context["facets"][0]
    assert [(item.slug, item.selected) for item in facet.items] == [("fa", True)]
    page = client.get(LIST, {"language": "fa"}).content.decode()
    assert '<input type="hidden" name="language" value="fa">' in page  # kept when the form is applied


@pytest.mark.parametrize("value", ["xx", "dari", "f", "fa;ps"])
def test_a_bad_language_is_a_400_with_the_reason(client, mixed, value):
    response = client.get(LIST, {"language": value})
    assert response.status_code == 400
    assert f"No language is known by the code “{value}”" in response.content.decode()


def test_titles_and_snippets_carry_their_language(client, mixed):
    page = client.get(LIST).content.decode()
    dari = mixed["fa"][0]
    assert f'<h3 class="card-title" lang="fa" dir="auto"><a href="{dari.get_absolute_url()}">' in page
    assert '<h3 class="card-title" lang="en" dir="auto">' in page
    assert '<p class="excerpt" lang="ur" dir="auto">' in page
    # The chrome stays English, left to right.
    assert '<html lang="en">' in page and 'dir="rtl"' not in page.split('<main')[0]


def test_the_language_filter_costs_no_query_per_row(client):
    for day in range(1, 4):
        make("ps", day=day)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST, {"language": "ps"}).status_code == 200
    for day in range(4, 24):
        make("ps", day=day)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST, {"language": "ps"})
    assert response.content.decode().count('class="card"') == 23
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


# --- the article and entity pages -----------------------------------------------------------------


def test_an_article_page_in_dari_is_right_to_left(client, mixed):
    article = mixed["fa"][0]
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<h1 id="story-title" lang="fa" dir="rtl">', page)
    assert '<div class="body" lang="fa" dir="rtl">' in page
    english = client.get(mixed["en"][0].get_absolute_url()).content.decode()
    assert '<h1 id="story-title" lang="en" dir="ltr">' in english


def test_an_article_of_unknown_language_reads_its_direction_off_the_text(client):
    article = make("fa")
    Article.objects.filter(pk=article.pk).update(language="")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 id="story-title" lang="" dir="auto">' in page


def test_a_person_page_shows_the_native_names_in_their_direction(client, mixed):
    page = client.get(reverse("articles:person", args=["zalmay-khalilzad"])).content.decode()
    assert "<dt>In Dari</dt>" in page and "<dt>In Pashto</dt>" in page and "<dt>In Urdu</dt>" in page
    assert '<span lang="fa" dir="rtl">زلمی خلیلزاد</span>' in page
    # Its latest articles, in four languages, each titled in its own.
    for language in ("fa", "ps", "ur", "en"):
        assert f'lang="{language}" dir="auto">' in page


# --- the API and the exports ----------------------------------------------------------------------


def test_the_api_filters_by_language(client, mixed):
    response = client.get("/api/articles/", {"language": "ps"})
    assert response.status_code == 200
    assert [(a["title"], a["language"]) for a in response.json()["results"]] == [(mixed["ps"][0].title, "ps")]
    assert len(client.get("/api/articles/", {"language": ""}).json()["results"]) == 7  # empty is absent
    bad = client.get("/api/articles/", {"language": "zz"})
    assert bad.status_code == 400
    assert bad.json()["errors"]["language"] == ["No language is known by the code “zz”: give a code such as fa, ps, ur or en."]


def test_the_csv_export_filters_by_language(client, mixed):
    response = client.get(reverse("articles:export_csv"), {"language": "ur"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["title"], row["language"]) for row in rows] == [(mixed["ur"][0].title, "ur")]
    assert client.get(reverse("articles:export_csv"), {"language": "xx"}).status_code == 400


def test_the_atom_feed_filters_by_language_and_marks_each_entry(client, mixed):
    response = client.get(reverse("articles:feed"), {"language": ["fa", "en"]})
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert root.get(lang) == "en"
    entries = {entry.findtext("atom:title", namespaces=ns): entry.get(lang) for entry in root.findall("atom:entry", ns)}
    assert entries == {a.title: a.language for a in mixed["fa"] + mixed["en"]}
    bad = client.get(reverse("articles:feed"), {"language": "xx"})
    assert bad.status_code == 400 and "language" in bad.content.decode()


def test_the_json_lines_export_filters_by_language(mixed):
    out = io.StringIO()
    call_command("export_articles", "--language", "fa", "--language", "ur", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(r["language"] for r in records) == ["fa", "fa", "ur"]
    with pytest.raises(CommandError, match="No language is known by the code “xx”"):
        call_command("export_articles", "--language", "xx", stdout=io.StringIO())
