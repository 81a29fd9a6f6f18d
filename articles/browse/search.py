"""Full-text search: PostgreSQL's ranked search over the stored vector, a plain match elsewhere.

Snippets are computed for the shown page only (one query over its ids), never for the whole result.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_FALLBACK_WORDS = 8
SNIPPET_WORDS = 40
# Marks that cannot occur in clean text, swapped for <mark> after the snippet is escaped.
_START, _STOP = "\ue000", "\ue001"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)[:MAX_FALLBACK_WORDS]


def search_query(text: str) -> SearchQuery:
    # websearch syntax: "exact phrase", -excluded, or; never a syntax error for any input.
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def search_filter(queryset: QuerySet, text: str) -> QuerySet:
    """Articles matching `text`, with a `search_rank` alias to order by on PostgreSQL.

    An alias, not an annotation: the rank reads every match's vector, so it is computed only
    when the list is ordered by it (a name in 13,000 articles of a million: 175 ms -> see
    bench/pages.py "search, a name").
    """
    if uses_postgres():
        query = search_query(text)
        return queryset.filter(search_vector=query).alias(search_rank=SearchRank(F("search_vector"), query))
    condition = Q()
    for word in _words(text):
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition)


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def snippets(model, ids: list[int], text: str) -> dict[int, SafeString]:
    """A highlighted extract of each article's body where it matches `text`, by id."""
    if not ids or not text.strip():
        return {}
    if uses_postgres():
        headline = SearchHeadline(
            "body", search_query(text), config=CONFIG, start_sel=_START, stop_sel=_STOP,
            max_words=SNIPPET_WORDS, min_words=20, max_fragments=2, fragment_delimiter=" … ",
        )
        rows = model.objects.filter(pk__in=ids).annotate(snippet=headline).values_list("pk", "snippet")
        return {pk: _marked(snippet) for pk, snippet in rows}
    rows = model.objects.filter(pk__in=ids).values_list("pk", "body")
    return {pk: _marked(_plain_snippet(body, _words(text))) for pk, body in rows}


def _plain_snippet(body: str, words: list[str]) -> str:
    """About SNIPPET_WORDS words around the first match, the matched words marked."""
    if not words:
        return ""
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    found = pattern.search(body)
    start = 0 if found is None else max(0, found.start() - 120)
    start = body.rfind(" ", 0, start) + 1 if start else 0
    tokens = body[start:].split()
    extract = " ".join(tokens[:SNIPPET_WORDS])
    extract = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", extract)
    prefix = "… " if start else ""
    suffix = " …" if len(tokens) > SNIPPET_WORDS else ""
    return prefix + extract + suffix
