"""Finds the knowledge base's entities and topic phrases in a text, in one Aho-Corasick pass.

How a name becomes a link:
1. Every surface form (name, alias, acronym, and a person's surname as an *implicit* short form)
   is folded (see normalize.fold) and put in one automaton with the entities it may mean.
2. Keys are matched between spaces in the text with punctuation turned to spaces, so a hit is
   always a run of whole words (letters of any script count), and counts only where the text
   has capitals where the surface form has them: "US" is not "us".
3. Overlapping hits are settled longest first, so "Hamid Karzai International Airport" is the
   airport and never the person inside it; a place named inside an organization's or a place's
   name is mentioned as well ("Pakistan's Foreign Office", "Kabul airport"). An organization's
   name also matches in the possessive ("the Taliban's political office"). A person's name directly followed by a word such as
   "University" or "Airport" names a building, not the person, and is not linked; a name followed
   by "administration" or "government" ("the Biden administration") does mean the person and is.
4. A form that fits several entities is settled by context, in this order: the one the text has
   already named in full; the one whose role or honorific stands right before the name ("Interior
   Minister Haqqani"), preferring a role held on the article's date; the only candidate; the one
   whose related entities (affiliation, country, parent) the text mentions. A surname that is also
   a common word or someone's given name ('West', 'Abdullah', 'Khan') is linked only by the first
   two. When context does not settle it, nothing is linked. A title alone is never a form.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from articles.text.lexicon import EPONYM_HEADS, NAME_CONTEXT_WORDS
from articles.text.normalize import fold, is_word_char, normalize, word_fold

EntityKey = tuple[str, int]  # ("person" | "organization" | "place" | "topic", primary key)

# Surnames that are also common English words or titles: linked only with context.
IMPLICIT_SURNAME_STOPLIST = {
    "general", "khan", "ali", "ahmad", "ahmed", "mohammad", "muhammad", "mohammed", "shah", "said",
    "president", "minister", "may", "march", "will", "rice", "price", "young", "long", "white", "bass",
    "west", "north", "south", "east", "press", "post", "rule", "law", "jan", "ji", "wang", "li", "zhang",
    "miller", "austin", "mark", "grant", "hill", "wood", "king", "bush", "ward", "bolton", "rubio", "kerry",
}

_NEXT_WORD = re.compile(r"[\s,]*([^\W\d_][\w'’-]*|\d)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[\s]*$")


@dataclass(frozen=True)
class EntityInfo:
    key: EntityKey
    slug: str
    name: str
    context: frozenset[EntityKey] = frozenset()


@dataclass(frozen=True, slots=True)
class Surface:
    """One surface form in the automaton."""

    length: int
    upper_positions: tuple[int, ...]
    explicit: tuple[EntityKey, ...]
    implicit: tuple[EntityKey, ...]
    phrases: tuple[tuple[int, float], ...]  # (topic id, weight)
    weak: bool = False  # an implicit form that is also a common word or given name
    markers: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (lexicon category, capitals it needs)


@dataclass(slots=True)
class Mention:
    entity: EntityKey
    start: int
    end: int


@dataclass
class MatchResult:
    mentions: list[Mention] = field(default_factory=list)
    phrase_hits: dict[int, float] = field(default_factory=dict)  # topic id -> summed phrase weight
    markers: list[tuple[str, int, int]] = field(default_factory=list)  # (lexicon category, start, end)

    def by_entity(self) -> dict[EntityKey, list[Mention]]:
        grouped: dict[EntityKey, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            grouped[mention.entity].append(mention)
        return grouped


# A phrase repeated many times says little more than one said three times.
MAX_PHRASE_REPEATS = 3

# Tells whether a person held a role, named by one of its title keys, on a day.
RoleCheck = Callable[[EntityKey, str, dt.date], bool]


class Matcher:
    def __init__(
        self,
        entities: list[EntityInfo],
        forms: dict[str, dict],
        phrases: dict[str, list[tuple[int, float]]],
        *,
        titles: dict[EntityKey, frozenset[str]] | None = None,
        weak_forms: set[str] | frozenset[str] = frozenset(),
        role_check: RoleCheck | None = None,
        markers: dict[str, set[str]] | None = None,
    ):
        """`forms`: surface text -> {"explicit": [...keys], "implicit": [...keys]}.

        `titles`: a person's folded role titles and honorifics, for settling shared short forms.
        `markers`: lexicon category -> words whose places the later steps want (months, roles,
        event triggers...), found in the same pass; a capital in the word is required in the text.
        """
        self.entities = {e.key: e for e in entities}
        self.titles = titles or {}
        self.role_check = role_check
        self._automaton = ahocorasick.Automaton()
        # What `with_person` needs to change a key as a rebuild would; empty until it is called.
        self._weak_forms = frozenset(weak_forms)
        self._overlay: ahocorasick.Automaton | None = None  # the keys added or changed since the build
        self._overlaid: dict[str, Surface] = {}
        self._replaced: frozenset[int] = frozenset()  # ids of the main automaton's surfaces the overlay replaces

        def slot_for(text: str) -> dict | None:
            key = phrase_key(text)
            if key is None:
                return None
            return arabic[key] if ARABIC_SCRIPT.search(text) else merged[key]

        merged: dict[str, dict] = defaultdict(_empty_slot)
        arabic: dict[str, dict] = defaultdict(_empty_slot)
        for text, owners in forms.items():
            if (slot := slot_for(text)) is not None:
                slot["uppers"].add(_capitals(text.strip()))
                slot["explicit"].update(owners.get("explicit", ()))
                slot["implicit"].update(owners.get("implicit", ()))
        for text, weights in phrases.items():
            if (slot := slot_for(text)) is not None:
                slot["phrases"].extend(weights)
        for category, words in (markers or {}).items():
            for word in words:
                if (slot := slot_for(word)) is not None:
                    slot["markers"].append((category, _capitals(word)))
        for folded, slot in merged.items():
            # The key stands between spaces: it matches whole words of the word-folded text only.
            self._automaton.add_word(f" {folded} ", _surface(folded, slot, self._weak_forms))
        self._automaton.make_automaton()
        self._slots = dict(merged)
        # Arabic-script names and phrases: keys without spaces, over the text squeezed the same way
        # (see `squeeze`), so that a compound written joined, split or with a joiner is one name.
        self._arabic: ahocorasick.Automaton | None = None
        if arabic:
            self._arabic = ahocorasick.Automaton()
            for key, slot in arabic.items():
                self._arabic.add_word(key, _surface(key, slot, frozenset()))
            self._arabic.make_automaton()

    def with_person(
        self, info: EntityInfo, *, explicit: list[str], implicit: list[str], titles: frozenset[str], given_names: set[str],
    ) -> Matcher:
        """A copy that also knows one more person, exactly as a matcher built with them would, in
        a fraction of the time (for people the tagger discovers, one article at a time).

        The main automaton is shared, unchanged: the keys whose surface changes (the person's
        forms, and surnames that become weak because the person's given name is one) and the new
        keys go in a small second automaton, rebuilt each time, whose surfaces win.
        """
        weak_forms = self._weak_forms | given_names
        changed: dict[str, dict] = {}

        def slot(folded: str) -> dict:
            if folded not in changed:
                old = self._slots.get(folded)
                changed[folded] = _empty_slot() if old is None else {name: value.copy() for name, value in old.items()}
            return changed[folded]

        for forms, owners in ((explicit, "explicit"), (implicit, "implicit")):
            for text in forms:
                if (folded := _slot_key(text)) is not None:
                    slot(folded)["uppers"].add(_capitals(text.strip()))
                    slot(folded)[owners].add(info.key)
        for folded in weak_forms - self._weak_forms:
            if folded in self._slots:
                slot(folded)

        matcher = copy.copy(self)
        matcher.entities = {**self.entities, info.key: info}
        matcher.titles = {**self.titles, info.key: titles}
        matcher._weak_forms = weak_forms
        matcher._slots = {**self._slots, **changed}
        matcher._overlaid = {**self._overlaid, **{folded: _surface(folded, s, weak_forms) for folded, s in changed.items()}}
        matcher._replaced = self._replaced | {
            id(self._automaton.get(f" {folded} ")) for folded in changed if self._automaton.exists(f" {folded} ")
        }
        matcher._overlay = ahocorasick.Automaton()
        for folded, surface in matcher._overlaid.items():
            matcher._overlay.add_word(f" {folded} ", surface)
        matcher._overlay.make_automaton()
        return matcher

    def _arabic_matches(self, text: str):
        """(end, surface) of every Arabic-script key in the text, by the text's own offsets (end exclusive),
        matched at whole words only."""
        if self._arabic is None or not ARABIC_SCRIPT.search(text):
            return
        # Only the stretches in Arabic script: an English text quoting a Dari name costs that name.
        for run in _ARABIC_RUN.finditer(text):
            squeezed, positions = squeeze(run.group(0))
            offset = run.start()
            for last, surface in self._arabic.iter(squeezed):
                start, end = offset + positions[last - surface.length + 1], offset + positions[last] + 1
                if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                    # A short key across a space is two words that happen to spell it ('و با', and
                    # with, is not 'وبا', cholera); a long one is a compound written apart ('خلیل زاد').
                    if surface.length < MIN_SPLIT_KEY and " " in text[start:end]:
                        continue
                    yield start, end, surface

    def _matches(self, padded: str):
        """(end, surface) of every key in the padded text, in the order one automaton gives them:
        by end, the longest first."""
        if self._overlay is None:
            return self._automaton.iter(padded)
        replaced = self._replaced
        matches = [(last, surface) for last, surface in self._automaton.iter(padded) if id(surface) not in replaced]
        matches += self._overlay.iter(padded)
        matches.sort(key=lambda match: (match[0], -match[1].length))
        return matches

    def find(
        self,
        text: str,
        context: frozenset[EntityKey] = frozenset(),
        *,
        when: dt.date | None = None,
        folded: str | None = None,
    ) -> MatchResult:
        """Entity mentions, topic phrase weights and lexicon markers in `text`.

        `context`: entities known from elsewhere (the dateline, the body for a headline).
        `when`: the article's date, to prefer the person who held a role then.
        """
        folded = fold(text) if folded is None else folded
        size = len(text)
        hits: list[tuple[int, int, Surface]] = []
        phrases: list[tuple[int, int, int, float, int]] = []  # start, end, topic id, weight, surface
        result = MatchResult()
        markers = result.markers
        for last, surface in self._matches(f" {word_fold(folded)} "):
            # `last` is the key's closing space in the padded text, one ahead of the original.
            end = last - 1
            start = end - surface.length
            if surface.phrases:
                phrases.extend((start, end, topic_id, weight, id(surface)) for topic_id, weight in surface.phrases)
            if surface.markers:
                for category, capitals in surface.markers:
                    if not capitals or _capitals_at(text, start, capitals):
                        markers.append((category, start, end))
            if (surface.explicit or surface.implicit) and _capitals_at(text, start, surface.upper_positions):
                hits.append((start, end, surface))
        for start, end, surface in self._arabic_matches(text):
            if surface.phrases:
                phrases.extend((start, end, topic_id, weight, id(surface)) for topic_id, weight in surface.phrases)
            markers.extend((category, start, end) for category, _capitals in surface.markers)
            if surface.explicit or surface.implicit:
                hits.append((start, end, surface))

        if phrases:
            _score_phrases(phrases, result.phrase_hits)
        chosen = sorted(_longest_first(hits), key=lambda hit: hit[0])
        named = set(context)  # named unambiguously anywhere in the text
        for _start, _end, surface in chosen:
            if len(surface.explicit) == 1 and not surface.implicit:
                named.add(surface.explicit[0])
        earlier = set(context)  # named unambiguously before the current hit
        containers = bytearray(size + 1)  # spans of organization and place names
        for start, end, surface in chosen:
            entity = self._resolve(surface, earlier, named, folded, text, start, end, when)
            if len(surface.explicit) == 1 and not surface.implicit:
                earlier.add(surface.explicit[0])
            if entity is None or (entity[0] == "person" and (
                _names_a_thing(text, end) or (_partial(surface, folded, start, end) and _inside_another_name(text, start, end))
            )):
                continue
            result.mentions.append(Mention(entity, start, end))
            if entity[0] in {"organization", "place"}:
                containers[start:end] = b"\x01" * (end - start)
        # A place named inside an organization's or a place's name is mentioned too.
        taken = {(m.start, m.end) for m in result.mentions}
        for start, end, surface in hits:
            if (
                (start, end) not in taken and containers[start] and containers[end - 1]
                and len(surface.explicit) == 1 and not surface.implicit and surface.explicit[0][0] == "place"
            ):
                result.mentions.append(Mention(surface.explicit[0], start, end))
        result.mentions.sort(key=lambda m: m.start)
        return result

    def _resolve(
        self, surface: Surface, earlier: set[EntityKey], named: set[EntityKey],
        folded: str, text: str, start: int, end: int, when: dt.date | None,
    ) -> EntityKey | None:
        if len(surface.explicit) == 1 and not surface.implicit:
            return surface.explicit[0]
        candidates = (*surface.explicit, *surface.implicit)
        # 1. A short form names whoever the text has already named in full.
        introduced = [key for key in candidates if key in earlier]
        if len(introduced) == 1:
            return introduced[0]
        # 2. The title right before the name.
        titled = self._by_title(candidates, folded, start, when)
        if titled is not None:
            return titled
        if surface.weak or (surface.implicit and not _plausible_surname_use(text, start, end)):
            return None
        # 3. The only candidate.
        if len(surface.explicit) == 1:
            return surface.explicit[0]
        if not surface.explicit and len(surface.implicit) == 1:
            return surface.implicit[0]
        # 4. Related entities in the text.
        scored = sorted(((len(self.entities[k].context & named), k) for k in candidates), reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
        return None

    def _by_title(self, candidates: tuple[EntityKey, ...], folded: str, start: int, when: dt.date | None) -> EntityKey | None:
        before = folded[max(0, start - 60):start].rstrip(" ,(")
        matching: list[tuple[EntityKey, str]] = []
        for key in candidates:
            for title in self.titles.get(key, ()):
                if before.endswith(title) and (len(before) == len(title) or not is_word_char(before[-len(title) - 1])):
                    matching.append((key, title))
                    break
        keys = {key for key, _ in matching}
        if len(keys) == 1:
            return matching[0][0]
        if len(keys) > 1 and when is not None and self.role_check is not None:
            current = {key for key, title in matching if self.role_check(key, title, when)}
            if len(current) == 1:
                return current.pop()
        return None


def _score_phrases(phrases: list[tuple[int, int, int, float, int]], totals: dict[int, float]) -> None:
    """Each topic's summed phrase weights. A phrase inside a longer one of the same topic ('security
    forces' in 'Afghan security forces') counts once, as the longer one; a phrase repeated more
    than MAX_PHRASE_REPEATS times counts as often as that."""
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    repeats: dict[tuple[int, int], int] = defaultdict(int)
    for start, end, topic_id, weight, surface in sorted(phrases, key=lambda p: (p[0] - p[1], p[0])):
        if any(s < end and start < e for s, e in taken[topic_id]):
            continue
        taken[topic_id].append((start, end))
        repeats[(topic_id, surface)] += 1
        if repeats[(topic_id, surface)] <= MAX_PHRASE_REPEATS:
            totals[topic_id] = totals.get(topic_id, 0.0) + weight


ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f]")
_JOINERS = {" ", "\u200c", "\u200d", "\u00a0"}
# Arabic-script keys shorter than this (in letters) match only where the text writes them without a space.
MIN_SPLIT_KEY = 6


def arabic_key(name: str) -> str:
    """An Arabic-script name or phrase as the automaton keys it: normal form, no spaces or joiners."""
    return "".join(normalize(name).split())


# A stretch of Arabic-script text: its letters, marks and digits, and the spaces and joiners between them.
_ARABIC_RUN = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
    "(?:[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u200c\u200d\u00a0 ]*"
    "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff])?"
)


@lru_cache(maxsize=4096)
def _char_form(char: str) -> str:
    return normalize(char)


@lru_cache(maxsize=4096)
def _is_letter(form: str) -> bool:
    return bool(form) and bool(_ARABIC_LETTER.match(form))


def squeeze(text: str) -> tuple[str, list[int]]:
    """The text in normal form with the spaces and joiners between two Arabic-script letters left
    out ('خلیل زاد', 'خلیل‌زاد', 'خلیلزاد' alike), and for each character its offset in the text."""
    out: list[str] = []
    positions: list[int] = []
    size = len(text)
    for index, char in enumerate(text):
        if char in _JOINERS and out and _is_letter(out[-1]):
            following = index + 1
            while following < size and text[following] in _JOINERS:
                following += 1
            if following < size and (_is_letter(_char_form(text[following])) or _is_letter(text[following])):
                continue
        for normal in _char_form(char):
            out.append(normal)
            positions.append(index)
    return "".join(out), positions


def _empty_slot() -> dict:
    return {"uppers": set(), "explicit": set(), "implicit": set(), "phrases": [], "markers": []}


def phrase_key(text: str) -> str | None:
    """The key the matcher finds a surface form or phrase by (two texts with one key are one to
    it), or None when too short to be one."""
    if ARABIC_SCRIPT.search(text):
        key = arabic_key(text)
        return key if len(key) >= 2 else None
    return _slot_key(text)


def _slot_key(text: str) -> str | None:
    """The automaton's key of a surface form (without its surrounding spaces), or None when too short."""
    folded = " ".join(word_fold(fold(text)).split())
    return folded if len(folded) >= 2 else None


def _capitals(text: str) -> tuple[int, ...]:
    return tuple(i for i, c in enumerate(text) if c.isupper())


def _surface(folded: str, slot: dict, weak_forms: frozenset[str]) -> Surface:
    # Several spellings may share a fold: require only the capitals they all have.
    uppers = set.intersection(*(set(u) for u in slot["uppers"])) if slot["uppers"] else set()
    implicit = slot["implicit"] - slot["explicit"]
    return Surface(
        len(folded), tuple(sorted(uppers)), tuple(sorted(slot["explicit"])), tuple(sorted(implicit)),
        tuple(slot["phrases"]), weak=bool(implicit) and folded in weak_forms, markers=tuple(slot["markers"]),
    )


def _capitals_at(text: str, start: int, positions: tuple[int, ...]) -> bool:
    # A loop, not all(...): this runs for every hit, and a generator costs more than the check.
    for i in positions:  # noqa: SIM110
        if not text[start + i].isupper():
            return False
    return True


def _plausible_surname_use(text: str, start: int, end: int) -> bool:
    """A bare surname should read as a name: not 'May 1', not 'West Asia', not 'the West'."""
    following = _NEXT_WORD.match(text, end)
    if following and text[end:following.start(1)].strip() == "":
        word = following.group(1)
        if word[0].isdigit() or word[0].isupper():
            return False
    previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return not (previous and previous.group(1).lower() in {"the", "a", "an"})


def _names_a_thing(text: str, end: int) -> bool:
    following = _NEXT_WORD.match(text, end)
    if not following or text[end:following.start(1)].strip():
        return False
    word = following.group(1)
    return word[0].isupper() and fold(word) in EPONYM_HEADS


def _partial(surface: Surface, folded: str, start: int, end: int) -> bool:
    """A short form (a surname, or one word of a name), which may be a piece of someone else's name."""
    return bool(surface.implicit) or " " not in folded[start:end].strip()




def _inside_another_name(text: str, start: int, end: int) -> bool:
    """'Ghani' in 'Mullah Abdul Ghani Berader' is not Ashraf Ghani: a short form right after or right
    before another capitalised name word (not a title or a common word) is a piece of another name."""
    before = _PREVIOUS_NAME.search(text, max(0, start - 30), start)
    if before and fold(before.group(1)) not in NAME_CONTEXT_WORDS:
        return True
    after = _NEXT_NAME.match(text, end)
    return bool(after and fold(after.group(1)) not in NAME_CONTEXT_WORDS and not text[end:after.start(1)].strip())


_PREVIOUS_NAME = re.compile(r"\b([A-Z][\w'’-]*) $")
_NEXT_NAME = re.compile(r" ([A-Z][\w'’-]*)")


def _kinds(surface: Surface) -> set[str]:
    return {key[0] for key in (*surface.explicit, *surface.implicit)}


def _longest_first(hits: list[tuple[int, int, Surface]]) -> list[tuple[int, int, Surface]]:
    """Non-overlapping hits, longest first; two names of different kinds that only overlap (neither
    inside the other, as 'Ashraf Ghani' in "Ashraf Ghani's government") are both kept."""
    chosen: list[tuple[int, int, Surface]] = []
    taken = bytearray(max((end for _, end, _ in hits), default=0))
    for start, end, surface in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if taken.find(1, start, end) != -1:
            clashes = [c for c in chosen if c[0] < end and start < c[1]]
            if any(
                (c[0] <= start and end <= c[1]) or (start <= c[0] and c[1] <= end) or _kinds(c[2]) & _kinds(surface)
                for c in clashes
            ):
                continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, surface))
    return chosen
