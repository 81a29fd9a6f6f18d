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
from functools import lru_cache

import snowballstemmer

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

    @property
    def last_day(self) -> dt.date:
        """Its last day: the end of its month or year when it is known only to them."""
        if self.precision == DatePrecision.YEAR:
            return dt.date(self.end.year, 12, 31)
        if self.precision == DatePrecision.MONTH:
            following = dt.date(self.end.year + self.end.month // 12, self.end.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return self.end

    def on(self, date) -> bool:
        """Whether a day-precise date falls on this event's own days, without slack."""
        return (
            date.precision == DatePrecision.DAY and self.precision == DatePrecision.DAY
            and self.start <= date.day <= self.end
        )

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


_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _ENGLISH.stemWord(word)


# What a stemmer cannot see: 'Ghani had won a second term' is 'Ghani declared winner'. Only forms
# measured to help: mapping 'took' to 'take' made 'the Taliban took power' as close to 'Taliban take
# Ghazni' as to the fall of Kabul (whose alias 'took Kabul' it matched before).
_IRREGULAR = {"won": "win", "winner": "win", "winners": "win"}


def title_words(text: str) -> frozenset[str]:
    """Stems of the words of four letters or more, folded: what a title and a sentence may share
    ('Ghazni'; 'announced' and 'announces', 'withdraw' and 'withdrawal'; 'won' and 'winner')."""
    return frozenset(
        _IRREGULAR.get(w) or _stem(w) for w in re.findall(r"\w{3,}", fold(text)) if len(w) >= 4 or w in _IRREGULAR
    )


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
_GENERIC_WORDS = frozenset(_stem(word) for word in (
    "with", "from", "after", "over", "their", "first", "second", "third", "meets", "meet", "meeting", "talks",
    "afghan", "afghanistan", "afghans", "into", "about", "back", "under", "days", "day", "country", "countries",
))


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
    dated: bool = True  # a date of its own, not only 'since September' or 'by May 1'


# A sentence describes a timeline event when its evidence reaches this (see `link_described`); a
# sentence without a date needs more: measured on the gold, undated matches of 7-10 were all wrong.
DESCRIBED_THRESHOLD = 7.0
UNDATED_THRESHOLD = 11.0
RECENT_DAYS = 45
# What the headline shares with an event's title (two words at least) adds to a sentence's evidence.
HEADLINE_BONUS = 1.0


def _date_fits(date, curated: CuratedEvent) -> bool:
    if date.precision == DatePrecision.APPROXIMATE:
        return curated.start - dt.timedelta(days=7) <= date.day <= curated.last_day + dt.timedelta(days=7)
    return curated.holds(date.day, date.precision)


def _evidence(
    sentence: SentenceFacts, curated: CuratedEvent, shared: frozenset[str], idf: dict[str, float],
    countries: frozenset[int], headline: frozenset[str],
) -> float:
    """How strongly a sentence describes a timeline event: the rarity of the title's words it has,
    its participants, its place, and a little for a title the headline echoes."""
    score = sum(idf.get(w, 0.0) for w in shared)
    score += 2.0 * len(curated.people & sentence.people) + 1.5 * len(curated.organizations & sentence.organizations)
    score += 1.0 * bool((curated.places - countries) & sentence.places)
    return score + HEADLINE_BONUS * (len(headline & curated.words) >= 2)


def link_described(
    facts: list[SentenceFacts], timeline: list[CuratedEvent], idf: dict[str, float], reference: dt.date | None,
    countries: frozenset[int], threshold: float = DESCRIBED_THRESHOLD, headline: frozenset[str] = frozenset(),
    by_word: dict[str, tuple[int, ...]] | None = None,
) -> dict[int, tuple[tuple[int, int], float]]:
    """Timeline events that sentences describe without a phrase the extractor reads as an event
    ('the agreement the US signed with the Taliban last year', 'Thursday's attack at Kabul airport
    ... at the Abbey Gate'): event id -> (sentence, evidence).

    The evidence (`_evidence`) must reach `threshold`. A date in the sentence must fit the event;
    without one, the event must be of the last RECENT_DAYS before the article and the evidence
    higher. Never an event after the article.
    Each day or month the sentence gives may date its own event ('barred from NGOs in December, and
    on Tuesday from the UN'); the best event of a date must clearly beat the next.
    """
    linked: dict[int, tuple[tuple[int, int], float]] = {}
    by_id = {c.id: c for c in timeline}
    for sentence in facts:
        if not sentence.reports:
            continue
        everything: list[tuple[float, int]] = []
        by_date: list[list[tuple[float, int]]] = [[] for _ in sentence.dates]
        # Only the events that share a word with the sentence (`by_word`: word -> events) can score.
        candidates = timeline if by_word is None else [
            by_id[i] for i in sorted({i for word in sentence.words for i in by_word.get(word, ())})
        ]
        for curated in candidates:
            if reference is not None and curated.start > reference:
                continue
            shared = sentence.words & curated.words
            if not shared:
                continue
            score = _evidence(sentence, curated, shared, idf, countries, headline)
            fitting = [i for i, d in enumerate(sentence.dates) if _date_fits(d, curated)]
            if fitting:
                if score < threshold:
                    continue
                for i in fitting:
                    by_date[i].append((score, curated.id))
            # A sentence dated otherwise is not about this event; undated, or dated only by
            # 'since September': a recent event, on more evidence.
            elif (
                sentence.dated
                or reference is None
                or (reference - curated.last_day).days > RECENT_DAYS
                or score < max(threshold, UNDATED_THRESHOLD)
            ):
                continue
            everything.append((score, curated.id))
        # A day or a month dates an event of its own; a year or 'last week' only the sentence's best.
        groups = [
            (scored, date) for scored, date in zip(by_date, sentence.dates, strict=True)
            if date.precision in (DatePrecision.DAY, DatePrecision.MONTH)
        ]
        for scored, date in [(everything, None), *groups]:
            scored.sort(reverse=True)
            # 'a day after Mazar-i-Sharif fell' (14 August) and Jalalabad's fall (the 15th) both hold
            # the 14th give or take a day: the one on the very day goes first.
            on_the_day = [item for item in scored if date is not None and by_id[item[1]].on(date)]
            if len(on_the_day) == 1:
                scored = on_the_day
            if scored and (len(scored) == 1 or scored[1][0] < 0.8 * scored[0][0] or _covers_best(sentence, scored, by_id)):
                score, event_id = scored[0]
                if event_id not in linked or linked[event_id][1] < score:
                    linked[event_id] = (sentence.span, score)
    return linked


def _coverage(sentence: SentenceFacts, curated: CuratedEvent) -> float:
    return len(sentence.words & curated.words) / len(curated.words) if curated.words else 0.0


def _covers_best(sentence: SentenceFacts, scored: list[tuple[float, int]], by_id: dict[int, CuratedEvent]) -> bool:
    """Two close scores: the best one still wins when the sentence holds a larger share of its
    title than of any close rival's ('bans ... on women working for the UN': the ban, 2 of its 3
    words, over the Security Council's condemnation of it, 2 of 5)."""
    best = _coverage(sentence, by_id[scored[0][1]])
    rivals = [_coverage(sentence, by_id[i]) for score, i in scored[1:] if score >= 0.8 * scored[0][0]]
    return best >= 0.5 and all(best > rival for rival in rivals)


# An undated text is dated from the timeline only on this much evidence (see `anchor_on_timeline`).
ANCHOR_THRESHOLD = 9.0
ANCHOR_SENTENCES = 3


def anchor_on_timeline(
    facts: list[SentenceFacts], weekdays: dict[int, set[int]], timeline: list[CuratedEvent], idf: dict[str, float],
    countries: frozenset[int], *, earliest: dt.date | None, latest: dt.date | None, headline: frozenset[str] = frozenset(),
) -> CuratedEvent | None:
    """The timeline event an undated text opens on, when the text gives it away: one of its first
    sentences describes the event strongly and names the weekday it fell on ('... called on Thursday
    for a reduction in violence, after a day of talks in Moscow' and the Moscow conference of
    Thursday 18 March 2021). The weekday and the event's words must agree, the event must fall
    between `earliest` (a year the text states) and `latest` (the fetch), and one event must clearly
    beat the others: a weekday alone dates nothing.

    `weekdays`: for each sentence number, the weekdays it reports things on.
    """
    scored: list[tuple[float, int]] = []
    by_id = {c.id: c for c in timeline}
    for number, sentence in enumerate(facts[:ANCHOR_SENTENCES]):
        days = weekdays.get(number)
        if not days:
            continue
        for curated in timeline:
            if curated.precision != DatePrecision.DAY or curated.start.weekday() not in days:
                continue
            if (earliest is not None and curated.start < earliest) or (latest is not None and curated.start > latest):
                continue
            shared = sentence.words & curated.words
            if shared and (score := _evidence(sentence, curated, shared, idf, countries, headline)) >= ANCHOR_THRESHOLD:
                scored.append((score, curated.id))
    best: dict[int, float] = {}
    for score, event_id in scored:
        best[event_id] = max(score, best.get(event_id, 0.0))
    ranked = sorted(((score, event_id) for event_id, score in best.items()), reverse=True)
    if ranked and (len(ranked) == 1 or ranked[1][0] < 0.8 * ranked[0][0]):
        return by_id[ranked[0][1]]
    return None
