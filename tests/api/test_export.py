"""`export_articles` and the API write articles with one serializer; the export's values stay put; the
writers of every format (CSV, Atom, JSON lines) are safe for whoever reads them."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.api.export import EXPORT_FIELDS, jsonl_line, spreadsheet_safe
from articles.api.serializers import export_row
from articles.models import Event
from tests.api.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_article):
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad", place__isnull=False).first()
    original = make_article(
        published_at=at("2020-02-29"), people=["zalmay-khalilzad", "abdul-ghani-baradar"],
        organizations=["taliban"], places=["doha"], topics=["doha-agreement"], events=[event.slug],
    )
    copy = make_article()
    copy.duplicate_of = original
    copy.save()
    return original, copy, event


def exported() -> list[dict]:
    out = StringIO()
    call_command("export_articles", "--format", "jsonl", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_export_rows_keep_their_names_order_and_values(pair):
    original, _copy, event = pair
    first, second = exported()
    assert tuple(first) == EXPORT_FIELDS
    assert first["source"] == "Example Wire"
    assert first["published_at"] == "2020-02-29T12:00:00+00:00"
    assert first["people"] == ["Zalmay Khalilzad", "Abdul Ghani Baradar"]  # in order of first mention
    assert first["organizations"] == ["Taliban"] and first["places"] == ["Doha"]
    assert first["topics"] == ["Doha agreement"]
    participants = [str(p.entity) for p in event.participants.order_by("id")]
    assert first["events"] == [{
        "title": event.title, "kind": event.kind, "date": event.start_date.isoformat() if event.start_date else None,
        "place": event.place.name, "participants": participants,
    }]
    assert second["duplicate_of"] == original.url and second["published_at"] is None


def test_export_is_the_api_detail_with_names_for_references(api_client, pair):
    for row in exported():
        detail = api_client.get(f"/api/articles/{row['id']}/").json()
        assert export_row(detail) == row


def test_rejected_tags_are_in_neither(api_client, make_article):
    article = make_article(people=["zalmay-khalilzad", "abdul-ghani-baradar"], rejected=("zalmay-khalilzad",))
    [row] = exported()
    assert row["people"] == ["Abdul Ghani Baradar"]
    assert [p["slug"] for p in api_client.get(f"/api/articles/{article.pk}/").json()["people"]] == ["abdul-ghani-baradar"]


# The writers: safe for whoever reads what they write, even with rows stored past the door's hygiene.

@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("\uff1d1+1", "'\uff1d1+1"),
        ("Doha = talks", "Doha = talks"), ("2020-02-29", "2020-02-29"), ("", ""), (7, 7), (None, None),
    ],
)
def test_spreadsheet_safe(cell, written):
    assert spreadsheet_safe(cell) == written


def test_every_csv_cell_is_read_as_text(client, make_article):
    make_article(body="=1+1 is not a formula here")
    article = make_article()
    article.title, article.byline = '=HYPERLINK("http://x","y")', "@attacker"
    article.save()
    response = client.get(reverse("articles:export_csv"), {"relevant": "all"})
    rows = sorted(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())), key=lambda row: int(row["id"]))
    assert [row["body"][:4] for row in rows] == ["'=1+", "The "]
    assert (rows[1]["title"], rows[1]["byline"]) == ('\'=HYPERLINK("http://x","y")', "'@attacker")


def test_the_atom_feed_declares_its_summaries_text(client, make_article):
    make_article(body="<script>alert(1)</script> <img src=x onerror=alert(2)> in the words of the text")
    response = client.get(reverse("articles:feed"), {"relevant": "all"})
    parsed = feedparser.parse(response.content, sanitize_html=False)
    [entry] = parsed.entries
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary.startswith("<script>alert(1)</script>")  # the words, which a reader shows as words
    assert b'type="html"' not in response.content


def test_a_jsonl_record_stays_on_its_line(make_article):
    body = "One\u2028two\u2029three\x85four, and a forged record:\u2028{\"id\": 666}"
    make_article(body=body)
    out = StringIO()
    call_command("export_articles", stdout=out)
    [line] = out.getvalue().splitlines()  # splitlines() breaks on U+2028, U+2029 and NEL too
    assert json.loads(line)["body"] == body
    assert jsonl_line({"body": body}) == '{"body": "One\\u2028two\\u2029three\\u0085four, and a forged record:\\u2028{\\"id\\": 666}"}'
