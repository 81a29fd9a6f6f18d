"""Composes synthetic articles from the knowledge base: pure, deterministic per (seed, index).

1. `corpus_plan` reads the knowledge base once: entities ranked by how often the curated events
   name them (so the envoy and the negotiators are the stars), Zipf weights over those ranks, the
   outlets, and a day-by-day weight over 2018-2024 with bursts after each curated event.
2. `article_compose` draws article `index` from its own random generator seeded by (seed, index),
   so any slice of a corpus can be generated alone and comes out the same every time. The body is
   written from sentence frames with the chosen names in them, and the tag links carry exactly the
   mentions and first offsets that the body has, as the tagger would store them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
import string
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.text import slugify

from articles.models import ENTITY_KINDS, Event, EventParticipant, Organization, Person, Place, Topic
from articles.tagging.knowledge import KnowledgeIndex, get_index
from articles.tagging.services import RELEVANCE_THRESHOLD, Analysis, _relevance

from . import text

FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
ZIPF_EXPONENT = 1.1
OFF_TOPIC_SHARE = 0.07
EVENT_LINK_SHARE = 0.7
# How much coverage each kind of event draws, in days' worth of ordinary coverage.
EVENT_PULL = {
    "agreement": 60.0, "talks": 25.0, "conference": 20.0, "attack": 20.0, "deadline": 20.0, "meeting": 12.0,
    "announcement": 10.0, "visit": 8.0, "statement": 5.0, "other": 6.0,
}
BURST_DECAY_DAYS = 3.0
# Coverage intensity by year: the talks (2019-2020) and the fall of Kabul (2021) dominate.
YEAR_WEIGHT = {2018: 0.6, 2019: 1.0, 2020: 1.3, 2021: 1.7, 2022: 0.8, 2023: 0.6, 2024: 0.5}
MEDIAN_WORDS = 450
KINDS = tuple(ENTITY_KINDS)


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class EntityRef:
    id: int
    slug: str
    forms: tuple[str, ...]  # the canonical name first, then aliases the body may use


@dataclass(frozen=True)
class TopicRef:
    id: int
    slug: str
    phrase: str
    threshold: float


@dataclass(frozen=True)
class OutletRef:
    slug: str
    name: str
    host: str


@dataclass(frozen=True)
class EventRef:
    id: int
    people: tuple[int, ...]
    organizations: tuple[int, ...]
    place: int | None


@dataclass
class Popularity:
    """Entities in rank order with cumulative Zipf weights, for fast weighted draws."""

    items: list
    cum_weights: list[float]

    @classmethod
    def zipf(cls, items: list, exponent: float = ZIPF_EXPONENT) -> Popularity:
        return cls(items, list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items)))))

    def draw(self, rng: random.Random, k: int) -> list:
        """Up to `k` distinct items, the popular ones most often."""
        if not self.items or k <= 0:
            return []
        picked = dict.fromkeys(rng.choices(self.items, cum_weights=self.cum_weights, k=2 * k + 2))
        return list(picked)[:k]


@dataclass
class CorpusPlan:
    seed: int
    people: Popularity
    organizations: Popularity
    places: Popularity
    topics: Popularity
    outlets: Popularity
    entities: dict[tuple[str, int], EntityRef]
    topic_by_id: dict[int, TopicRef]
    day_cum_weights: list[float]
    day_events: dict[int, tuple[list[EventRef], list[float], float]]  # day -> events, cum weights, burst share
    index: KnowledgeIndex

    @property
    def days(self) -> int:
        return len(self.day_cum_weights)


@dataclass
class ComposedArticle:
    index: int
    outlet: OutletRef
    url: str
    title: str
    byline: str
    body: str
    published_at: dt.datetime
    relevance: float
    links: dict[str, dict[int, list]] = field(default_factory=dict)  # kind -> id -> [mentions, offset, score]
    event_ids: list[int] = field(default_factory=list)
    quotes: list[tuple[str, int, str, int]] = field(default_factory=list)  # speaker kind, id, text, offset

    @property
    def is_relevant(self) -> bool:
        return self.relevance >= RELEVANCE_THRESHOLD


def _ranked(model, participation: str, *, extra_order: tuple[str, ...] = ()) -> list[EntityRef]:
    rows = (
        model.objects.annotate(weight=Count(participation, distinct=True))
        .order_by("-weight", *extra_order, "slug")
        .values("id", "slug", "name", "aliases")
    )
    return [EntityRef(r["id"], r["slug"], (r["name"], *[a for a in r["aliases"] if len(a) > 3][:2])) for r in rows]


def outlet_names() -> list[OutletRef]:
    """The synthetic outlets, in a fixed order (the first ones publish most)."""
    outlets = []
    for noun, place in itertools.product(text.OUTLET_NOUNS, text.OUTLET_PLACES):
        name = f"{place} {noun}"
        outlets.append(OutletRef(slug=f"synthetic-{slugify(name)}", name=name, host=f"{slugify(name)}.example"))
    return outlets


def _day_weights(events: list[tuple[dt.date, str, EventRef]]) -> tuple[list[float], dict]:
    days = (LAST_DAY - FIRST_DAY).days + 1
    base = []
    for offset in range(days):
        day = FIRST_DAY + dt.timedelta(days=offset)
        base.append(YEAR_WEIGHT[day.year] * (0.7 if day.weekday() >= 5 else 1.0))
    pulls: dict[int, list[tuple[EventRef, float]]] = {}
    for date, kind, event in events:
        start = (date - FIRST_DAY).days
        amplitude = EVENT_PULL.get(kind, 6.0)
        for lag in range(-2, 15):
            day = start + lag
            if not 0 <= day < days:
                continue
            # A little anticipation the days before, then a burst that fades over about a week.
            pull = amplitude * (0.15 * math.exp(lag) if lag < 0 else math.exp(-lag / BURST_DECAY_DAYS))
            pull /= BURST_DECAY_DAYS
            pulls.setdefault(day, []).append((event, pull))
    weights = list(base)
    day_events = {}
    for day, items in pulls.items():
        extra = sum(p for _, p in items)
        weights[day] += extra
        day_events[day] = (
            [e for e, _ in items],
            list(itertools.accumulate(p for _, p in items)),
            extra / weights[day],
        )
    return list(itertools.accumulate(weights)), day_events


def corpus_plan(*, seed: int) -> CorpusPlan:
    """Read the knowledge base once; refuse an empty one (the corpus is made of its names)."""
    people = _ranked(Person, "event_roles")
    organizations = _ranked(Organization, "event_roles")
    places = _ranked(Place, "events", extra_order=("-kind",))
    topic_rows = list(Topic.objects.order_by("slug").values("id", "slug", "name", "aliases", "rules", "threshold"))
    if not (people and organizations and places and topic_rows):
        raise CorpusError("the knowledge base is empty: run `manage.py load_knowledge_base` first")
    topics = []
    for row in topic_rows:
        phrases = [p["phrase"] for p in (row["rules"] or {}).get("phrases") or [] if p.get("phrase")]
        topics.append(TopicRef(row["id"], row["slug"], phrases[0] if phrases else row["name"].lower(), row["threshold"]))
    # Topics have no event counts: a seeded shuffle decides which are the popular ones.
    random.Random(seed).shuffle(topics)

    event_rows = (
        Event.objects.filter(start_date__gte=FIRST_DAY, start_date__lte=LAST_DAY)
        .order_by("start_date", "slug")
        .prefetch_related(Prefetch("participants", queryset=EventParticipant.objects.order_by("id")))
    )
    events = []
    for event in event_rows:
        participants = list(event.participants.all())
        ref = EventRef(
            event.id,
            tuple(p.person_id for p in participants if p.person_id),
            tuple(p.organization_id for p in participants if p.organization_id),
            event.place_id,
        )
        events.append((event.start_date, event.kind, ref))
    day_cum_weights, day_events = _day_weights(events)

    entities = {}
    for kind, refs in (("person", people), ("organization", organizations), ("place", places)):
        entities.update({(kind, ref.id): ref for ref in refs})
    return CorpusPlan(
        seed=seed,
        people=Popularity.zipf(people),
        organizations=Popularity.zipf(organizations),
        places=Popularity.zipf(places),
        topics=Popularity.zipf(topics),
        outlets=Popularity.zipf(outlet_names(), exponent=0.9),
        entities=entities,
        topic_by_id={t.id: t for t in topics},
        day_cum_weights=day_cum_weights,
        day_events=day_events,
        index=get_index(),
    )


_FORMATTER = string.Formatter()
SLOT_KIND = {"p": "person", "p2": "person", "o": "organization", "l": "place", "t": "topic"}


def _parsed(frames: list[str]) -> list[tuple[list[tuple[str, str | None]], Counter]]:
    """Each frame as its (literal, slot) pieces, with how many entities of each kind it needs."""
    parsed = []
    for frame in frames:
        pieces = [(literal, slot) for literal, slot, _, _ in _FORMATTER.parse(frame)]
        parsed.append((pieces, Counter(SLOT_KIND[slot] for _, slot in pieces if slot in SLOT_KIND)))
    return parsed


FRAMES = {
    "person": _parsed(text.PERSON_FRAMES),
    "pair": _parsed(text.PERSON_PAIR_FRAMES),
    "organization": _parsed(text.ORGANIZATION_FRAMES),
    "place": _parsed(text.PLACE_FRAMES),
    "topic": _parsed(text.TOPIC_FRAMES),
    "mixed": _parsed(text.MIXED_FRAMES),
    "title": _parsed(text.TITLE_FRAMES),
    "quote": _parsed(text.QUOTE_FRAMES),
}


class _Writer:
    """Fills frames for one article, counting each entity's mentions and its first body offset."""

    def __init__(self, rng: random.Random, plan: CorpusPlan, chosen: dict[str, list]):
        self.rng = rng
        self.plan = plan
        self.chosen = chosen
        self.pending = {kind: list(items) for kind, items in chosen.items()}
        self.mentions: Counter = Counter()
        self.quotes: dict[tuple[str, int], tuple[tuple[str, int], str]] = {}  # quote key -> speaker, text

    def _fill(self, slot: str, used: set) -> tuple[tuple[str, int], str] | None:
        kind = SLOT_KIND.get(slot)
        if kind is None:  # {d}
            return None, self.rng.choice(text.WEEKDAYS)
        pending = [e for e in self.pending[kind] if (kind, e.id) not in used]
        if pending:
            item = pending[0]
            self.pending[kind].remove(item)
        else:
            item = self.rng.choice([e for e in self.chosen[kind] if (kind, e.id) not in used])
        key = (kind, item.id)
        if kind == "topic":
            return key, item.phrase
        seen = self.mentions[key] > 0
        form = self.rng.choice(item.forms[1:]) if seen and len(item.forms) > 1 and self.rng.random() < 0.4 else item.forms[0]
        return key, form

    def sentence(self, frames: list) -> list[tuple[str, tuple[str, int] | None]] | None:
        """A filled frame as (piece, entity key or None) pairs, or None when no frame fits."""
        first = self.rng.randrange(len(frames))
        for number in range(len(frames)):
            frame, needs = frames[(first + number) % len(frames)]
            if any(len(self.chosen[kind]) < n for kind, n in needs.items()):
                continue
            pieces, used = [], set()
            for literal, slot in frame:
                if literal:
                    pieces.append((literal, None))
                if slot == "q":
                    quote_key = ("quote", len(self.quotes))
                    pieces.append((self.rng.choice(text.QUOTES), quote_key))
                elif slot is not None:
                    key, value = self._fill(slot, used)
                    if key is not None:
                        used.add(key)
                        self.mentions[key] += 1
                    pieces.append((value, key))
            speakers = [key for _, key in pieces if key is not None and key[0] in ("person", "organization")]
            for piece, key in pieces:
                if key is not None and key[0] == "quote":
                    self.quotes[key] = (speakers[0], piece)
            return pieces
        return None


def _pick_day(rng: random.Random, plan: CorpusPlan) -> int:
    return bisect.bisect_left(plan.day_cum_weights, rng.random() * plan.day_cum_weights[-1])


def _choose_entities(rng: random.Random, plan: CorpusPlan, event: EventRef | None) -> dict[str, list]:
    chosen = {
        "person": plan.people.draw(rng, rng.choices((0, 1, 2, 3, 4, 5), (1, 4, 5, 4, 2, 1))[0]),
        "organization": plan.organizations.draw(rng, rng.choices((1, 2, 3, 4), (4, 5, 3, 1))[0]),
        "place": plan.places.draw(rng, rng.choices((1, 2, 3), (5, 4, 2))[0]),
        "topic": plan.topics.draw(rng, rng.choices((1, 2, 3), (5, 3, 1))[0]),
    }
    if event is not None:
        # The event's actors lead the story: put them first so the lede names them.
        for kind, ids in (("person", event.people), ("organization", event.organizations)):
            refs = [plan.entities[(kind, i)] for i in ids if (kind, i) in plan.entities][:4]
            chosen[kind] = list(dict.fromkeys([*refs, *chosen[kind]]))
        if event.place and ("place", event.place) in plan.entities:
            chosen["place"] = list(dict.fromkeys([plan.entities[("place", event.place)], *chosen["place"]]))
    return chosen


def _assemble(rng: random.Random, sentences: list[list]) -> tuple[str, dict]:
    """Join sentences into paragraphs of two to four; return the body and each entity's first offset."""
    parts, offsets, position, in_paragraph = [], {}, 0, 0
    paragraph_length = rng.randint(2, 4)
    for number, pieces in enumerate(sentences):
        if number:
            separator = " "
            if in_paragraph >= paragraph_length:
                separator, in_paragraph, paragraph_length = "\n\n", 0, rng.randint(2, 4)
            parts.append(separator)
            position += len(separator)
        for piece, key in pieces:
            if key is not None and key not in offsets:
                offsets[key] = position
            parts.append(piece)
            position += len(piece)
        in_paragraph += 1
    return "".join(parts), offsets


def _word_target(rng: random.Random) -> int:
    return max(120, min(2500, int(rng.lognormvariate(math.log(MEDIAN_WORDS), 0.45))))


def article_compose(plan: CorpusPlan, index: int) -> ComposedArticle:
    rng = random.Random(plan.seed * 1_000_003 + index)
    day = _pick_day(rng, plan)
    event = None
    if day in plan.day_events:
        events, cum_weights, share = plan.day_events[day]
        if rng.random() < share:
            event = rng.choices(events, cum_weights=cum_weights)[0]
    published_at = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(), tzinfo=dt.UTC) + dt.timedelta(
        seconds=rng.randrange(86400)
    )
    outlet = plan.outlets.draw(rng, 1)[0]
    byline = f"By {rng.choice(text.FIRST_NAMES)} {rng.choice(text.LAST_NAMES)}" if rng.random() < 0.8 else ""
    sentence_count = max(6, _word_target(rng) // 15)

    if event is None and rng.random() < OFF_TOPIC_SHARE:
        chosen = {"person": [], "organization": [], "place": plan.places.draw(rng, 1), "topic": []}
        writer = _Writer(rng, plan, chosen)
        sentences = [[(s, None)] for s in rng.choices(text.OFF_TOPIC, k=sentence_count - 1)]
        sentences.insert(rng.randrange(len(sentences)), writer.sentence(FRAMES["place"]))
        title = rng.choice(text.OFF_TOPIC_TITLES)
    else:
        chosen = _choose_entities(rng, plan, event)
        writer = _Writer(rng, plan, chosen)
        lede = writer.sentence(FRAMES["mixed"]) or writer.sentence(FRAMES["organization"])
        named = []
        for kind in ("person", "organization", "place", "topic"):
            # Every chosen entity is named at least once, and the first ones again later.
            while writer.pending[kind]:
                frames = FRAMES["pair"] if kind == "person" and len(writer.pending[kind]) > 1 else FRAMES[kind]
                sentence = writer.sentence(frames)
                if sentence is None:
                    break
                named.append(sentence)
        for kind in ("person", "organization"):
            for _ in range(min(len(chosen[kind]), rng.randint(0, 3))):
                named.append(writer.sentence(FRAMES[kind]))
        for _ in range(rng.choices((0, 1, 2), (4, 4, 2))[0]):
            named.append(writer.sentence(FRAMES["quote"]))
        fillers = [[(s, None)] for s in rng.choices(text.FILLER, k=max(0, sentence_count - len(named) - 1))]
        body_sentences = [s for s in named if s] + fillers
        rng.shuffle(body_sentences)
        sentences = [lede, *body_sentences] if lede else body_sentences
        title_pieces = writer.sentence(FRAMES["title"])
        title = "".join(piece for piece, _ in title_pieces) if title_pieces else "Delegations meet again"

    body, offsets = _assemble(rng, [s for s in sentences if s])
    links: dict[str, dict[int, list]] = {kind: {} for kind in KINDS}
    for (kind, ident), count in writer.mentions.items():
        if kind not in ("person", "organization", "place"):
            continue
        links[kind][ident] = [count, offsets.get((kind, ident)), None]
    quotes = [
        (speaker[0], speaker[1], quoted, offsets[key]) for key, (speaker, quoted) in writer.quotes.items() if key in offsets
    ]
    topic_scores = {}
    for topic in chosen["topic"]:
        score = round(topic.threshold * rng.uniform(1.0, 2.5), 3)
        topic_scores[topic.id] = score
        links["topic"][topic.id] = [1, None, score]
    analysis = Analysis(
        mentions={(kind, ident): (link[0], link[1]) for kind, items in links.items() for ident, link in items.items()},
        topic_scores=topic_scores,
    )
    return ComposedArticle(
        index=index,
        outlet=outlet,
        url=f"https://{outlet.host}/{published_at:%Y/%m/%d}/s{plan.seed}-{index}",
        title=title,
        byline=byline,
        body=body,
        published_at=published_at,
        relevance=_relevance(analysis, plan.index),
        links=links,
        event_ids=[event.id] if event is not None and rng.random() < EVENT_LINK_SHARE else [],
        quotes=quotes,
    )


def synthetic_sources_q() -> Q:
    return Q(slug__startswith="synthetic-")
