"""How the news rephrases an organization's name, beyond the aliases the knowledge base lists.

1. Written in lower case: 'the high council for national reconciliation'. Only names of three
   words or more, which no common phrase shares.
2. Turned around with the country: 'Ministry of Foreign Affairs of Pakistan' is also 'Pakistan's
   foreign ministry', 'the Pakistani foreign ministry'; 'Government of Afghanistan' the 'Afghan
   government'; an embassy of a country 'the Indian embassy in Kabul'.
3. With a synonym of its head: a 'political office' is also a 'political bureau'.
4. Named by what it is to an organization the text has named: 'the movement's political office',
   'their political office in Qatar', 'the government's negotiating team' (`owned_mentions`, over
   a text, because it needs what the text named before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.text.normalize import fold

from .matcher import EntityKey, Mention

# Country code -> the adjectives and possessives the news names a country's bodies with.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan", "Afghanistan's"), "PK": ("Pakistani", "Pakistan's", "Pakistan"), "IR": ("Iranian", "Iran's"),
    "IN": ("Indian", "India's"), "CN": ("Chinese", "China's"), "RU": ("Russian", "Russia's"), "QA": ("Qatari", "Qatar's"),
    "TR": ("Turkish", "Turkey's"), "UZ": ("Uzbek", "Uzbekistan's"), "US": ("US", "American", "U.S."),
    "GB": ("British", "Britain's", "UK"), "DE": ("German", "Germany's"), "NO": ("Norwegian", "Norway's"),
    "TJ": ("Tajik", "Tajikistan's"), "TM": ("Turkmen",), "SA": ("Saudi",), "AE": ("Emirati", "UAE"), "JP": ("Japanese",),
}
HEAD_SYNONYMS = {"office": "bureau", "bureau": "office"}
_MINISTRY = re.compile(r"^Ministry of (?P<what>[A-Z][\w ]+?) of (?P<country>[A-Z][\w ]+)$")
_GOVERNMENT = re.compile(r"^Government of (?P<country>[A-Z][\w ]+)$")
_EMBASSY = re.compile(r"^(?:Embassy of (?P<country>[A-Z][\w ]+?)|(?P<code>[A-Z]{2}) Embassy) in (?P<city>[A-Z][\w ]+)$")
_SHORT_MINISTRY = {"Foreign Affairs": "foreign ministry", "Interior": "interior ministry", "Defense": "defence ministry",
                   "Defence": "defence ministry", "Finance": "finance ministry", "Information and Culture": "information ministry"}


def lower_case_forms(names: list[str]) -> list[str]:
    """Names of three words or more, in lower case (the capitals of acronyms kept)."""
    return [
        " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in name.split())
        for name in names if len(name.split()) >= 3
    ]


def country_forms(name: str, country: str) -> list[str]:
    """'Ministry of Foreign Affairs of Pakistan' -> "Pakistan's foreign ministry", 'Pakistani foreign ministry'..."""
    demonyms = DEMONYMS.get(country, ())
    forms: list[str] = []
    if (match := _MINISTRY.match(name)) and match.group("what") in _SHORT_MINISTRY:
        short = _SHORT_MINISTRY[match.group("what")]
        forms += [f"{d} {short}" for d in demonyms] + [f"{short} of {match.group('country')}"]
    elif _GOVERNMENT.match(name):
        forms += [f"{d} government" for d in demonyms]
    elif match := _EMBASSY.match(name):
        forms += [f"{d} embassy in {match.group('city')}" for d in demonyms]
    return forms


def synonym_forms(names: list[str]) -> list[str]:
    """'Taliban political office' -> 'Taliban political bureau' (and its possessive)."""
    forms = []
    for name in names:
        words = name.split()
        for i, word in enumerate(words):
            synonym = HEAD_SYNONYMS.get(word.lower())
            if synonym:
                forms.append(" ".join([*words[:i], synonym if word.islower() else synonym.capitalize(), *words[i + 1:]]))
    return forms


# Who a body belongs to, when the text does not repeat the owner's name.
_OWNER = re.compile(
    r"(?:\b(?:the\s+)?(?:movement|group|insurgents|militants|government|administration|republic|organisation|organization)['’]s?"
    r"|\b(?:their|its))\s+$",
    re.IGNORECASE,
)


Owned = tuple[EntityKey, EntityKey, frozenset[str]]  # the body, its owner, the words of the owner's names


@dataclass(frozen=True)
class OwnedHeads:
    """Heads of owned bodies' names ('political office'): the bodies each may name, and the
    pattern that finds it at whole words, compiled once."""

    bodies: dict[str, list[Owned]]
    patterns: dict[str, re.Pattern]


def owned_heads(organizations: list[dict], parent_names: dict[int, list[str]]) -> OwnedHeads:
    """Folded head ('political office', 'negotiating team') -> [(the body, its owner, owner words)]:
    a body's name without its owner's name ('Taliban Political Office' less 'Taliban')."""
    heads: dict[str, list[Owned]] = {}
    for o in organizations:
        if not o["parent_id"]:
            continue
        owners = sorted((fold(n) for n in parent_names.get(o["parent_id"], [])), key=len, reverse=True)
        for name in [o["name"], *o["aliases"]]:
            folded = " ".join(fold(name).split())
            owner = next((w for w in owners if folded.startswith(w + " ")), None)
            head = folded[len(owner) + 1:] if owner else ""
            if len(head.split()) >= 2:
                words = frozenset(w for n in owners for w in n.split())
                for form in {head, *(fold(f) for f in synonym_forms([head]))}:
                    owned = (("organization", o["id"]), ("organization", o["parent_id"]), words)
                    if owned not in heads.setdefault(form, []):
                        heads[form].append(owned)
    return OwnedHeads(heads, {head: re.compile(rf"\b{re.escape(head)}\b") for head in heads})


def owned_mentions(text: str, folded: str, mentions: list[Mention], heads: OwnedHeads) -> list[Mention]:
    """Bodies named by their head after an owner word ('the movement's political office'): the one
    whose owner the owner word names ('the government's'), else whose owner the text named last."""
    found = []
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    for head, bodies in heads.bodies.items():
        if head not in folded:
            continue
        for match in heads.patterns[head].finditer(folded):
            start, end = match.start(), match.end()
            owner_word = _OWNER.search(text, max(0, start - 40), start)
            if taken.find(1, start, end) != -1 or not owner_word:
                continue
            said = set(fold(owner_word.group(0)).replace("'s", " ").replace("'", " ").split())
            candidates = [(b, o) for b, o, words in bodies if said & words] or [(b, o) for b, o, _w in bodies]
            owners = {o for _b, o in candidates}
            before = [m for m in mentions if m.end <= start and m.entity in owners]
            if not before:
                continue
            owner = before[-1].entity
            body = next(b for b, o in candidates if o == owner)
            found.append(Mention(body, start, end))
            taken[start:end] = b"\x01" * (end - start)
    return found
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    for match in heads.pattern.finditer(folded):
        bodies = heads.bodies[match.group(0)]
        start, end = match.start(), match.end()
        owner_word = _OWNER.search(text, max(0, start - 40), start)
        if taken.find(1, start, end) != -1 or not owner_word:
            continue
        said = set(fold(owner_word.group(0)).replace("'s", " ").replace("'", " ").split())
        candidates = [(b, o) for b, o, words in bodies if said & words] or [(b, o) for b, o, _w in bodies]
        owners = {o for _b, o in candidates}
        before = [m for m in mentions if m.end <= start and m.entity in owners]
        if not before:
            continue
        owner = before[-1].entity
        body = next(b for b, o in candidates if o == owner)
        found.append(Mention(body, start, end))
        taken[start:end] = b"\x01" * (end - start)
    return found
