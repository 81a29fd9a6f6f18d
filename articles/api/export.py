"""What Newsroom hands to other programs: the export shape of an article, and safe writers for its formats.

`export_articles`, the pages' CSV and the API write articles with one serializer
(`articles.api.serializers.ArticleDetailSerializer`); the export is its output with every
reference reduced to a name. `export_queryset` loads what that serializer reads.

The writers are safe for whoever reads what they write, whatever an outlet put in its text:
every CSV the app writes goes through `SpreadsheetSafeWriter` (no cell a spreadsheet would take
for a formula), the Atom feed through `TextAtom1Feed` (summaries declared text, never HTML), and
JSON lines through `jsonl_line` (one record per line for every line splitter).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.feedgenerator import Atom1Feed

from articles.api.serializers import ArticleDetailSerializer
from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Event,
    EventParticipant,
)

EXPORT_FIELDS = (
    "id", "url", "title", "source", "published_at", "language", "is_relevant", "duplicate_of",
    "byline", "body", "people", "organizations", "places", "topics", "events",
)


REF_FIELDS = ("id", "name", "slug")
ARTICLE_COLUMNS = (
    "url", "title", "source", "published_at", "published_precision", "language", "is_relevant", "duplicate_of",
    "byline", "body",
)


def export_queryset() -> QuerySet[Article]:
    """Articles with everything the export (and an API list) shows, in a fixed number of queries."""

    # Only the columns the serializer reads: entities and events carry long descriptions.
    def links(model, entity: str, related: str) -> Prefetch:
        queryset = (
            model.objects.filter(rejected=False).select_related(entity).order_by("first_offset", "id")
            .only("article_id", *(f"{entity}__{name}" for name in REF_FIELDS))
        )
        return Prefetch(related, queryset=queryset)

    participants = (
        EventParticipant.objects.select_related("person", "organization").order_by("id")
        .only("event_id", "role", *(f"{actor}__{name}" for actor in ("person", "organization") for name in REF_FIELDS))
    )
    events = (
        Event.objects.select_related("place")
        .only("slug", "title", "kind", "start_date", *(f"place__{name}" for name in REF_FIELDS))
        .prefetch_related(Prefetch("participants", queryset=participants))
    )
    return (
        Article.objects.select_related("source", "duplicate_of")
        .only(*ARTICLE_COLUMNS, *(f"source__{name}" for name in REF_FIELDS), "duplicate_of__url")
        .prefetch_related(
            links(ArticlePerson, "person", "person_links"),
            links(ArticleOrganization, "organization", "organization_links"),
            links(ArticlePlace, "place", "place_links"),
            links(ArticleTopic, "topic", "topic_links"),
            Prefetch("events", queryset=events),
        )
        .order_by("id")
    )


@cache
def _export_serializer() -> ArticleDetailSerializer:
    # Built once: a serializer's fields are copied per instance, which would cost more than a row.
    return ArticleDetailSerializer(context={"export": True})


def article_export(article: Article) -> dict:
    """One article as `export_articles` writes it (fields: EXPORT_FIELDS)."""
    return _export_serializer().to_representation(article)


def iter_export(queryset: QuerySet[Article] | None = None, chunk_size: int = 500) -> Iterator[dict]:
    queryset = export_queryset() if queryset is None else queryset
    for article in queryset.iterator(chunk_size=chunk_size):
        yield article_export(article)


# Formats -----------------------------------------------------------------------------------------

# What makes a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula: the
# OWASP "CSV injection" list, and the full-width forms some of them fold into these.
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_START = ("\t", "\r", "\n")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading "'" (OWASP's rule)."""
    if not isinstance(value, str):
        return value
    if value.startswith(CONTROL_START) or value.lstrip()[:1] in FORMULA_START:
        return "'" + value
    return value


class SpreadsheetSafeWriter:
    """csv.writer for every CSV the app writes: each cell through `spreadsheet_safe`, quoting as csv does."""

    def __init__(self, stream: Any, **options: Any):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class TextAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared `type="text"`, each entry in its own language.

    Django's Atom1Feed declares every summary `type="html"`, so a body that says "<script>" in
    words would reach feed readers as markup; our summaries are plain text and say so. An item
    given `language` is marked `xml:lang`, so that a reader lays a Dari entry out right to left
    in a feed whose own language is English.
    """

    def item_attributes(self, item) -> dict:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


# JSON escapes control characters but leaves these raw, and str.splitlines() (and JavaScript)
# break lines on them: a body holding one would cut its record in two for such a reader.
_LINE_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: dict) -> str:
    """One record of a JSON-lines file, on one line whatever the reader counts as a line break."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_SEPARATORS)
