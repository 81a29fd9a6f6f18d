"""Titles of machine-made events, written as a news headline would: 'Khalilzad meets Baradar in Doha'.

Who comes first is who the sentence names before its event phrase (the subject), then the others;
people go by their surname, organizations by a short name (see knowledge.short_name). The verb is
the event phrase's own, in the present tense of headlines, agreeing with its subject.
"""

from __future__ import annotations

import re

MAX_TITLE = 120
MAX_NAMES = 3
_PLURAL_NAMES = {"taliban", "mujahideen"}
# Past forms of event phrases and their headline (present) forms: singular, plural.
_PRESENT = {
    "announced": ("announces", "announce"), "unveiled": ("unveils", "unveil"), "appointed": ("appoints", "appoint"),
    "named": ("names", "name"), "ordered": ("orders", "order"), "took": ("takes", "take"), "seized": ("seizes", "seize"),
    "captured": ("captures", "capture"), "handed": ("hands", "hand"), "resigned": ("resigns", "resign"),
    "stepped": ("steps", "step"), "recognised": ("recognises", "recognise"), "recognized": ("recognizes", "recognize"),
    "freed": ("frees", "free"), "released": ("releases", "release"), "signed": ("sign", "sign"),
}


def _join(names: list[str]) -> str:
    shown = names[:MAX_NAMES]
    if len(names) > len(shown):
        return ", ".join(shown) + " and others"
    return ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + (shown[-1] if shown else "")


def _plural(names: list[str]) -> bool:
    return len(names) > 1 or (bool(names) and (names[0].lower() in _PLURAL_NAMES or names[0].lower().endswith(" forces")))


def _verb(singular: str, plural: str, subjects: list[str]) -> str:
    return plural if _plural(subjects) else singular


def _present(action: str, subjects: list[str]) -> str:
    """'announced an interim government' -> 'announce an interim government' (for the Taliban)."""
    words = action.split()
    if not words:
        return action
    forms = _PRESENT.get(words[0].lower())
    if forms is None:
        return action
    return " ".join([forms[1] if _plural(subjects) else forms[0], *words[1:]])


def event_headline(kind: str, subjects: list[str], others: list[str], place: str, action: str) -> str:
    """A headline from the event's kind, its participants' short names, its place and its phrase."""
    if not subjects and others:
        subjects, others = others[:1], others[1:]
    who, whom = _join(subjects), _join(others)
    where = f" in {place}" if place else ""
    everyone = _join(subjects + others)
    if kind == "meeting":
        title = f"{who} {_verb('meets', 'meet', subjects)} {whom}{where}" if whom else f"{who} {_verb('holds', 'hold', subjects)} meeting{where}"
    elif kind == "talks":
        title = f"{who} {_verb('holds', 'hold', subjects)} talks with {whom}{where}" if whom else f"{who} {_verb('holds', 'hold', subjects)} talks{where}"
    elif kind == "visit":
        title = f"{everyone} {_verb('visits', 'visit', subjects + others)} {place}" if place else f"{everyone} on a visit"
    elif kind == "agreement":
        title = f"{everyone} {_verb('signs', 'sign', subjects + others)} agreement{where}"
    elif kind == "conference":
        title = f"{everyone} {_verb('attends', 'attend', subjects + others)} conference{where}" if everyone else f"Conference{where}"
    elif kind == "statement":
        title = f"{who} {_verb('issues', 'issue', subjects)} statement{where}"
    elif kind == "deadline":
        date = re.sub(r"^.*\b(?:by|until|before)\s+", "", action)
        title = f"{who} {_verb('sets', 'set', subjects)} deadline of {date}" if who else f"Deadline of {date}"
    elif kind == "attack":
        title = f"Attack{where}" + (f" involving {everyone}" if everyone else "")
    elif kind == "announcement" or kind == "other":
        if action.lower().startswith("fell") and place:
            title = f"{place} falls" + (f" to {who}" if who else "")
        else:
            title = f"{who} {_present(action, subjects)}".strip()
    else:
        title = f"{everyone}: {action}"
    title = " ".join(title.split())
    title = title[:1].upper() + title[1:]
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
