"""The seed article, end to end: file -> ingest task -> clean article -> tags -> export."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.ingest import parse_plain_text
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_seed_imports_clean(seed_article):
    article = seed_article
    assert article.title.startswith(
        "US Special Representative for Afghanistan Reconciliation Ambassador Zalmay Khalilzad"
    )
    assert "ISLAMABAD" not in article.title
    assert len(article.title) <= 151
    assert article.source is not None and article.source.name == "PNI"
    assert "Follow the PNI Facebook page" not in article.body
    assert article.body.rstrip().endswith("collectively support the peace process.”")
    assert "=Director" not in article.body and "..\n" not in article.body and "”.." not in article.body
    assert article.dateline == "Islamabad"
    assert article.language == "en"
    assert article.url.startswith("urn:newsroom:text:")
    assert article.status == Article.Status.TAGGED
    assert article.is_relevant


def test_seed_imported_twice_is_one_article(seed_path):
    call_command("ingest", str(seed_path), verbosity=0)  # through the (eager) Celery task
    out = StringIO()
    call_command("ingest", str(seed_path), stdout=out)
    assert Article.objects.count() == 1
    assert "0 created" in out.getvalue() and "1 unchanged" in out.getvalue()


def test_reformatted_copy_of_seed_is_same_identity(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    original = parse_plain_text(text)
    respaced = parse_plain_text(text.replace(". ", ".  ").replace("\n", "\n\n"))
    assert original.url == respaced.url


def test_missing_file_fails_with_reason(tmp_path):
    err = StringIO()
    with pytest.raises(Exception, match="failed"):
        call_command("ingest", str(tmp_path / "nope.txt"), "--sync", stderr=err)
    assert "no such file" in err.getvalue()


def test_export_articles_jsonl(seed_article):
    out = StringIO()
    call_command("export_articles", "--format", "jsonl", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    for key in ("id", "url", "title", "source", "published_at", "language", "is_relevant", "duplicate_of",
                "byline", "body", "people", "organizations", "places", "topics", "events"):
        assert key in row
    assert row["source"] == "PNI"
    assert "Zalmay Khalilzad" in row["people"]
    assert row["duplicate_of"] is None
    assert isinstance(row["events"], list)
