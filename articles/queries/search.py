"""Full-text search that reads the same on both databases and in every script we read: whole
words, stems, phrases, or, -exclusions.

The query is parsed once (articles.queries.websearch) and each term written in the normal form
(`articles.text.normalize.search_form`) that the index holds: Arabic and Persian yeh and kaf,
alef, hamza and heh forms, Pashto and Urdu letters, marks, tatweel, joiners and digits all read
alike. Dari, Pashto and Urdu writers also split or join a name's parts (خلیلزاد, خلیل‌زاد,
خلیل زاد): a term in the Arabic script is looked for as written and as each two-part split of it
(a phrase), and two neighbouring terms also as one word (`term_forms`, `alternatives`).

PostgreSQL matches the stored `search_vector` (title weighted A over body B, GIN index): English
articles (and those of no detected language) are indexed with the `english` configuration, every
other language with `simple`, both over the normal form (migration 0012); each article is matched
with the query in its own configuration and ranked with ts_rank. SQLite matches an FTS5 index of
the normal form of the same title and body (porter stemmer, kept by triggers that call the
Python normal form, migration 0012) and ranks with bm25, the title weighted over the body as
PostgreSQL weighs A over B. Both tokenizers split on anything but letters and digits, so a word
never matches inside another ("Ghani" is not in "Afghanistan").

A Latin-script term that names exactly one person of the knowledge base (Khalilzad, Baradar)
also finds the articles tagged with that person, whatever script names him there.

Highlights of the words found are drawn by the pages (articles.browse.search).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from itertools import product

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from articles.models import Article, ArticlePerson
from articles.queries import websearch
from articles.queries.names import name_candidates
from articles.text.normalize import INVISIBLE, TATWEEL, search_form

# bm25's weight of a title match against a body match: ts_rank's default weights of A and B
# (1.0 and 0.4) in the same ratio.
TITLE_WEIGHT = 2.5
FTS_TABLE = "articles_article_fts"
# Languages indexed with PostgreSQL's `english` configuration (stems, stop words); '' is a text too
# short to tell, which before issue 14 was English too. Every other language is `simple`.
ENGLISH_LANGUAGES = ("en", "")
# A split of a word is tried only into parts of at least this many letters: a one-letter part
# would be a Pashto particle (د، و) and match nearly every article.
SPLIT_PART = 2
# Neighbouring terms are tried joined only in runs this long (2^(n-1) ways).
JOIN_RUN = 4
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")

Phrase = tuple[str, ...]  # words in the normal form, in order


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _is_word_char(char: str) -> bool:
    """A character that FTS5's tokenizer keeps in a word (categories L*, N*, Mn, Co), or one that
    the normal form drops, so that 'خلیل‌زاد' is one word here as it is one word in the index."""
    return char in INVISIBLE or char == TATWEEL or unicodedata.category(char)[0] in "LN" or unicodedata.category(
        char) in ("Mn", "Co")


def word_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for index, char in enumerate(text):
        if _is_word_char(char):
            start = index if start is None else start
        elif start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def words(text: str) -> list[str]:
    """The words of a text in the normal form, as the databases' tokenizers split it."""
    form = search_form(text)
    return [form[start:end] for start, end in word_spans(form)]


def _joins(parts: list[str]) -> list[Phrase]:
    """Every way of writing neighbouring Arabic-script words of a phrase as one word."""
    if len(parts) > JOIN_RUN:
        return [tuple(parts)]
    ways: list[Phrase] = []
    for glue in product((False, True), repeat=max(len(parts) - 1, 0)):
        out = [parts[0]]
        for joined, part in zip(glue, parts[1:], strict=True):
            if joined and _ARABIC_SCRIPT.search(out[-1]) and _ARABIC_SCRIPT.search(part):
                out[-1] += part
            elif joined:
                break
            else:
                out.append(part)
        else:
            if tuple(out) not in ways:
                ways.append(tuple(out))
    return ways


def term_forms(text: str) -> list[Phrase]:
    """The phrases a term stands for: as written, with neighbouring Arabic-script words joined,
    and a one-word Arabic-script term split in two ('خلیلزاد' is also 'خلیل زاد')."""
    parts = words(text)
    if not parts:
        return []
    forms = _joins(parts)
    if len(parts) == 1 and _ARABIC_SCRIPT.search(parts[0]):
        word = parts[0]
        forms += [(word[:cut], word[cut:]) for cut in range(SPLIT_PART, len(word) - SPLIT_PART + 1)]
    return forms


@dataclass(frozen=True)
class Alternative:
    """Terms that must all be found (each one of its forms), and terms none of which may be."""

    wanted: tuple[tuple[Phrase, ...], ...]
    unwanted: tuple[tuple[Phrase, ...], ...]


def query_alternatives(query: websearch.Query) -> list[Alternative]:
    """The query's alternatives in forms, with each run of neighbouring one-word Arabic-script
    terms also tried as one word ('خلیل زاد' finds 'خلیلزاد')."""
    found: list[Alternative] = []
    for terms in query.alternatives:
        unwanted = tuple(forms for t in terms if t.excluded and (forms := tuple(term_forms(t.text))))
        wanted_terms = [t.text for t in terms if not t.excluded]
        groupings = [wanted_terms]
        for start in range(len(wanted_terms) - 1):
            end = start
            while (end + 1 < len(wanted_terms) and end - start + 1 < JOIN_RUN
                   and all(len(words(wanted_terms[i])) == 1 and _ARABIC_SCRIPT.search(wanted_terms[i])
                           for i in (end, end + 1))):
                end += 1
                groupings.append([*wanted_terms[:start], "".join(wanted_terms[start:end + 1]), *wanted_terms[end + 1:]])
        for grouping in groupings:
            wanted = tuple(forms for text in grouping if (forms := tuple(term_forms(text))))
            if wanted and Alternative(wanted, unwanted) not in found:
                found.append(Alternative(wanted, unwanted))
    return found


# SQLite --------------------------------------------------------------------------------------------


def _fts5_any(forms: tuple[Phrase, ...]) -> str:
    return "(" + " OR ".join('"' + " ".join(phrase).replace('"', '""') + '"' for phrase in forms) + ")"


def fts5_expression(alternatives: list[Alternative]) -> str:
    """The FTS5 MATCH expression; every phrase quoted, so no word is read as an operator."""
    written = []
    for alternative in alternatives:
        wanted = " AND ".join(_fts5_any(forms) for forms in alternative.wanted)
        if alternative.unwanted:
            wanted = f"({wanted}) NOT ({' OR '.join(_fts5_any(forms) for forms in alternative.unwanted)})"
        written.append(f"({wanted})")
    return " OR ".join(written)


class _Bm25Score(Func):
    """FTS5's bm25 turned round, so that higher is better as with ts_rank."""

    function = "bm25"
    template = f"-%(function)s(%(expressions)s, {TITLE_WEIGHT}, 1.0)"
    output_field = FloatField()


def _fts5_ids(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])  # noqa: S608, S611


# PostgreSQL ----------------------------------------------------------------------------------------


def _tsquery(alternatives: list[Alternative], config: str) -> SearchQuery:
    def any_of(forms: tuple[Phrase, ...]) -> SearchQuery:
        return reduce(lambda a, b: a | b, (SearchQuery(" ".join(p), search_type="phrase", config=config) for p in forms))

    written = []
    for alternative in alternatives:
        query = reduce(lambda a, b: a & b, (any_of(forms) for forms in alternative.wanted))
        for forms in alternative.unwanted:  # not any of the forms: none of them (~ would not combine)
            for phrase in forms:
                query &= SearchQuery(" ".join(phrase), search_type="phrase", config=config, invert=True)
        written.append(query)
    return reduce(lambda a, b: a | b, written)


def _postgres_match(alternatives: list[Alternative]) -> tuple[Q, Case]:
    english, simple = _tsquery(alternatives, "english"), _tsquery(alternatives, "simple")
    is_english = Q(language__in=ENGLISH_LANGUAGES)
    match = (is_english & Q(search_vector=english)) | (~is_english & Q(search_vector=simple))
    rank = Case(When(is_english, then=SearchRank(F("search_vector"), english)),
                default=SearchRank(F("search_vector"), simple), output_field=FloatField())
    return match, rank


# Both ----------------------------------------------------------------------------------------------


def _text_match(alternatives: list[Alternative]) -> Q:
    if uses_postgres():
        return _postgres_match(alternatives)[0]
    return Q(pk__in=_fts5_ids(fts5_expression(alternatives)))


def _person_of(text: str) -> str | None:
    """The slug of the one person a Latin-script term names (by name, alias or slug), if exactly one."""
    if _ARABIC_SCRIPT.search(text):
        return None
    candidates = name_candidates("person", text)
    return candidates[0].slug if len(candidates) == 1 else None


def _tagged_runs(query: websearch.Query) -> list[tuple[str, Q | None]]:
    """Articles found through a person's tags: for each alternative and each run of its terms that
    names one person ('Khalilzad', 'Zalmay Khalilzad'), that person and what the rest of the
    alternative asks of the text (None: nothing)."""
    found = []
    for terms in query.alternatives:
        for start, end in ((s, e) for s in range(len(terms)) for e in range(s + 1, min(len(terms), s + 4) + 1)):
            run = terms[start:end]
            person = None if any(t.excluded for t in run) else _person_of(" ".join(t.text for t in run))
            if person is None:
                continue
            rest = terms[:start] + terms[end:]
            condition = None
            if any(not t.excluded for t in rest):
                condition = _text_match(query_alternatives(websearch.Query((rest,))))
            elif rest:
                unwanted = websearch.Query((tuple(websearch.Term(t.text) for t in rest),))
                condition = ~_text_match(query_alternatives(unwanted))
            found.append((person, condition))
    return found


def _tagged_matches(runs: list[tuple[str, Q | None]]) -> Q | None:
    """The articles of `_tagged_runs` as one condition on articles."""
    found = []
    for person, condition in runs:
        tagged = Q(pk__in=ArticlePerson.objects.filter(person__slug=person, rejected=False).values("article_id"))
        found.append(tagged & condition if condition is not None else tagged)
    return reduce(lambda a, b: a | b, found) if found else None


def _tagged_ids(runs: list[tuple[str, Q | None]]):
    """The articles of `_tagged_runs` as id lists read from the tags' person index."""
    for person, condition in runs:
        links = ArticlePerson.objects.filter(person__slug=person, rejected=False)
        if condition is not None:
            links = links.filter(article__in=Article.objects.filter(condition).values("pk"))
        yield links.values("article_id")


def search_filter(queryset: QuerySet, text: str) -> QuerySet:
    """Articles matching `text`, with a `search_rank` alias (higher is better) to order by.

    An alias, not an annotation: the rank reads every match's vector, so it is computed only
    when the list is ordered by it (a name in 13,000 articles of a million: 175 ms -> see
    bench/pages.py "search, a name"). A query with nothing to look for matches nothing.
    """
    query = websearch.parse(text)
    alternatives = query_alternatives(query) if query else []
    if not alternatives:
        return queryset.none().alias(search_rank=Value(0.0))
    runs = _tagged_runs(query)
    if uses_postgres():
        match, rank = _postgres_match(alternatives)
        if not runs:
            return queryset.filter(match).alias(search_rank=rank)
        # One id list from both ways, so each is read by its own index (the text's GIN index, the
        # tags' person index): 'match OR pk IN (tags)' is a filter the planner applies to every
        # article it walks in date order, a million of them for a rare name.
        ids = Article.objects.filter(match).values("pk").union(*_tagged_ids(runs))
        return queryset.filter(pk__in=ids).alias(search_rank=rank)
    tagged = _tagged_matches(runs)
    expression = fts5_expression(alternatives)
    if tagged is None:
        return queryset.filter(search_text__index__matches=expression).alias(
            search_rank=_Bm25Score(F("search_text__index")))
    # bm25 needs a MATCH of its own row: read for the rows shown, when ordered by relevance.
    rank = RawSQL(f"COALESCE((SELECT -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) FROM {FTS_TABLE} "  # noqa: S608, S611
                  f"WHERE {FTS_TABLE} MATCH %s AND rowid = articles_article.id), 0.0)", [expression],
                  output_field=FloatField())
    return queryset.filter(Q(pk__in=_fts5_ids(expression)) | tagged).alias(search_rank=rank)
