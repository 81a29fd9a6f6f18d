"""Text hygiene at the door: invisible characters out of everything stored, the joiners a script needs kept."""

from __future__ import annotations

import importlib
import unicodedata

import pytest
from django.apps import apps

from articles.ingest import ParsedDocument, article_upsert
from articles.ingest.documents import clean_byline, content_hash, document_visible
from articles.models import Article, IngestItem, Source
from articles.text.hygiene import visible

PERSIAN = "می\u200cخواهم"  # "I want": the non-joiner keeps the prefix apart inside one word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Doha \u202etxt.exe\u202c talks", "Doha txt.exe talks"),  # right-to-left override and pop
        ("\u2066Jane\u2069 \u200fDoe\u200e", "Jane Doe"),  # isolates and marks
        ("Tali\u200bban\u2060 \ufeffsays", "Taliban says"),  # zero-width space, word joiner, BOM
        ("soft\u00adhyphen", "softhyphen"),
        ("x\ue000injected\ue001\U000f0041y", "xinjectedy"),  # private use, both planes
        ("lone \ud800surrogate", "lone surrogate"),
        ("bell\x07 escape\x1b[31m", "bell escape[31m"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("line\u2028para\u2029end\r\nwin\x85nel", "line\npara\n\nend\nwin\nnel"),
        (PERSIAN, PERSIAN),
        ("می\u200f\u200cخواهم", PERSIAN),  # a run in a word becomes the one joiner it holds
        ("Tali\u200cban", "Taliban"),  # between Latin letters it means nothing
        ("\u200cمی", "می"),  # at the start there is nothing to keep apart
        ("Doha, Qatar", "Doha, Qatar"),
    ],
)
def test_visible(text, expected):
    assert visible(text) == expected


def test_one_line_fields_get_spaces_for_line_breaks():
    assert visible("Doha\u2028talks\u2029resume", one_line=True) == "Doha talks resume"


def test_nothing_invisible_is_left_in_any_category():
    every = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Co", "Cs"))
    assert visible(every) == ""


@pytest.mark.parametrize(
    ("byline", "expected"),
    [("By Jane Doe", "Jane Doe"), ("BY: Jane Doe", "Jane Doe"), ("by  Jane Doe", "Jane Doe"), ("Byron Hale", "Byron Hale")],
)
def test_a_byline_loses_its_own_by(byline, expected):
    assert clean_byline(byline) == expected


def test_a_document_is_cleaned_before_it_is_stored(db):
    document = ParsedDocument(
        url="https://news.example/rlo", title="Doha \u202etxt.exe\u202c talks", byline="By \u2066Jane Doe\u2069",
        body="KABUL \u2014 Tali\u200bban and \ue000Afghan\ue001 negotiators met.\n\n\u200b\u200e\n\nA second paragraph.",
        body_html="<p>Tali\u200bban</p>", source_name="Hostile\u202e Wire", dateline="\u200fKabul",
    )
    clean = document_visible(document)
    assert (clean.title, clean.byline, clean.source_name, clean.dateline) == ("Doha txt.exe talks", "Jane Doe", "Hostile Wire", "Kabul")
    assert clean.body == "KABUL \u2014 Taliban and Afghan negotiators met.\n\nA second paragraph."
    assert clean.body_html == "<p>Taliban</p>"

    article, _ = article_upsert(document=document)
    assert (article.title, article.byline, article.source.name) == ("Doha txt.exe talks", "Jane Doe", "Hostile Wire")
    assert article.content_hash == content_hash(clean.body)


def test_an_editor_types_through_the_same_hygiene(editor_client, db):
    from django.urls import reverse

    article = Article.objects.create(url="https://news.example/a", title="T", body="Body text.", content_hash="x")
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), {
        "url": article.url, "title": "Doha \u202etalks", "byline": "", "dateline": "", "body": "Body\u200b text.",
        "published_precision": "exact", "language": "", "status": "new", "relevance": "0", "is_relevant": "on",
        **{f"{prefix}-{key}": value for prefix in ("person_links", "organization_links", "place_links", "topic_links", "versions")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert (article.title, article.body) == ("Doha talks", "Body text.")


def test_the_migration_cleans_rows_stored_before(db):
    """Migration 0008's clean-up, run on rows written past the door (as rows stored before it were)."""
    migration = importlib.import_module("articles.migrations.0008_article_versions_copy_claims_and_visible_text")
    source = Source.objects.create(name="Hostile\u202e Wire", slug="hostile-wire")
    dirty = Article.objects.create(
        url="https://news.example/dirty", title="Doha \u202etxt.exe\u202c talks", byline="By Jane\u200b Doe", source=source,
        body="Tali\u200bban negotiators met \ue000in Doha\ue001.", body_html="<p>Tali\u200bban</p>",
        content_hash="stale", tagger_version=3,
    )
    clean = Article.objects.create(url="https://news.example/clean", title=PERSIAN, body="Plain text.", content_hash="kept",
                                   tagger_version=3)
    IngestItem.objects.create(key="url:x", url="https://news.example/dirty", title="Doha \u202etalks", byline="\u2066Jane\u2069")
    clean_updated = clean.updated_at

    migration.visible_stored_text(apps, None)

    dirty.refresh_from_db()
    assert (dirty.title, dirty.byline, dirty.body, dirty.body_html) == (
        "Doha txt.exe talks", "Jane Doe", "Taliban negotiators met in Doha.", "<p>Taliban</p>")
    assert dirty.content_hash == content_hash(dirty.body) and dirty.tagger_version == 0  # for `retag --stale`
    source.refresh_from_db()
    assert source.name == "Hostile Wire"
    assert IngestItem.objects.values_list("title", "byline").get() == ("Doha talks", "Jane")
    clean.refresh_from_db()
    assert (clean.title, clean.content_hash, clean.tagger_version, clean.updated_at) == (PERSIAN, "kept", 3, clean_updated)
