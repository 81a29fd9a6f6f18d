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

from articles.text.normalize import fold, unify_letters

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
class NativeHead:
    """A head in Dari, Pashto or Urdu ('سیاسي دفتر'), found in text with its letters unified, and
    whether the owner word comes before it (Pashto 'د دغې ډلې د', Urdu 'اس گروپ کا') or after it
    (Dari 'دفتر سیاسی این گروه')."""

    head: str
    owner_before: bool
    bodies: list[Owned]


@dataclass(frozen=True)
class OwnedHeads:
    """Heads of owned bodies' names ('political office'): the bodies each may name, and the
    pattern that finds it at whole words, compiled once."""

    bodies: dict[str, list[Owned]]
    patterns: dict[str, re.Pattern]
    native: tuple[NativeHead, ...] = ()
    native_pattern: re.Pattern | None = None  # every native head at once: group h<i> is native[i]


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
    native = _native_heads(organizations)
    return OwnedHeads(
        heads, {head: re.compile(rf"\b{re.escape(head)}\b") for head in heads}, native,
        re.compile(
            _NOT_LETTER_BEFORE + "(?:" + "|".join(f"(?P<h{i}>{_native_phrase(h.head)})" for i, h in enumerate(native))
            + ")" + _NOT_LETTER_AFTER
        ) if native else None,
    )


_GAP = "[\\s\u200c]+"
_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = "(?<![\u0600-\u06ff])", "(?![\u0600-\u06ff])"


def _native_phrase(words: str) -> str:
    """A regex for a phrase in unified letters, a space or a joiner between its words."""
    return _GAP.join(re.escape(w) for w in unify_letters(words).replace("\u200c", " ").split())


# Words that point back at an organization the text has named: Pashto 'د دوی' (their), 'د دغې ډلې'
# (this group's), Urdu 'ان کا', 'اس گروپ کے', before the head; Dari 'این گروه', 'آنها', after it.
_OWNER_BEFORE = re.compile(
    "(?:" + "|".join(_native_phrase(p) for p in [
        "د دوی", "د دوی د", "د دې ډلې", "د دې ډلې د", "د دغې ډلې", "د دغې ډلې د", "د دغه ګروپ", "د دغه ګروپ د",
        "ان کا", "ان کے", "ان کی", "اس گروپ کا", "اس گروپ کے", "اس گروپ کی", "اس تنظیم کا", "اس تنظیم کے", "اس تنظیم کی",
    ]) + ")" + _GAP + "$"
)
_OWNER_AFTER = re.compile(_GAP + "(?:" + "|".join(_native_phrase(p) for p in [
    "این گروه", "این گروهک", "این جنبش", "آنها", "آنان", "ایشان",
]) + ")" + _NOT_LETTER_AFTER)


def _native_heads(organizations: list[dict]) -> tuple[NativeHead, ...]:
    """Owned bodies' native names less their owner's native name: Pashto 'د طالبانو سیاسي دفتر'
    -> 'سیاسي دفتر' (owner before), Urdu 'طالبان کا سیاسی دفتر' -> 'سیاسی دفتر', Dari 'دفتر سیاسی
    طالبان' -> 'دفتر سیاسی' (owner after). Heads of two words or more."""
    by_id = {o["id"]: o for o in organizations}
    heads: dict[tuple[str, bool], list[Owned]] = {}
    for o in organizations:
        parent = by_id.get(o["parent_id"]) if o["parent_id"] else None
        if not parent:
            continue
        parent_names = parent.get("names") or {}
        for language, names in (o.get("names") or {}).items():
            owners = [unify_letters(n) for n in parent_names.get(language, [])]
            owners += [n[: -len(d)] + ob for n in owners for d, ob in _PASHTO_OBLIQUE if language == "ps" and n.endswith(d)]
            for name in map(unify_letters, names):
                for owner in owners:
                    head, before = "", True
                    if language == "ps" and name.startswith(f"د {owner} "):
                        head = name[len(owner) + 3:]
                    elif language == "ur" and any(name.startswith(f"{owner} {p} ") for p in _URDU_POSTPOSITIONS):
                        head = name[len(owner) + 4:]
                    elif language == "fa" and name.endswith(f" {owner}"):
                        head, before = name[: -len(owner) - 1], False
                    if len(head.replace("\u200c", " ").split()) >= 2:
                        owned = (("organization", o["id"]), ("organization", o["parent_id"]), frozenset())
                        if owned not in heads.setdefault((head, before), []):
                            heads[(head, before)].append(owned)
    # Longest first: where two heads start at one place, the pattern tries the longer one first.
    return tuple(
        NativeHead(head, before, bodies)
        for (head, before), bodies in sorted(heads.items(), key=lambda item: -len(item[0][0]))
    )


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
    if heads.native_pattern is not None and any("\u0600" <= c <= "\u06ff" for c in text[:2000]):
        found += _native_owned_mentions(unify_letters(text), mentions, heads, taken)
    return found


def _native_owned_mentions(unified: str, mentions: list[Mention], heads: OwnedHeads, taken: bytearray) -> list[Mention]:
    """'د دغې ډلې د سیاسي دفتر' after the Taliban were named: their political office."""
    found = []
    for match in heads.native_pattern.finditer(unified):
        head = heads.native[int(match.lastgroup[1:])]
        start, end = match.start(), match.end()
        if taken.find(1, start, end) != -1:
            continue
        if head.owner_before:
            if not _OWNER_BEFORE.search(unified, max(0, start - 40), start):
                continue
        elif not _OWNER_AFTER.match(unified, end):
            continue
        owners = {o for _b, o, _w in head.bodies}
        before = [m for m in mentions if m.end <= start and m.entity in owners]
        if not before:
            continue
        owner = before[-1].entity
        found.append(Mention(next(b for b, o, _w in head.bodies if o == owner), start, end))
        taken[start:end] = b"\x01" * (end - start)
    return found


# Pashto plural endings in the direct case and the oblique one that follows a preposition or 'د':
# 'ځواکونه' -> 'پر امنیتي ځواکونو', 'طالبان' -> 'د طالبانو', 'استخبارات' -> 'د استخباراتو'.
_PASHTO_OBLIQUE = (("ونه", "ونو"), ("ان", "انو"), ("ات", "اتو"))
_URDU_POSTPOSITIONS = ("کا", "کے", "کی")


def native_forms(names: dict[str, list[str]]) -> list[str]:
    """Grammatical forms of an entity's Dari, Pashto and Urdu names that running text uses:
    Pashto's genitive chain inside a longer phrase ('د ملي پخلاینې عالي شورا' is written 'د ملي
    پخلاینې د عالي شورا مشر', head of the council) and its oblique plural ('امنیتي ځواکونه' ->
    'امنیتي ځواکونو'); Urdu's postposition agreeing with what follows ('طالبان کا سیاسی دفتر',
    'طالبان کے سیاسی دفتر'). Only names of two words or more, which no common phrase shares."""
    forms: set[str] = set()
    for name in names.get("ps", []):
        words = name.split()
        if len(words) < 2:
            continue
        variants = {name}
        if words[0] == "د" and len(words) >= 3:
            # Without 'د' as a compound ('کابل هوايي ډګر ته'), and split by a second 'د' or by the
            # 'په ... کې' of place ('د کندهار په هوايي ډګر کې').
            variants.add(" ".join(words[1:]))
            variants |= {
                " ".join([*words[:i], particle, *words[i:]])
                for i in range(2, len(words) - (1 if len(words) >= 4 else 0)) if words[i - 1] != "د"
                for particle in ("د", "په")
            }
        for variant in list(variants):
            for direct, oblique in _PASHTO_OBLIQUE:
                if variant.endswith(direct):
                    variants.add(variant[: -len(direct)] + oblique)
                    break
        forms |= variants - {name}
    # A feminine name in '-ه' takes '-ې' after 'د' or a preposition: 'د روسیې'.
    forms |= {name[:-1] + "ې" for name in names.get("ps", []) if name.endswith("ه") and len(name.replace(" ", "")) >= 4}
    for name in names.get("ur", []):
        words = name.split()
        for i, word in enumerate(words[1:-1], start=1):
            if word in _URDU_POSTPOSITIONS:
                forms |= {" ".join([*words[:i], other, *words[i + 1:]]) for other in _URDU_POSTPOSITIONS if other != word}
    return sorted(forms)
