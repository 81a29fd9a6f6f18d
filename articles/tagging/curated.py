"""Joining what a text reports to the curated timeline: the events editors reviewed come first.

An article is linked to a timeline event in two ways, each with the sentence that shows it:
1. **Reported**: an event the text reports (see events.py; a month is enough here, as in 'the
   agreement signed in Doha in February 2020') joins a timeline event of a compatible kind
   (a meeting may be talks or a conference) whose dates hold the reported day, when they share a
   participant, the place (or the city of a venue, the country of a city), or the sentence names
   the event. The best-supported one wins; a tie joins none.
2. **Named**: the text names the event ('the Doha agreement', 'the Moscow conference'). A name
   that several timeline events carry means the latest of them on or before the publication day,
   and only within NAMED_RECENT_DAYS of it; a name never means an event after the publication day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from articles.models import DatePrecision, EventKind
from articles.text.normalize import fold

from .events import ExtractedEvent

# Kinds a reported event may have when it is a timeline event of the kind on the left.
COMPATIBLE_KINDS: dict[str, frozenset[str]] = {
    EventKind.MEETING: frozenset({EventKind.MEETING, EventKind.TALKS, EventKind.CONFERENCE, EventKind.VISIT}),
    EventKind.TALKS: frozenset({EventKind.TALKS, EventKind.MEETING, EventKind.CONFERENCE}),
    EventKind.CONFERENCE: frozenset({EventKind.CONFERENCE, EventKind.MEETING, EventKind.TALKS, EventKind.STATEMENT}),
    EventKind.VISIT: frozenset({EventKind.VISIT, EventKind.MEETING, EventKind.TALKS}),
    EventKind.AGREEMENT: frozenset({EventKind.AGREEMENT}),
    EventKind.STATEMENT: frozenset({EventKind.STATEMENT, EventKind.ANNOUNCEMENT, EventKind.CONFERENCE}),
    EventKind.ANNOUNCEMENT: frozenset({EventKind.ANNOUNCEMENT, EventKind.STATEMENT, EventKind.OTHER}),
    EventKind.DEADLINE: frozenset({EventKind.DEADLINE, EventKind.OTHER}),
    EventKind.ATTACK: frozenset({EventKind.ATTACK}),
    EventKind.OTHER: frozenset({EventKind.OTHER, EventKind.ANNOUNCEMENT, EventKind.DEADLINE}),
}
NAMED_RECENT_DAYS = 120
_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class CuratedEvent:
    """A reviewed timeline event as the tagger needs it."""

    id: int
    slug: str
    title: str
    kind: str
    start: dt.date
    end: dt.date
    precision: str
    places: frozenset[int]  # its place and the places that contain it
    people: frozenset[int]
    organizations: frozenset[int]
    words: frozenset[str] = frozenset()  # folded words of its title, to tell two close events apart

    def holds(self, day: dt.date, precision: str) -> bool:
        """Whether a reported date may be this event's: its days, at the coarser of the two precisions."""
        if precision == DatePrecision.YEAR or self.precision == DatePrecision.YEAR:
            return self.start.year <= day.year <= self.end.year
        if precision == DatePrecision.MONTH or self.precision == DatePrecision.MONTH:
            return (self.start.year, self.start.month) <= (day.year, day.month) <= (self.end.year, self.end.month)
        return self.start - _SLACK <= day <= self.end + _SLACK


@dataclass
class CuratedLink:
    """Why an article is linked to a timeline event."""

    basis: str  # reported | named
    sentence: tuple[int, int]
    confidence: float


def _score(event: ExtractedEvent, curated: CuratedEvent, people: set[int], organizations: set[int],
           named: set[int], place_family: dict[int, frozenset[int]], countries: frozenset[int], words: frozenset[str]) -> int:
    """How well a reported event fits a timeline event: 0 when it cannot be it.

    Kind and dates must fit; then it needs the sentence naming the event, or, between two events
    known to the day, a shared participant or the same place more precise than a country (on the
    event's own days); when either is known only to the month, two shared participants, one and
    the same place, or in an event of the same kind the same person, or the same organization with
    three words of the title in the sentence.
    """
    if event.kind not in COMPATIBLE_KINDS.get(curated.kind, frozenset()) or not curated.holds(
        event.date.day, event.date.precision
    ):
        return 0
    shared_people = len(curated.people & people)
    shared = shared_people + len(curated.organizations & organizations)
    same_place = event.place is not None and bool(
        place_family.get(event.place[1], frozenset({event.place[1]})) & (curated.places - countries)
    )
    to_the_day = event.date.precision == DatePrecision.DAY and curated.precision == DatePrecision.DAY
    if to_the_day:
        # A place alone, only on the event's own days: a side meeting the day after is another event.
        fits = shared or (same_place and curated.start <= event.date.day <= curated.end)
    else:
        fits = (
            shared >= 2 or (shared and same_place)
            or (shared and event.kind == curated.kind and (shared_people or len(curated.words & words) >= 3))
        )
    if not (fits or curated.id in named):
        return 0
    return 3 * (curated.id in named) + 2 * shared + same_place


def title_words(text: str) -> frozenset[str]:
    """Words of four letters or more, folded: what a title and a sentence may share ('Ghazni')."""
    return frozenset(w for w in re.findall(r"\w{4,}", fold(text)))


def link_reported(
    text: str, events: list[ExtractedEvent], timeline: list[CuratedEvent], place_family: dict[int, frozenset[int]],
    named_in_sentence: dict[tuple[int, int], set[int]], countries: frozenset[int] = frozenset(),
    reference: dt.date | None = None,
) -> None:
    """Set `curated` on each reported event that is a timeline event (see the module's docstring):
    the best supported; between equals, the one whose title shares more words with the sentence,
    then the one nearer in date."""
    for event in events:
        people = {k[1] for k in event.participants if k[0] == "person"}
        organizations = {k[1] for k in event.participants if k[0] == "organization"}
        named = named_in_sentence.get(event.sentence, set())
        sentence = title_words(text[event.sentence[0]:event.sentence[1]])
        scored = sorted(
            (
                (score, len(c.words & sentence), -abs((c.start - event.date.day).days), c.id) for c in timeline
                if (reference is None or c.start <= reference + _SLACK)
                and (score := _score(event, c, people, organizations, named, place_family, countries, sentence)) > 0
            ),
            reverse=True,
        )
        if scored and (len(scored) == 1 or scored[1][:3] < scored[0][:3]):
            event.curated, event.curated_basis = scored[0][3], "reported"


def link_named(
    names: list[tuple[tuple[int, ...], tuple[int, int]]], timeline: dict[int, CuratedEvent], reference: dt.date | None,
) -> dict[int, tuple[int, int]]:
    """Timeline events the text names: event id -> the sentence naming it.

    `names`: for each name found, the ids of the events carrying it and the sentence it is in.
    """
    linked: dict[int, tuple[int, int]] = {}
    for ids, sentence in names:
        candidates = [timeline[i] for i in ids if i in timeline]
        if reference is not None:
            candidates = [c for c in candidates if c.start <= reference + _SLACK]
        if len(candidates) > 1:
            recent = [c for c in candidates if reference is not None and (reference - c.end).days <= NAMED_RECENT_DAYS]
            candidates = [max(recent, key=lambda c: c.start)] if recent else []
        if candidates:
            linked.setdefault(candidates[0].id, sentence)
    return linked


# Words of titles that say nothing of which event it is.
_GENERIC_WORDS = frozenset({
    "with", "from", "after", "over", "their", "first", "second", "third", "meets", "meet", "meeting", "talks",
    "afghan", "afghanistan", "afghans", "into", "about", "back", "under", "days", "day",
})


def event_words(title: str, aliases: list[str]) -> frozenset[str]:
    return frozenset(w for text in [title, *aliases] for w in title_words(text)) - _GENERIC_WORDS


@dataclass(frozen=True)
class SentenceFacts:
    """What a sentence holds for telling which timeline event it describes."""

    span: tuple[int, int]
    words: frozenset[str]
    people: frozenset[int]
    organizations: frozenset[int]  # with the organizations that contain them
    places: frozenset[int]  # with the places that contain them
    dates: tuple  # ResolvedDate of the sentence's date expressions
    reports: bool  # holds an event word, not negated or conditional ('would not attend any conference')


# A sentence describes a timeline event when its evidence reaches this (see `link_described`); a
# sentence without a date needs more: measured on the gold, undated matches of 7-10 were all wrong.
DESCRIBED_THRESHOLD = 7.0
UNDATED_THRESHOLD = 11.0
RECENT_DAYS = 45


def _date_fits(date, curated: CuratedEvent) -> bool:
    if date.precision == DatePrecision.APPROXIMATE:
        return curated.start - dt.timedelta(days=7) <= date.day <= curated.end + dt.timedelta(days=7)
    return curated.holds(date.day, date.precision)


def link_described(
    facts: list[SentenceFacts], timeline: list[CuratedEvent], idf: dict[str, float], reference: dt.date | None,
    countries: frozenset[int], threshold: float = DESCRIBED_THRESHOLD,
) -> dict[int, tuple[tuple[int, int], float]]:
    """Timeline events that sentences describe without a phrase the extractor reads as an event
    ('the agreement the US signed with the Taliban last year', 'Thursday's attack at Kabul airport
    ... at the Abbey Gate'): event id -> (sentence, evidence).

    The evidence sums the rarity of the title's words in the sentence, its participants and its
    place. A date in the sentence must fit the event; without one, the event must be of the last
    RECENT_DAYS before the article and the evidence higher. Never an event after the article. The
    best event of a sentence must clearly beat the next.
    """
    linked: dict[int, tuple[tuple[int, int], float]] = {}
    for sentence in facts:
        if not sentence.reports:
            continue
        scored = []
        for curated in timeline:
            if reference is not None and curated.start > reference:
                continue
            shared = sentence.words & curated.words
            if not shared:
                continue
            if sentence.dates:
                if not any(_date_fits(d, curated) for d in sentence.dates):
                    continue
            elif reference is None or (reference - curated.start).days > RECENT_DAYS:
                continue
            score = sum(idf.get(w, 0.0) for w in shared)
            score += 2.0 * len(curated.people & sentence.people) + 1.5 * len(curated.organizations & sentence.organizations)
            score += 1.0 * bool((curated.places - countries) & sentence.places)
            if score >= (threshold if sentence.dates else max(threshold, UNDATED_THRESHOLD)):
                scored.append((score, curated.id))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[1][0] < 0.8 * scored[0][0]):
            score, event_id = scored[0]
            if event_id not in linked or linked[event_id][1] < score:
                linked[event_id] = (sentence.span, score)
    return linked
