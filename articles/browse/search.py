"""Full-text search that reads the same on both databases: whole words, stems, phrases, or, -exclusions.

The query is parsed once (articles.browse.websearch). PostgreSQL matches it against the stored
`search_vector` (title weighted A over body B, GIN index, migration 0002) and ranks with
ts_rank; SQLite against an FTS5 index of the same title and body (porter stemmer, kept by
triggers, migration 0009) and ranks with bm25, the title weighted over the body as PostgreSQL
weighs A over B. Both tokenizers split on anything but letters and digits, so a word never
matches inside another ("Ghani" is not in "Afghanistan").

Highlights are computed for the shown page only (one query over its ids), never for the whole
result: ts_headline on PostgreSQL, FTS5's highlight() and snippet() on SQLite, each marking whole
words and phrases as the database matched them. The markers are made per call from a random
nonce, so no text an article carries can pass for one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.browse import websearch

CONFIG = "english"
SNIPPET_WORDS = 40
# bm25's weight of a title match against a body match: ts_rank's default weights of A and B
# (1.0 and 0.4) in the same ratio.
TITLE_WEIGHT = 2.5
FTS_TABLE = "articles_article_fts"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_query(query: websearch.Query) -> SearchQuery:
    return SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)


class _Bm25Score(Func):
    """FTS5's bm25 turned round, so that higher is better as with ts_rank."""

    function = "bm25"
    template = f"-%(function)s(%(expressions)s, {TITLE_WEIGHT}, 1.0)"
    output_field = FloatField()


def search_filter(queryset: QuerySet, text: str) -> QuerySet:
    """Articles matching `text`, with a `search_rank` alias (higher is better) to order by.

    An alias, not an annotation: the rank reads every match's vector, so it is computed only
    when the list is ordered by it (a name in 13,000 articles of a million: 175 ms -> see
    bench/pages.py "search, a name"). A query with nothing to look for matches nothing.
    """
    query = websearch.parse(text)
    if not query:
        return queryset.none().alias(search_rank=Value(0.0))
    if uses_postgres():
        found = search_query(query)
        return queryset.filter(search_vector=found).alias(search_rank=SearchRank(F("search_vector"), found))
    return queryset.filter(search_text__index__matches=query.fts5()).alias(
        search_rank=_Bm25Score(F("search_text__index")))


@dataclass(frozen=True)
class Highlight:
    """An article's title with the matched words marked, and an extract of its body around them."""

    title: SafeString
    snippet: SafeString


def highlights(model, ids: list[int], text: str) -> dict[int, Highlight]:
    """The highlighted title and body extract of each article where it matches `text`, by id."""
    query = websearch.parse(text)
    if not ids or not query:
        return {}
    nonce = secrets.token_hex(8)
    # Private-use characters around the nonce: a marker can only be taken from our own output.
    start, stop = f"\ue000{nonce}\ue001", f"\ue001{nonce}\ue000"
    if uses_postgres():
        found = search_query(query)
        rows = model.objects.filter(pk__in=ids).annotate(
            marked_title=SearchHeadline("title", found, config=CONFIG, start_sel=start, stop_sel=stop,
                                        highlight_all=True),
            # One passage, as FTS5's snippet() gives: ts_headline's fragments end at the last match.
            snippet=SearchHeadline("body", found, config=CONFIG, start_sel=start, stop_sel=stop,
                                   max_words=SNIPPET_WORDS, min_words=SNIPPET_WORDS // 2),
        ).values_list("pk", "marked_title", "snippet")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), snippet({FTS_TABLE}, 1, %s, %s, ' … ', %s) "  # noqa: S608
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [start, stop, start, stop, SNIPPET_WORDS, query.fts5(), *ids],
            )
            rows = cursor.fetchall()
    return {pk: Highlight(_marked(title, start, stop), _marked(snippet, start, stop)) for pk, title, snippet in rows}


def _marked(text: str, start: str, stop: str) -> SafeString:
    """The text escaped, with our markers (and only ours) turned into <mark> elements."""
    return mark_safe(escape(text).replace(start, "<mark>").replace(stop, "</mark>"))
