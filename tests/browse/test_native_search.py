"""Search in Dari, Pashto and Urdu, on whichever database the run uses (SQLite for `make test`,
PostgreSQL in CI): every spelling of a word finds every other, exclusions and `or` work in the
Arabic script, a Latin-script name finds the articles tagged with its person, and highlights mark
the words as the writer spelled them."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from articles.browse.search import highlights
from articles.models import Article, ArticlePerson, Person
from articles.queries.search import search_filter, term_forms
from articles.text.normalize import dropped_characters, replaced_characters, search_form

pytestmark = pytest.mark.django_db

BODIES = {
    # key: (language, body)
    "joined": ("fa", "زلمی خلیلزاد با هیأت طالبان در دوحه دیدار کرد."),
    "zwnj": ("fa", "زلمی خلیل\u200cزاد نمایندهٔ ویژهٔ امریکا به کابل رفت."),
    "spaced": ("fa", "زلمی خلیل زاد گفت که گفتگوها ادامه دارد."),
    "arabic-letters": ("fa", "زلمي خليلزاد با رهبران سياسي در مسكو ديدار كرد."),
    "marks": ("fa", "زَلمی خَلیلزاد با ملا برادر دیدار کرد."),
    "pashto": ("ps", "ملا برادر له خلیلزاد سره په دوحه کې وکتل او د ننګرهار په اړه یې خبرې وکړې."),
    "taliban-only": ("fa", "طالبان در ولایت ننگرهار حمله کردند."),
    "other-khalil": ("fa", "ابراهیم خلیل، شاعر، در هرات زاده شد."),
    "urdu": ("ur", "طالبان کے ترجمان نے کہا کہ دوحہ میں مذاکرات ہوں گے۔"),
}
KHALILZAD = {"joined", "zwnj", "spaced", "arabic-letters", "marks", "pashto"}


@pytest.fixture
def articles(db) -> dict[str, Article]:
    return {
        key: Article.objects.create(url=f"https://native.example/{key}", title=f"گزارش {index}", body=body,
                                    language=language, content_hash=f"native-{key}")
        for index, (key, (language, body)) in enumerate(BODIES.items())
    }


def _found(articles: dict[str, Article], text: str) -> set[str]:
    keys = {a.pk: key for key, a in articles.items()}
    return {keys[pk] for pk in search_filter(Article.objects.all(), text).values_list("pk", flat=True)}


@pytest.mark.parametrize("text", ["خلیلزاد", "خلیل\u200cزاد", "خلیل زاد", "خليلزاد", '"خلیل زاد"', "خَلیلزاد",
                                  "خلیلزاد\u200f"])
def test_every_spelling_finds_every_other(articles, text):
    assert _found(articles, text) == KHALILZAD


@pytest.mark.parametrize(("text", "keys"), [
    ("ننگرهار", {"pashto", "taliban-only"}),  # Pashto ګ written as Persian گ
    ("ننګرهار", {"pashto", "taliban-only"}),
    ("دوحه", {"joined", "pashto", "urdu"}),  # Urdu ہ and heh alike
    ("مسکو", {"arabic-letters"}),  # Arabic kaf in the text
    ("ملا برادر", {"marks", "pashto"}),
    ("خلیل", {"spaced", "other-khalil"}),  # a word, not the start of one
])
def test_letters_of_every_keyboard_read_alike(articles, text, keys):
    assert _found(articles, text) == keys


def test_exclusions_and_or_in_dari(articles):
    assert _found(articles, "طالبان -خلیلزاد") == {"taliban-only", "urdu"}
    assert _found(articles, "طالبان -خلیل\u200cزاد -ترجمان") == {"taliban-only"}
    assert _found(articles, "مسکو or ننگرهار") == {"arabic-letters", "pashto", "taliban-only"}
    assert _found(articles, "دوحه -برادر or مسکو") == {"joined", "urdu", "arabic-letters"}


def test_a_latin_name_finds_the_articles_tagged_with_its_person(articles):
    khalilzad = Person.objects.get(slug="zalmay-khalilzad")
    for key in ("joined", "pashto"):
        ArticlePerson.objects.create(article=articles[key], person=khalilzad)
    assert _found(articles, "Khalilzad") == {"joined", "pashto"}
    assert _found(articles, "Zalmay Khalilzad") == {"joined", "pashto"}
    assert _found(articles, "Khalilzad ننگرهار") == {"pashto"}  # the rest of the query still holds
    assert _found(articles, "Khalilzad -ننگرهار") == {"joined"}
    assert _found(articles, "Khalilzadd") == set()


def test_highlights_mark_the_words_as_written(articles):
    ids = [articles[key].pk for key in ("zwnj", "spaced", "arabic-letters")]
    found = highlights(Article, ids, "خلیلزاد")
    marked = {pk: re.findall(r"<mark>(.*?)</mark>", h.snippet) for pk, h in found.items()}
    assert marked[articles["zwnj"].pk] == ["خلیل\u200cزاد"]
    assert marked[articles["spaced"].pk] == ["خلیل", "زاد"]
    assert marked[articles["arabic-letters"].pk] == ["خليلزاد"]


def test_a_term_is_also_looked_for_split_and_joined():
    assert ("خلیل", "زاد") in term_forms("خلیلزاد")
    assert ("خلیلزاد",) in term_forms("خلیل زاد")
    assert all(len(part) >= 2 for form in term_forms("خلیلزاد") for part in form)
    assert term_forms("Khalilzad") == [("Khalilzad",)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's copy of the normal form")
def test_postgresql_writes_the_normal_form_as_python_does():
    samples = ["".join(replaced_characters()), dropped_characters(), "زَلمی خليل\u200cزاد ۱۳۹۹ ٢٠٢١", "Doha talks",
               "\u0627\u0653"]  # alef and madda, which NFC composes first
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT newsroom_search_form(%s)", [text])
            assert cursor.fetchone()[0] == search_form(text)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the configuration per language is PostgreSQL's")
def test_postgresql_stems_english_only(db):
    english = Article.objects.create(url="https://native.example/en", title="Talks", body="The talks went on.",
                                     language="en", content_hash="en")
    german = Article.objects.create(url="https://native.example/de", title="Talks", body="Die talks gingen weiter.",
                                    language="de", content_hash="de")
    assert set(search_filter(Article.objects.all(), "talk").values_list("pk", flat=True)) == {english.pk}
    german.language = "en"
    german.save()
    assert set(search_filter(Article.objects.all(), "talk").values_list("pk", flat=True)) == {english.pk, german.pk}
