"""Search highlights for the page shown: the title with the words found marked, and an extract of
the body around them.

Computed in Python on the article's own text, for the shown page only: each word is read in the
normal form (and stemmed as the database stems it, see articles.queries.search), so a highlight
marks the word as the writer spelled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.queries import websearch
from articles.queries.search import ENGLISH_LANGUAGES, Phrase, query_alternatives, uses_postgres, word_spans
from articles.text.normalize import normalize, search_form

SNIPPET_WORDS = 40



@dataclass(frozen=True)
class Highlight:
    """An article's title with the matched words marked, and an extract of its body around them."""

    title: SafeString
    snippet: SafeString


@lru_cache(maxsize=2)
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


def _stem_algorithm(language: str) -> str | None:
    """The stemmer the database applied to an article: FTS5's porter for every article, PostgreSQL's
    `english` (Snowball) for English ones, none for `simple`."""
    if not uses_postgres():
        return "porter"
    return "english" if language in ENGLISH_LANGUAGES else None


def _keys(forms: list[str], algorithm: str | None) -> list[str]:
    keys = [normalize(form) for form in forms]
    return _stemmer(algorithm).stemWords(keys) if algorithm else keys


def _marked_spans(text: str, phrases: list[Phrase], algorithm: str | None) -> tuple[list[tuple[int, int]], set[int]]:
    """The text's word spans, and the indexes of those inside an occurrence of one of the phrases."""
    spans = word_spans(text)
    keys = _keys([search_form(text[start:end]) for start, end in spans], algorithm)
    marked: set[int] = set()
    for phrase in {tuple(_keys(list(p), algorithm)) for p in phrases}:
        size = len(phrase)
        for index in range(len(keys) - size + 1):
            if tuple(keys[index:index + size]) == phrase:
                marked.update(range(index, index + size))
    return spans, marked


def _render(text: str, spans: list[tuple[int, int]], marked: set[int], first: int, last: int) -> str:
    """The text from word `first` to word `last` escaped, each marked word in a <mark>."""
    out, position = [], spans[first][0]
    for index in range(first, last + 1):
        start, end = spans[index]
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>" if index in marked else escape(text[start:end]))
        position = end
    return "".join(out)


def _highlighted_title(text: str, phrases: list[Phrase], algorithm: str | None) -> SafeString:
    spans, marked = _marked_spans(text, phrases, algorithm)
    if not spans:
        return mark_safe(escape(text))
    return mark_safe(escape(text[:spans[0][0]]) + _render(text, spans, marked, 0, len(spans) - 1)
                     + escape(text[spans[-1][1]:]))


def _snippet(text: str, phrases: list[Phrase], algorithm: str | None) -> SafeString:
    """SNIPPET_WORDS words of the body: the stretch with the most marked words (the first such),
    or the beginning when none is; ' … ' where the body goes on."""
    spans, marked = _marked_spans(text, phrases, algorithm)
    if not spans:
        return mark_safe("")
    size = min(SNIPPET_WORDS, len(spans))
    best, count = 0, sum(1 for i in marked if i < size)
    current = count
    for first in range(1, len(spans) - size + 1):
        current += (first + size - 1 in marked) - (first - 1 in marked)
        if current > count:
            best, count = first, current
    if count:  # from a few words before the window's first mark, as FTS5's snippet begins
        first_mark = min(i for i in marked if i >= best)
        best = max(0, min(first_mark - 3, len(spans) - size))
    last = min(best + size, len(spans)) - 1
    return mark_safe(("… " if best else "") + _render(text, spans, marked, best, last)
                     + (" …" if last < len(spans) - 1 else ""))


def highlights(model, ids: list[int], text: str) -> dict[int, Highlight]:
    """The highlighted title and body extract of each article where it matches `text`, by id."""
    query = websearch.parse(text)
    if not ids or not query:
        return {}
    phrases = [phrase for alternative in query_alternatives(query) for forms in alternative.wanted for phrase in forms]
    found = {}
    for pk, title, body, language in model.objects.filter(pk__in=ids).values_list("pk", "title", "body", "language"):
        algorithm = _stem_algorithm(language)
        found[pk] = Highlight(_highlighted_title(title, phrases, algorithm), _snippet(body, phrases, algorithm))
    return found
