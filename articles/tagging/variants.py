"""People named with a romanisation the knowledge base does not list: 'Mullah Abdul Ghani Berader',
'Zalmai Khalilzad', 'Sohail Shahin', 'Amir Khan Motaqi'.

The matcher finds only the spellings the knowledge base lists. What it leaves, a run of capitalised
words that looks like a name, is compared with every listed name of every person, word by word:
1. Each word is reduced to a skeleton that romanisations of one Dari, Pashto or Arabic name share:
   folded, 'ph' as 'f', 'q' as 'k', no 'h' but a first one, no vowels but a first one (as 'a'),
   no doubled letters ('Baradar', 'Berader', 'Biradar' -> 'brdr'; 'Zabihullah', 'Zabiullah' -> 'zbl').
2. A name of two words or more is a variant of a known one when every word has the skeleton of
   the word at its place in one of the person's names and is close in spelling to it (a letter or
   two changed, never another name: 'Hanif' is not 'Hanafi' unless the given names agree too), and
   no other person's name fits as well. Titles and honorifics before it are left aside.
3. A single word is a variant only of a surname already met in the same text ('Berader said'),
   or after an honorific ('Mulla Biradar'), and only when one person's surname fits.
False merges cost more than misses: anything that fits two people is left to discovery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from articles.text.lexicon import HONORIFICS, NAME_CONTEXT_WORDS, NAME_PARTICLES
from articles.text.normalize import fold

from .matcher import EntityKey, Mention

_VOWELS = set("aeiouy")
# Two words spelled at least this alike (difflib's ratio) may be one name in two romanisations
# ('Din' and 'Deen': 0.57).
MIN_SIMILARITY = 0.5
_NAME_RUN = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*)(?:(?:\s+(?:bin|ibn|ul|ud|al|el|e|ur|ul|u)-?\s*|\s+|-)[A-Z][\w'’-]*){0,5}"
)


def skeleton(word: str) -> str:
    """What romanisations of one name share (see the module's docstring)."""
    text = fold(word).replace("ph", "f").replace("q", "k").replace("ck", "k")
    text = "".join(c for c in text if c.isalpha())
    if not text:
        return ""
    first, rest = ("a" if text[0] in _VOWELS else text[0]), text[1:]
    letters = [c for c in rest if c not in _VOWELS and c != "h"]
    out = first
    for c in letters:
        if c != out[-1]:
            out += c
    return out


def _similar(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= MIN_SIMILARITY


def _tokens(name: str, *, titles: bool = False) -> tuple[str, ...]:
    """A name's words without particles, and without the honorifics before it unless `titles`
    ('Mullah Abdul Ghani Baradar' -> Abdul Ghani Baradar; 'Amir Khan Muttaqi' keeps its 'Amir' with titles)."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    while words and not titles and _is_title(words[0]):
        words.pop(0)
    return tuple(w for w in words if fold(w).strip(".'") not in NAME_PARTICLES)


# 'Abdul Salam' is also written 'Abdulsalam', 'Zabih Ullah' 'Zabihullah': name words the news joins.
_JOINED_FIRST = {"abd", "abdul", "abdel", "abdal", "abdur", "abdus", "ghulam", "saif", "zia", "fazl", "nur"}


def _forms(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    forms = {words}
    for i in range(len(words) - 1):
        if fold(words[i]) in _JOINED_FIRST or fold(words[i + 1]) in {"ullah", "ulla", "allah"}:
            forms.add((*words[:i], words[i] + words[i + 1].lower(), *words[i + 2:]))
    return forms


def _is_title(word: str) -> bool:
    folded = fold(word).strip(".,'")
    return folded in NAME_CONTEXT_WORDS


@dataclass
class VariantIndex:
    """Every listed name of every person by the skeletons of its words, and surnames by theirs."""

    names: dict[tuple[str, ...], list[tuple[EntityKey, tuple[str, ...]]]] = field(default_factory=dict)
    surnames: dict[str, list[tuple[EntityKey, str]]] = field(default_factory=dict)

    @classmethod
    def build(cls, people: list[tuple[EntityKey, list[str]]]) -> VariantIndex:
        index = cls()
        index._add(people)
        return index

    def with_person(self, key: EntityKey, names: list[str]) -> VariantIndex:
        """A copy that knows one more person; this one is left as it is (other threads may read it)."""
        grown = VariantIndex({k: list(v) for k, v in self.names.items()}, {k: list(v) for k, v in self.surnames.items()})
        grown._add([(key, names)])
        return grown

    def _add(self, people: list[tuple[EntityKey, list[str]]]) -> None:
        index = self
        for key, names in people:
            for name in names:
                for words in {_tokens(name), _tokens(name, titles=True)}:
                    for form in _forms(words):
                        if len(form) >= 2 and (key, form) not in index.names.get(tuple(map(skeleton, form)), []):
                            index.names.setdefault(tuple(map(skeleton, form)), []).append((key, form))
            words = _tokens(names[0]) if names else ()
            if len(words) >= 2 and len(words[-1]) >= 4:
                index.surnames.setdefault(skeleton(words[-1]), []).append((key, words[-1]))

    def person_for(self, words: tuple[str, ...]) -> EntityKey | None:
        """The one person a name of two words or more is a variant of, or None."""
        found = {
            key for key, known in self.names.get(tuple(map(skeleton, words)), ())
            if all(_similar(a, b) for a, b in zip(words, known, strict=True))
        }
        return found.pop() if len(found) == 1 else None

    def surname_of(self, word: str, among: set[EntityKey] | None = None) -> EntityKey | None:
        """The one person (of `among`, when given) whose surname a single word is a variant of."""
        found = {
            key for key, surname in self.surnames.get(skeleton(word), ())
            if _similar(word, surname) and (among is None or key in among)
        }
        return found.pop() if len(found) == 1 else None


def find_variants(text: str, taken: list[tuple[int, int]], named: set[EntityKey], index: VariantIndex) -> list[Mention]:
    """Mentions of known people in spellings the matcher does not know, outside the `taken` spans.

    `named`: the people the matcher found in the text, whose surnames alone may then be variants.
    """
    covered = bytearray(len(text) + 1)
    for start, end in taken:
        covered[start:end] = b"\x01" * (end - start)
    found: list[Mention] = []
    met = set(named)
    for run in _NAME_RUN.finditer(text):
        start, end = run.start(), run.end()
        if covered.find(1, start, end) != -1:
            continue
        words = [(m.group(0), m.start()) for m in re.finditer(r"[A-Z][\w'’.]*(?:-[A-Z][\w'’]*)?", run.group(0))]
        words = [(w.rstrip(".'’"), at) for w, at in words if fold(w).strip(".'") not in NAME_PARTICLES]
        # Titles before the name go; an honorific may be part of a listed name ('Amir Khan Muttaqi').
        while words and _is_title(words[0][0]) and fold(words[0][0]) not in HONORIFICS:
            words.pop(0)
        key, first, honorific = None, None, False
        while words and key is None:
            if len(words) >= 2:
                key = index.person_for(tuple(w for w, _ in words))
            first = start + words[0][1]
            if key is None and _is_title(words[0][0]):
                honorific = honorific or fold(words[0][0]).strip(".") in HONORIFICS
                words.pop(0)
                continue
            break
        if not words:
            continue
        if key is None and len(words) == 1 and len(words[0][0]) >= 4 and (met or honorific):
            key = index.surname_of(words[0][0], None if honorific else met)
        if key is not None:
            found.append(Mention(key, first, end))
            met.add(key)
    return found
