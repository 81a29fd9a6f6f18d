"""`export_articles` and the API write articles with one serializer; the export's values stay put."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.api.serializers import export_row
from articles.export import EXPORT_FIELDS
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
