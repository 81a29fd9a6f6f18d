"""The search box's syntax, read once for both databases.

Words, "quoted phrases", -excluded words or -"phrases", and `or` between alternatives, as
PostgreSQL's websearch_to_tsquery reads them: `or` binds loosest, so `Khalilzad Doha or Kabul`
is (Khalilzad and Doha) or Kabul. Any input parses. What cannot be searched for is dropped: a
term without a letter or digit, a stray quote, dash or `or`, and an alternative made only of
exclusions (PostgreSQL would match every article without the word; here it matches nothing, as a
query of nothing to look for does on both databases).

The parse is written out again for each database, so both run the same query: as websearch text
with every term quoted for PostgreSQL, and as an FTS5 MATCH expression with every term quoted for
SQLite, where an unquoted operator or column name would otherwise be a syntax error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str  # a word or a phrase, without its quotes
    excluded: bool = False


@dataclass(frozen=True)
class Query:
    # Alternatives (or) of terms that must all hold; each has at least one term not excluded.
    alternatives: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def websearch(self) -> str:
        """For PostgreSQL's websearch_to_tsquery: `"a" -"b c" or "d"`."""
        return " or ".join(
            " ".join(f'{"-" if term.excluded else ""}"{term.text}"' for term in terms) for terms in self.alternatives
        )

    def fts5(self) -> str:
        """For SQLite's FTS5: `("a" NOT ("b c")) OR ("d")`; NOT there is binary, so exclusions
        follow what they are taken from."""
        alternatives = []
        for terms in self.alternatives:
            wanted = " AND ".join(_fts5_string(t.text) for t in terms if not t.excluded)
            unwanted = " OR ".join(_fts5_string(t.text) for t in terms if t.excluded)
            alternatives.append(f"({wanted}) NOT ({unwanted})" if unwanted else f"({wanted})")
        return " OR ".join(f"({alternative})" for alternative in alternatives)


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _searchable(text: str) -> bool:
    """Whether a term holds a word for the databases' tokenizers: a letter or a digit."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def _terms(text: str) -> list[Term | None]:
    """The terms in order; None stands for `or`."""
    found: list[Term | None] = []
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        excluded = False
        while position < end and text[position] == "-":
            excluded = True
            position += 1
        if position < end and text[position] == '"':
            close = text.find('"', position + 1)
            close = end if close == -1 else close
            found.append(Term(text[position + 1 : close], excluded))
            position = close + 1
            continue
        start = position
        while position < end and not text[position].isspace() and text[position] != '"':
            position += 1
        word = text[start:position]
        found.append(None if word.lower() == "or" and not excluded else Term(word, excluded))
    return found


def parse(text: str) -> Query:
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    for term in [*_terms(text), None]:
        if term is not None:
            if _searchable(term.text):
                current.append(Term(" ".join(term.text.split()), term.excluded))
            continue
        if any(not t.excluded for t in current):
            alternatives.append(tuple(current))
        current = []
    return Query(tuple(alternatives))
