"""People the knowledge base does not know, found where the text introduces them with a role.

Two shapes: a role before the name ('Foreign Minister Ine Eriksen Soreide', 'the group's
spokesman, Zabihullah Mujahid') and a role in apposition after it ('Suhail Shaheen, a spokesman
for the Taliban's political office, said'). Precision comes first: a name needs two capitalised
words, none of which may be a calendar word, a sentence opener, a title, or a word of a known
organization's or place's name; and nothing the knowledge base already matched is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.text.lexicon import HONORIFICS, NAME_PARTICLES, NEVER_NAME_WORDS
from articles.text.normalize import fold

# After a role word (the matcher reports where role words are): the name, or "of the X," first.
_AFTER_ROLE = re.compile(r"\.?,?\s+(?=[^\W\d_])")
# 'The US ambassador to the United Nations, Linda Thomas-Greenfield, said'
_ROLE_OBJECT = re.compile(
    r"\s+(?:of|to|for|at|in|on)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+(?:of\s+|and\s+)?){0,5}[A-Z][\w'’.-]*,\s+(?=[^\W\d_])"
)
# 'Suhail Shaheen, a spokesman for the Taliban's political office, said': what stands before the
# role word and what follows it up to the closing comma.
_APPOSITION_OPENING = re.compile(r",\s+(?:the|a|an|his|her|its|their)\s+[^,.;:\"“”()]{0,60}", re.IGNORECASE)
_APPOSITION_REST = re.compile(r"[^,.;:\"“”()]{0,70}?(?=\s*[,.;])")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_QUALIFIER = re.compile(r"(?:(?:[A-Z][\w.-]*|[\w-]+['’]s|deputy|acting|senior|former|foreign|chief|special)\s+){0,3}$")
_MAX_NAME_TOKENS = 4


@dataclass
class Discovered:
    name: str
    role: str
    start: int  # where the name is introduced
    end: int
    snippet: str
    mentions: list[tuple[int, int]] = field(default_factory=list)  # every place the text names them

    @property
    def folded(self) -> str:
        return fold(self.name)


def _name_tokens_after(text: str, position: int) -> list[re.Match]:
    tokens: list[re.Match] = []
    while len(tokens) < _MAX_NAME_TOKENS + 1:
        match = _TOKEN.match(text, position)
        if not match:
            break
        word = match.group(0).rstrip(".'’")
        if not (word[:1].isupper() or fold(word) in NAME_PARTICLES):
            break
        tokens.append(match)
        gap = re.match(r"[ \t]+", text[match.end():match.end() + 3])
        if not gap:
            break
        position = match.end() + gap.end()
    while tokens and fold(tokens[-1].group(0)) in NAME_PARTICLES:
        tokens.pop()
    return tokens


def _name_tokens_before(text: str, position: int) -> list[tuple[int, int]]:
    """Capitalised words ending at `position`, read backwards."""
    spans: list[tuple[int, int]] = []
    end = position
    while len(spans) < _MAX_NAME_TOKENS + 1:
        match = re.search(r"([^\W\d_][\w'’.-]*)[ \t]*$", text[max(0, end - 40):end])
        if not match:
            break
        start = end - len(match.group(0))
        word = match.group(1)
        if not (word[:1].isupper() or fold(word) in NAME_PARTICLES):
            break
        spans.insert(0, (start, start + len(word)))
        end = start
    while spans and fold(text[spans[0][0]:spans[0][1]]) in NAME_PARTICLES:
        spans.pop(0)
    return spans


def _acceptable(words: list[str], entity_words: frozenset[str]) -> bool:
    core = [w for w in words if fold(w) not in NAME_PARTICLES]
    if not 2 <= len(core) <= _MAX_NAME_TOKENS:
        return False
    for word in core:
        folded = fold(word).strip(".'’")
        bare = folded.removeprefix("al-").removesuffix("'s")
        if (
            len(bare) < 2
            or word.isupper()
            or "." in word.rstrip(".")
            or folded in NEVER_NAME_WORDS
            or bare in NEVER_NAME_WORDS
            or folded in HONORIFICS
            or bare in entity_words
        ):
            return False
    return not words[-1].endswith(("'s", "’s"))


def discover_people(
    text: str, taken: list[tuple[int, int]], entity_words: frozenset[str], roles: list[tuple[int, int]]
) -> list[Discovered]:
    """Unknown people introduced with a role.

    `taken`: spans the knowledge base matched; `roles`: where the matcher saw role words.
    """
    occupied = bytearray(len(text) + 1)
    for start, end in taken:
        occupied[start:end] = b"\x01" * (end - start)
    found: dict[str, Discovered] = {}

    def consider(start: int, end: int, role: str) -> None:
        name = " ".join(text[start:end].split())
        words = name.split()
        if any(occupied[start:end]) or not _acceptable(words, entity_words):
            return
        snippet_start = max(0, text.rfind("\n", 0, start) + 1, start - 120)
        snippet = " ".join(text[snippet_start:min(len(text), end + 120)].split())
        key = fold(name)
        if key not in found:
            found[key] = Discovered(name, " ".join(role.split()).strip(" ,"), start, end, snippet)

    def qualified(start: int, role_end: int) -> str:
        qualifier = _QUALIFIER.search(text, max(0, start - 50), start)
        return (qualifier.group(0) if qualifier else "") + text[start:role_end]

    for start, end in roles:
        # 1. 'Foreign Minister Ine Eriksen Soreide', 'The Taliban spokesman, Zabihullah Mujahid'
        after = _AFTER_ROLE.match(text, end)
        if after and text[after.end()].isupper() and not occupied[after.end()]:
            tokens = _name_tokens_after(text, after.end())
            if tokens and len(tokens) <= _MAX_NAME_TOKENS:
                name_end = tokens[-1].start() + len(tokens[-1].group(0).rstrip(".,"))
                consider(tokens[0].start(), name_end, qualified(start, end))
        # 2. 'The US ambassador to the United Nations, Linda Thomas-Greenfield, said'
        office = _ROLE_OBJECT.match(text, end)
        if office:
            tokens = _name_tokens_after(text, office.end())
            if tokens and len(tokens) <= _MAX_NAME_TOKENS:
                name_end = tokens[-1].start() + len(tokens[-1].group(0).rstrip(".,"))
                if text[name_end:name_end + 1] == ",":  # the name stands in apposition, between commas
                    consider(tokens[0].start(), name_end, qualified(start, office.end()))
        # 3. 'Javid Faisal, a spokesman for the National Security Council, said'
        comma = text.rfind(",", max(0, start - 70), start)
        known = comma <= 0 or occupied[comma - 1]  # a name the knowledge base has is no discovery
        opening = None if known else _APPOSITION_OPENING.fullmatch(text, comma, start)
        rest = _APPOSITION_REST.match(text, end) if opening else None
        if opening and rest:
            spans = _name_tokens_before(text, opening.start())
            role = re.sub(r"^,\s+\w+\s+", "", text[opening.start():rest.end()])
            if spans and len(spans) <= _MAX_NAME_TOKENS:
                consider(spans[0][0], spans[-1][1], role)

    people = sorted(found.values(), key=lambda d: d.start)
    people = [p for p in people if not any(o is not p and o.folded.endswith(" " + p.folded) for o in people)]
    for person in people:
        person.mentions = _later_mentions(text, person, occupied)
    return people


def _later_mentions(text: str, person: Discovered, occupied: bytearray) -> list[tuple[int, int]]:
    """The introduction, then the full name or the surname wherever it recurs."""
    surname = person.name.split()[-1]
    pattern = re.compile(rf"(?<![\w-])(?:{re.escape(person.name)}|{re.escape(surname)})(?![\w-])")
    return [
        (m.start(), m.end()) for m in pattern.finditer(text, person.start)
        if m.start() == person.start or not any(occupied[m.start():m.end()])
    ]
