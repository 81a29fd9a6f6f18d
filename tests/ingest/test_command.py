"""`manage.py ingest`: feed and page URLs, files and folders; a summary; non-zero exit when anything failed."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from articles.ingest import path_ingest
from articles.models import Article, Source

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "content" / "demo"


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def demo_sources() -> list[str]:
    outlets = yaml.safe_load((DEMO / "outlets.yaml").read_text())
    return [str(DEMO / outlet["feed"]) for outlet in outlets if outlet["format"] != "text"]


def test_the_demo_corpus_imports_as_expected():
    expected = yaml.safe_load((DEMO / "expected.yaml").read_text())
    out, _err = ingest("--sync", *demo_sources())
    text_out, _ = ingest("--sync", "--source", "Margalla Morning Herald", str(DEMO / "margalla-herald" / "texts"))

    assert "0 failed" in out and "0 failed" in text_out
    assert Article.objects.count() == expected["articles"]
    outlets = yaml.safe_load((DEMO / "outlets.yaml").read_text())
    assert set(Source.objects.values_list("name", flat=True)) == {outlet["name"] for outlet in outlets}
    assert set(Article.objects.filter(is_relevant=False).values_list("title", flat=True)) == set(expected["off_topic"])
    duplicates = {(a.title, a.duplicate_of.title) for a in Article.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")}
    assert duplicates == {(pair["copy"], pair["original"]) for pair in expected["syndicated"]}
    assert not Article.objects.filter(published_at__isnull=True).exists()
    assert not Article.objects.filter(byline="").exists()
    assert not Article.objects.filter(body_html="").exists()
    # Local feed files: the items' own text, the items' (fictional) links as identity; nothing fetched.
    assert Article.objects.filter(url__startswith="https://kabul-ledger.example/").count() == 10

    # Every item of the feeds is met again and found unchanged, copies and duplicates included.
    first = {kind: int(n) for n, kind in re.findall(r"(\d+) (created|duplicate|copy)\b", out)}
    again, _ = ingest("--sync", *demo_sources())
    seen = first["created"] + first["duplicate"] + first["copy"]
    assert again.startswith(f"Ingest finished: 0 created, 0 updated, {seen} unchanged, 0 duplicate, 0 copy, 0 skipped, 0 failed")
    assert Article.objects.count() == expected["articles"]


def test_a_feed_file_named_txt_is_read_as_a_feed(tmp_path):
    disguised = tmp_path / "not-really.txt"
    disguised.write_bytes((DEMO / "potomac-wire" / "feed.atom").read_bytes())
    report = path_ingest(disguised)
    assert report.counts["created"] + report.counts["duplicate"] == 9


def test_jsonl_bulk_format_with_a_bad_line(tmp_path):
    lines = [
        {"url": "https://bulk.example/1", "title": "Envoys meet in Doha", "body": "DOHA — Envoys met the Taliban on Monday.",
         "published_at": "2020-02-24", "source": "Bulk Wire", "byline": "A. Writer"},
        "this line is not JSON",
        {"title": "Second piece", "html": "<p>Kabul was quiet on Tuesday, officials said.</p>", "source": "Bulk Wire"},
        {"title": "No body at all"},
    ]
    bulk = tmp_path / "bulk.jsonl"
    bulk.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")

    with pytest.raises(CommandError, match="2 source"):
        ingest("--sync", str(bulk))

    assert set(Article.objects.values_list("title", flat=True)) == {"Envoys meet in Doha", "Second piece"}
    first = Article.objects.get(url="https://bulk.example/1")
    assert first.source.name == "Bulk Wire" and first.byline == "A. Writer" and first.published_precision == "day"


def test_failures_are_listed_with_their_reasons_and_exit_non_zero(tmp_path):
    (tmp_path / "empty.html").write_text("")
    (tmp_path / "ok.txt").write_text("Kabul talks\nBy Staff | 2020-01-02\n\nKABUL — Talks went on.\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 source"):
        call_command("ingest", "--sync", str(tmp_path), str(tmp_path / "missing.txt"), stdout=StringIO(), stderr=err)
    assert f"failed: {tmp_path / 'empty.html'}: empty document" in err.getvalue()
    assert "missing.txt: no such file or directory" in err.getvalue()
    assert Article.objects.get().title == "Kabul talks"


def test_urls_are_ingested_from_the_command_line(web):
    feed = (DEMO / "silkroad-courier" / "feed.json").read_text()
    web.add("/feed.json", feed, content_type="application/feed+json")
    web.add("/page", (DEMO / "raisina-bulletin" / "pages").glob("*.html").__next__().read_text())

    out, _ = ingest("--sync", web.url("/feed.json"), web.url("/page"))

    assert "0 failed" in out
    assert Article.objects.filter(source__name="Silk Road Courier").count() == 9
    assert Article.objects.filter(source__name="The Raisina Bulletin").count() == 1
    again, _ = ingest("--sync", web.url("/feed.json"), web.url("/page"))
    assert "0 created" in again and "1 unchanged" in again and "1 skipped" in again


def test_progress_is_shown_on_long_runs(monkeypatch):
    monkeypatch.setattr("articles.management.commands.ingest.PROGRESS_EVERY", 0)
    _out, err = ingest("--sync", str(DEMO / "kabul-ledger"))
    assert err.count("done, last:") == 10


def test_outlets_named_only_in_arabic_script_stay_apart():
    """Their names have no ASCII slug: each keeps its own, and no outlet takes another's articles."""
    ingest("--sync", str(DEMO / "darunta-news" / "feed.atom"), str(DEMO / "arghandab-ghag" / "feed.json"))
    names = dict(Source.objects.values_list("name", "slug"))
    assert set(names) == {"درونټه خبري اژانس", "د ارغنداب غږ"}
    assert len(set(names.values())) == 2 and "source" not in names.values()
    assert all(Source.objects.get(name=name).articles.exists() for name in names)
