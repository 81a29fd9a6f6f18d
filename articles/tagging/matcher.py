"""Finds the knowledge base's entities and topic phrases in a text, in one Aho-Corasick pass.

How a name becomes a link:
1. Every surface form (name, alias, acronym, and a person's surname as an *implicit* short form)
   is folded (see normalize.fold) and put in one automaton with the entities it may mean.
2. A hit counts only on word boundaries, and only where the text has capitals where the surface
   form has them: "US" is not "us", "Price" is not "price".
3. Overlapping hits are settled longest first, so "Hamid Karzai International Airport" is the
   airport and never the person inside it. A name inside a longer non-entity phrase still counts
   on purpose: "Biden administration" mentions Joe Biden.
4. A form that fits several entities is settled by context: an implicit surname goes to the
   person named in full in the same text; explicit forms shared by several entities go to the one
   whose related entities (affiliation, country, parent, a place in its name) the text mentions.
   When context does not settle it, nothing is linked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick

from .normalize import fold, is_word_char

EntityKey = tuple[str, int]  # ("person" | "organization" | "place" | "topic", primary key)

# Words that are surnames of someone but too common as words or titles to link on their own.
IMPLICIT_SURNAME_STOPLIST = {
    "general", "khan", "ali", "ahmad", "ahmed", "mohammad", "muhammad", "mohammed", "shah", "said",
    "president", "minister", "may", "march", "will", "rice", "price", "young", "long", "white", "bass",
    "west", "north", "south", "east", "press", "post", "rule", "law", "jan", "ji", "wang", "li", "zhang",
}


@dataclass(frozen=True)
class EntityInfo:
    key: EntityKey
    slug: str
    name: str
    context: frozenset[EntityKey] = frozenset()


@dataclass(frozen=True)
class Surface:
    """One surface form in the automaton."""

    length: int
    upper_positions: tuple[int, ...]
    explicit: tuple[EntityKey, ...]
    implicit: tuple[EntityKey, ...]
    phrases: tuple[tuple[int, float], ...]  # (topic id, weight)


@dataclass
class Mention:
    entity: EntityKey
    start: int
    end: int


@dataclass
class MatchResult:
    mentions: list[Mention] = field(default_factory=list)
    phrase_hits: dict[int, float] = field(default_factory=dict)  # topic id -> summed phrase weight

    def by_entity(self) -> dict[EntityKey, list[Mention]]:
        grouped: dict[EntityKey, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            grouped[mention.entity].append(mention)
        return grouped


# A phrase repeated many times says little more than one said three times.
MAX_PHRASE_REPEATS = 3


class Matcher:
    def __init__(self, entities: list[EntityInfo], forms: dict[str, dict], phrases: dict[str, list[tuple[int, float]]]):
        """`forms`: surface text -> {"explicit": [...keys], "implicit": [...keys]}."""
        self.entities = {e.key: e for e in entities}
        self._automaton = ahocorasick.Automaton()
        merged: dict[str, dict] = defaultdict(lambda: {"uppers": set(), "explicit": set(), "implicit": set(), "phrases": []})
        for text, owners in forms.items():
            folded = fold(text).strip()
            if len(folded) < 2:
                continue
            slot = merged[folded]
            slot["uppers"].add(tuple(i for i, c in enumerate(text.strip()) if c.isupper()))
            slot["explicit"].update(owners.get("explicit", ()))
            slot["implicit"].update(owners.get("implicit", ()))
        for text, weights in phrases.items():
            folded = fold(text).strip()
            if len(folded) >= 2:
                merged[folded]["phrases"].extend(weights)
        for folded, slot in merged.items():
            # Several spellings may share a fold: require only the capitals they all have.
            uppers = set.intersection(*(set(u) for u in slot["uppers"])) if slot["uppers"] else set()
            implicit = slot["implicit"] - slot["explicit"]
            self._automaton.add_word(
                folded,
                Surface(len(folded), tuple(sorted(uppers)), tuple(sorted(slot["explicit"])), tuple(sorted(implicit)),
                        tuple(slot["phrases"])),
            )
        self._automaton.make_automaton()

    def find(self, text: str, context: frozenset[EntityKey] = frozenset()) -> MatchResult:
        """Entity mentions and topic phrase weights in `text`; `context` adds known entities (a dateline)."""
        folded = fold(text)
        size = len(text)
        hits: list[tuple[int, int, Surface]] = []
        phrase_counts: dict[tuple[int, int], int] = defaultdict(int)
        result = MatchResult()
        for end_index, surface in self._automaton.iter(folded):
            start = end_index - surface.length + 1
            end = end_index + 1
            if start > 0 and is_word_char(folded[start - 1]):
                continue
            if end < size and is_word_char(folded[end]):
                continue
            for topic_id, weight in surface.phrases:
                phrase_counts[(topic_id, id(surface))] += 1
                if phrase_counts[(topic_id, id(surface))] <= MAX_PHRASE_REPEATS:
                    result.phrase_hits[topic_id] = result.phrase_hits.get(topic_id, 0.0) + float(weight)
            if not (surface.explicit or surface.implicit):
                continue
            if any(not text[start + i].isupper() for i in surface.upper_positions):
                continue
            hits.append((start, end, surface))

        chosen = _longest_first(hits)
        found = set(context)
        for _start, _end, surface in chosen:
            if len(surface.explicit) == 1 and not surface.implicit:
                found.add(surface.explicit[0])
        for start, end, surface in chosen:
            entity = self._resolve(surface, found)
            if entity is not None:
                result.mentions.append(Mention(entity, start, end))
        result.mentions.sort(key=lambda m: m.start)
        return result

    def _resolve(self, surface: Surface, found: set[EntityKey]) -> EntityKey | None:
        # A short form names whoever the text has already named in full.
        introduced = [key for key in (*surface.explicit, *surface.implicit) if key in found]
        if len(introduced) == 1:
            return introduced[0]
        if len(surface.explicit) == 1:
            return surface.explicit[0]
        if not surface.explicit and len(surface.implicit) == 1:
            return surface.implicit[0]
        candidates = surface.explicit or surface.implicit
        scored = sorted(((len(self.entities[k].context & found), k) for k in candidates), reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
        return None


def _longest_first(hits: list[tuple[int, int, Surface]]) -> list[tuple[int, int, Surface]]:
    taken = bytearray(max((end for _, end, _ in hits), default=0))
    chosen = []
    for start, end, surface in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, surface))
    return chosen
