"""Events reported in a text: a sentence with a trigger ('met', 'signed', 'visited'...), a date,
and the people, organizations and place it names.

1. A date that something must happen 'by' ('withdraw by May 1') is a deadline event.
2. A sentence's own event has the kind of its first trigger and its first other date; a sentence
   without a date is not an event of its own. Every event needs a participant or a place.
3. A later sentence saying others 'also attended' adds them to the event before it.
4. Events of one kind on the same day (or one day apart) that share a participant are one event.
Organizations that only qualify a person's title ('Commander Resolute Support Mission General
Austin Scott Miller') and news outlets are not participants.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from articles.models import DatePrecision, EventKind

from .dates import ResolvedDate
from .lexicon import ATTENDANCE_WORDS

ActorKey = tuple[str, int]  # an entity key, or ("new", index) for a person discovered in this text

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Each kind's words; a sentence takes the kind of the trigger that comes first in it.
KIND_TRIGGERS: list[tuple[str, re.Pattern]] = [
    (EventKind.AGREEMENT, re.compile(
        r"\bsigned\b|\bsign(?:s|ing)?\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}(?:agreement|deal|accord|declaration|memorandum)"
        r"|\breached\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:agreement|deal|understanding)|\bagreed\s+(?:to|on)\b|\bstruck\s+a\s+deal"
        r"|\badopted\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}(?:resolution|declaration|agreement)",
        re.IGNORECASE)),
    (EventKind.DEADLINE, re.compile(r"\bdeadline\b", re.IGNORECASE)),
    (EventKind.CONFERENCE, re.compile(
        r"\bconference\b|\bsummit\b|\bconvened\b|\bextraordinary\s+session\b|\bministerial\s+meeting\b|\bgathering\s+of\b",
        re.IGNORECASE)),
    (EventKind.TALKS, re.compile(
        r"\bheld\s+(?:[\w'’-]+\s+){0,4}talks\b|\btalks\s+(?:began|opened|resumed|started|ended|concluded|were\s+held)\b"
        r"|\b(?:opened|began|start(?:ed)?|resumed|concluded)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:talks|negotiations)\b"
        r"|\bround\s+of\s+(?:[\w-]+\s+){0,2}(?:talks|negotiations)\b",
        re.IGNORECASE)),
    (EventKind.STATEMENT, re.compile(
        r"\b(?:issued|released|published|in)\s+a\s+(?:[\w-]+\s+){0,2}statement\b|\bstatement\s+(?:issued|released)\b"
        rf"|\b(?:(?:said|says|announced|declared|confirmed)\s+|told\s+(?:[\w'’-]+\s+){{1,6}}?)(?:late\s+|early\s+)?(?:on\s+)?{_WEEKDAY}\b")),
    (EventKind.VISIT, re.compile(
        r"\bvisit(?:ed|s|ing)?\s+(?!to\b)[A-Z]|\bvisited\b|\barrived\s+in\b|\b(?:trip|visit)\s+to\s+[A-Z]|\btravell?ed\s+to\b|\bflew\s+to\b")),
    (EventKind.MEETING, re.compile(
        r"\bmet\b|\bmeets\b|\bmeeting\s+with\b|\bcalled\s+on\b|\bheld\s+(?:a\s+)?meetings?\b|\bhosted\b|\breceived\s+[A-Z]",
        re.IGNORECASE)),
    (EventKind.ANNOUNCEMENT, re.compile(
        r"\bannounced\b|\bannounces\b|\bunveiled\b|\bappointed\b|\bnamed\s+(?:[\w-]+\s+){1,4}as\b", re.IGNORECASE)),
    (EventKind.ATTACK, re.compile(
        r"\battack(?:ed|s)?\b|\bbombing\b|\bblast\b|\bexplosion\b|\bsuicide\s+bomb\w*|\b(?:drone|air)\s*strike\b",
        re.IGNORECASE)),
    (EventKind.OTHER, re.compile(
        r"\bhanded\s+(?:\w+\s+)?over\b|\bhandover\b|\btook\s+(?:over|control)\b|\bseized\b|\bcaptured\b|\bfell\s+to\b"
        r"|\bsworn\s+in\b|\bswearing-in\b|\bceremony\b|\bresigned\b|\bstepped\s+down\b|\brecogni[sz]e[ds]?\b"
        r"|\bin\s+public\b|\bpublic\s+appearance\b|\bleft\s+(?:the\s+)?[A-Z]|\bwere\s+(?:freed|released)\b|\belection\b",
        re.IGNORECASE)),
]
# The words that must be in a sentence for a kind's pattern to be tried on it: the matcher reports
# where they are, so most sentences are tried against one or two patterns, not all.
KIND_ANCHORS: dict[str, set[str]] = {
    EventKind.AGREEMENT: {"signed", "sign", "signs", "signing", "reached", "agreed", "struck", "adopted"},
    EventKind.DEADLINE: {"deadline"},
    EventKind.CONFERENCE: {"conference", "summit", "convened", "session", "ministerial", "gathering"},
    EventKind.TALKS: {"talks", "negotiations"},
    EventKind.STATEMENT: {"statement", "said", "says", "announced", "declared", "confirmed", "told"},
    EventKind.VISIT: {"visit", "visited", "visits", "visiting", "arrived", "trip", "travelled", "traveled", "flew"},
    EventKind.MEETING: {"met", "meets", "meeting", "called", "held", "hosted", "received"},
    EventKind.ANNOUNCEMENT: {"announced", "announces", "unveiled", "appointed", "named"},
    EventKind.ATTACK: {"attack", "attacked", "attacks", "bombing", "blast", "explosion", "suicide", "strike", "airstrike"},
    EventKind.OTHER: {
        "handed", "handover", "took", "seized", "captured", "fell", "sworn", "swearing", "ceremony", "resigned",
        "stepped", "recognised", "recognized", "recognise", "recognize", "recognises", "recognizes", "public",
        "appearance", "left", "freed", "released", "election",
    },
}
MARKERS = {f"event:{kind}": words for kind, words in KIND_ANCHORS.items()} | {"event:attended": ATTENDANCE_WORDS}

# A sentence with a trigger but no date may take the date of the sentence just before it, when
# that one had a date and reported nothing: 'X arrived on Friday. He met Y.'
_CARRY_DATE_KINDS = {EventKind.MEETING, EventKind.VISIT, EventKind.TALKS, EventKind.CONFERENCE}

# What must happen 'by' (or 'until', 'before') a date for the date to be a deadline.
_DEADLINE_ACTION = re.compile(
    r"\b(?:withdraw\w*|leave|leaving|left|pull\w*\s+out|complete\w*|exit|depart\w*|out\s+of|deadline|release\w*|end)\b",
    re.IGNORECASE,
)
_DEADLINE_MODIFIERS = {"by", "until", "before"}
_ALSO_ATTENDED = re.compile(
    r"\b(?:also\s+)?(?:attended|were\s+present|was\s+present|accompanied|joined)\b[^.]{0,40}\b(?:meeting|talks|visit|conference|session)?",
    re.IGNORECASE,
)
_TITLE_GAP = re.compile(r"^[^,;]{0,45}$")
PLACE_RANK = {"venue": 0, "district": 1, "city": 2, "province": 3, "region": 4, "country": 5}


@dataclass
class ExtractedEvent:
    kind: str
    date: ResolvedDate
    sentence: tuple[int, int]
    participants: list[ActorKey] = field(default_factory=list)
    place: tuple[str, int] | None = None
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Located:
    key: ActorKey
    start: int
    end: int


def _participants(actors: list[Located], text: str) -> list[ActorKey]:
    """People and organizations of a sentence, leaving out organizations in a person's title."""
    chosen: list[ActorKey] = []
    for index, actor in enumerate(actors):
        if actor.key[0] == "organization":
            following = next((a for a in actors[index + 1:] if a.key[0] in {"person", "new"}), None)
            if following and _TITLE_GAP.match(text[actor.end:following.start]) and " and " not in text[actor.end:following.start]:
                continue
        if actor.key not in chosen:
            chosen.append(actor.key)
    return chosen


def _confidence(date: ResolvedDate, participants: list[ActorKey], place: tuple[str, int] | None) -> float:
    score = 0.4 + (0.2 if date.precision == DatePrecision.DAY else 0.05)
    score += min(0.3, 0.1 * len(participants)) + (0.1 if place else 0.0)
    return round(min(score, 0.95), 2)


def extract_events(
    text: str,
    sentences: tuple[tuple[int, int], ...],
    actors: list[Located],
    places: list[Located],
    dates: list[tuple[int, ResolvedDate, str]],
    place_kind: dict[int, str],
    dateline_place: tuple[str, int] | None,
    markers: list[tuple[str, int, int]],
) -> list[ExtractedEvent]:
    """`actors`, `places`: mentions in text order; `dates`: (offset, resolved date, modifier);
    `markers`: the matcher's "event:<kind>" markers, in text order."""
    events: list[ExtractedEvent] = []
    pending: tuple[int, ResolvedDate] | None = None  # (sentence number, date) of a dated sentence without event
    by_actor = _per_sentence([a.start for a in actors], sentences)
    by_place = _per_sentence([p.start for p in places], sentences)
    by_date = _per_sentence([d[0] for d in dates], sentences)
    by_marker = _per_sentence([m[1] for m in markers], sentences)
    for number, (start, end) in enumerate(sentences):
        in_actors = actors[by_actor[number]:by_actor[number + 1]]
        in_places = places[by_place[number]:by_place[number + 1]]
        in_dates = dates[by_date[number]:by_date[number + 1]]
        in_markers = markers[by_marker[number]:by_marker[number + 1]]
        present = {category for category, _s, _e in in_markers}
        usable = [d for d in in_dates if d[2] != "since" and d[1].precision != DatePrecision.YEAR]
        deadlines = [d for d in usable if d[2] in _DEADLINE_MODIFIERS]
        sentence = text[start:end] if present else ""
        # Only a sentence with a date, or right after an undated one with a date, can report an event.
        datable = usable or (pending is not None and pending[0] == number - 1)
        found = [
            (m.start(), kind) for kind, pattern in KIND_TRIGGERS
            if datable and f"event:{kind}" in present and (m := pattern.search(sentence))
        ]
        if not (found or deadlines):
            if events and in_actors and "event:attended" in present and _ALSO_ATTENDED.search(sentence):
                for key in _participants(in_actors, text):
                    if key not in events[-1].participants:
                        events[-1].participants.append(key)
            pending = (number, usable[0][1]) if usable else None
            continue
        participants = _participants(in_actors, text)
        place = _place(in_places, place_kind, dateline_place, text)
        # 1. A date something must happen by is a deadline, whatever else the sentence reports.
        for date in deadlines:
            usable.remove(date)
            if (participants or place) and _DEADLINE_ACTION.search(text, max(start, date[0] - 80), date[0]):
                events.append(ExtractedEvent(
                    EventKind.DEADLINE, date[1], (start, end), list(participants), place,
                    _confidence(date[1], participants, place),
                ))
        # 2. The sentence's own event: its first trigger, dated by its first remaining date.
        if not found:
            pending = None
            continue
        kind = min(found)[1]
        if usable:
            date = usable[0][1]
        elif pending and pending[0] == number - 1 and kind in _CARRY_DATE_KINDS:
            date = pending[1]
        else:
            pending = None
            continue
        pending = None
        if participants or place:
            events.append(ExtractedEvent(kind, date, (start, end), participants, place, _confidence(date, participants, place)))
    return _merge(events)


def _per_sentence(positions: list[int], sentences: tuple[tuple[int, int], ...]) -> list[int]:
    """Index bounds: the items of sentence n are items[bounds[n]:bounds[n + 1]]."""
    return [bisect.bisect_left(positions, start) for start, _end in sentences] + [len(positions)]


def _place(places: list[Located], place_kind: dict[int, str], dateline: tuple[str, int] | None, text: str):
    specific = [p for p in places if place_kind.get(p.key[1]) != "country"]
    if specific:
        return min(specific, key=lambda p: PLACE_RANK.get(place_kind.get(p.key[1], ""), 9)).key
    if dateline is not None:
        return dateline
    for p in places:
        if text[max(0, p.start - 4):p.start].lower().strip() in {"in", "to"}:
            return p.key
    return None


def _merge(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    merged: list[ExtractedEvent] = []
    for event in events:
        twin = next(
            (
                m for m in merged
                if m.kind == event.kind
                and abs((m.date.day - event.date.day).days) <= 1
                and (set(m.participants) & set(event.participants) or not (m.participants or event.participants))
            ),
            None,
        )
        if twin is None:
            merged.append(event)
            continue
        twin.participants.extend(k for k in event.participants if k not in twin.participants)
        twin.place = twin.place or event.place
        twin.confidence = max(twin.confidence, event.confidence)
    for event in merged:
        event.confidence = _confidence(event.date, event.participants, event.place)
    return merged
