"""Tagging an article: what it mentions (a pure analysis), then what is written for it.

`analyze` reads only the knowledge index; `article_tag` writes links, discovered people, events,
quotes and an inferred publication date, replacing what the tagger wrote before and never what
an editor decided.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from articles.models import Article, DatePrecision, PublishedBasis
from articles.text.lexicon import DATE_ANCHORS, PAST_ROLE_MARKERS
from articles.text.normalize import fold, is_word_char, unify_letters

from .curated import (
    ANCHOR_SENTENCES,
    CuratedLink,
    SentenceFacts,
    anchor_on_timeline,
    link_described,
    link_named,
    link_reported,
    title_words,
)
from .dates import (
    NEIGHBOUR_DAY,
    NOT_REPORTED_MODIFIERS,
    DateMention,
    Publication,
    ResolvedDate,
    agrees_with_text,
    find_dates,
    resolve,
    settle_publication,
)
from .discovery import Discovered, discover_people
from .events import UNREAL, DateAt, ExtractedEvent, Located, extract_events
from .knowledge import KnowledgeIndex, get_index
from .matcher import EntityKey, Mention
from .native_dates import dateline_end as native_dateline_end
from .quotes import ExtractedQuote, extract_quotes
from .rephrasings import owned_mentions
from .sentences import split_sentences
from .variants import find_variants

# Bump when the tagger's output changes, so `retag --stale` knows which articles to redo.
TAGGER_VERSION = 4

RELEVANCE_THRESHOLD = 0.4
# Publication dates that come with the article; the tagger re-reads only the others.
GIVEN_BASES = {PublishedBasis.METADATA, PublishedBasis.FEED, PublishedBasis.EDITOR}

# 'Badakhshan, Takhar and Kunduz provinces', 'the provinces of Paktika and Khost'
_PROVINCES_AFTER = re.compile(r"(?:(?:,\s*|\s+and\s+)[A-Z][\w'’-]*)*\s+provinces?\b", re.IGNORECASE)
_PROVINCES_BEFORE = re.compile(r"\bprovinces?\s+of\s+(?:[A-Z][\w'’-]*(?:,\s*|\s+and\s+))*$", re.IGNORECASE)
# 'ISLAMABAD – ', 'KABUL, March 9 (Reuters) - ', 'KABUL, Oct 13 (Pajhwok): ' or 'NEW DELHI: ' opening a body.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'/-]{1,40}?)(?:,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:[–—-]+|(?<=[A-Z)]):)\s"
)


@dataclass
class Analysis:
    mentions: dict[EntityKey, tuple[int, int | None]] = field(default_factory=dict)  # count, first body offset
    topic_scores: dict[int, float] = field(default_factory=dict)
    relevance: float = 0.0
    discovered: list[Discovered] = field(default_factory=list)
    published: ResolvedDate | None = None
    published_source: str = ""  # metadata | feed | editor | dateline | text, or "" when undated (PublishedBasis)
    events: list[ExtractedEvent] = field(default_factory=list)  # machine events and those joined to the timeline
    curated: dict[int, CuratedLink] = field(default_factory=dict)  # timeline event id -> why it is linked
    quotes: list[ExtractedQuote] = field(default_factory=list)
    dates: list[tuple[DateMention, ResolvedDate]] = field(default_factory=list)

    is_relevant: bool = False  # by the rule of `_is_relevant`; `relevance` orders results


def _as_provinces(body: str, mentions: list[Mention], index: KnowledgeIndex) -> list[Mention]:
    """A city named as a province ('Kunduz province', 'the provinces of Paktika and Khost') is the province."""
    for mention in mentions:
        province = index.province_of_city.get(mention.entity)
        if province and (
            _PROVINCES_AFTER.match(body, mention.end)
            or _PROVINCES_BEFORE.search(body, max(0, mention.start - 80), mention.start)
        ):
            mention.entity = province
    return mentions


def _from_neighbour_days(dates: list[tuple[DateMention, ResolvedDate]], sentences) -> None:
    """'the day before', 'the next day', 'two days after the Pentagon announced': a day from the
    sentence's other day ('said on Saturday ... had met ... the day before'; 'surrendered on Sunday,
    a day after Mazar-i-Sharif fell'), when it has one, rather than from the publication day."""
    for number, (mention, _resolved) in enumerate(dates):
        if not _from_another_day(mention):
            continue
        sentence = sentences.index_of(mention.start)
        # The sentence's own other day, else the latest day of the two sentences before ('the day
        # before') or of the sentence before, else the story's day ('The visit came two days
        # after ...'); never a day something must happen by.
        earliest = sentence - 2 if mention.relative in NEIGHBOUR_DAY else sentence - 1
        anchors = [
            (sentences.index_of(m.start) == sentence, m.start, r) for m, r in dates
            if m is not mention and r.precision == DatePrecision.DAY and not _from_another_day(m)
            and m.modifier not in NOT_REPORTED_MODIFIERS and m.tense != "future"
            and (earliest <= sentences.index_of(m.start) <= sentence or sentences.index_of(m.start) == 0)
            and m.start < mention.end + 200
        ]
        anchor = max(anchors, key=lambda a: (a[0], a[1]))[2] if anchors else None
        if anchor is not None and (shifted := resolve(mention, anchor.day)) is not None:
            dates[number] = (mention, shifted)


def _last_weekday_apart(dates: list[tuple[DateMention, ResolvedDate]]) -> None:
    """'signed on Thursday ... the text was agreed last Thursday': when the text has both, 'last
    Thursday' is the one a week before."""
    plain = {r.day for m, r in dates if m.kind == "weekday" and m.modifier != "last"}
    for number, (mention, resolved) in enumerate(dates):
        if mention.kind == "weekday" and mention.modifier == "last" and resolved.day in plain:
            dates[number] = (mention, ResolvedDate(resolved.day - dt.timedelta(days=7), resolved.precision))


def _from_another_day(mention: DateMention) -> bool:
    return mention.relative in NEIGHBOUR_DAY or mention.relative.endswith((" prior", " ahead"))


def _with_variants(text: str, result, index: KnowledgeIndex, named: set[EntityKey]) -> None:
    """Add the known people the text names in spellings the knowledge base does not list (see variants.py)."""
    people = named | {m.entity for m in result.mentions if m.entity[0] == "person"}
    found = find_variants(text, [(m.start, m.end) for m in result.mentions], people, index.variants)
    if found:
        result.mentions = sorted([*result.mentions, *found], key=lambda m: m.start)


def _role_constraints(folded: str, mentions: list[Mention], index: KnowledgeIndex) -> list[list[tuple]]:
    """For each person named with a dated title ('Secretary of State Blinken'), the spans of the
    roles that title fits: the text was written while one of them was held. 'Former' voids it."""
    spans_by_person: dict[EntityKey, set[tuple]] = {}
    for mention in mentions:
        roles = index.roles.get(mention.entity)
        if not roles:
            continue
        before = folded[max(0, mention.start - 80):mention.start].rstrip(" ,(")
        for role in roles:
            key = next(
                (k for k in role.longest_first
                 if before.endswith(k) and (len(before) == len(k) or not is_word_char(before[-len(k) - 1]))),
                None,
            )
            if key is None or not (role.start or role.end):
                continue
            preceding = {w.strip(".,'") for w in before[:-len(key)].split()[-2:]}
            if not PAST_ROLE_MARKERS & preceding:
                spans_by_person.setdefault(mention.entity, set()).add((role.start, role.end))
    return [sorted(spans, key=str) for spans in spans_by_person.values()]


def analyze(
    *,
    title: str,
    body: str,
    dateline: str = "",
    published_at: dt.date | dt.datetime | None = None,
    published_basis: str = "metadata",
    fetched_at: dt.date | dt.datetime | None = None,
    index: KnowledgeIndex | None = None,
    details: bool = True,
) -> Analysis:
    """What a text mentions, when, who said what, and how relevant it is; touches no table.

    `published_at`: the date the article came with, and `published_basis` where it came from
    (metadata, feed, editor); `fetched_at`: when it was fetched, after which it cannot have been
    published. `details=False` stops after the tags and topics: no discovered people, dates,
    events or quotes (enough to tell whether a topic's rules change an article's topics).
    """
    index = index or get_index()
    matcher = index.matcher
    if isinstance(published_at, dt.datetime):
        published_at = published_at.date()
    if isinstance(fetched_at, dt.datetime):
        fetched_at = fetched_at.date()
    opening = _DATELINE.match(body[:120])
    dateline_text = dateline or (opening.group("place") if opening else "")
    dateline_hits = matcher.find(dateline_text).mentions if dateline_text else []
    context = frozenset(m.entity for m in dateline_hits)
    folded = fold(body)
    body_result = matcher.find(body, context, when=published_at, folded=folded)
    _with_variants(body, body_result, index, set())
    owned = owned_mentions(body, folded, body_result.mentions, index.owned_heads)
    if owned:
        body_result.mentions = sorted([*body_result.mentions, *owned], key=lambda m: m.start)
    _as_provinces(body, body_result.mentions, index)
    title_result = matcher.find(title, context | frozenset(m.entity for m in body_result.mentions), when=published_at)
    _with_variants(title, title_result, index, {m.entity for m in body_result.mentions if m.entity[0] == "person"})

    analysis = Analysis()
    for key, mentions in body_result.by_entity().items():
        analysis.mentions[key] = (len(mentions), mentions[0].start)
    for key, mentions in title_result.by_entity().items():
        count, offset = analysis.mentions.get(key, (0, None))
        analysis.mentions[key] = (count + len(mentions), offset)
    for m in dateline_hits:
        analysis.mentions.setdefault(m.entity, (1, None))

    phrase_weights = dict(body_result.phrase_hits)
    for topic_id, weight in title_result.phrase_hits.items():
        phrase_weights[topic_id] = phrase_weights.get(topic_id, 0.0) + weight
    for rule in index.topics:
        score = phrase_weights.get(rule.topic_id, 0.0)
        score += sum(w for key, w in rule.entity_weights.items() if key in analysis.mentions)
        if score >= rule.threshold:
            analysis.topic_scores[rule.topic_id] = round(score, 3)
            analysis.mentions[("topic", rule.topic_id)] = (1, None)
    analysis.relevance = _relevance(analysis, index)
    sentences = split_sentences(body)
    analysis.is_relevant = _is_relevant(analysis, body, body_result.mentions, sentences, index)
    if not details:
        return analysis

    analysis.discovered = discover_people(
        body, [(m.start, m.end) for m in body_result.mentions], index.entity_words,
        [(s, e) for category, s, e in body_result.markers if category == "role"],
    )

    # When: the publication day, then every date in the text read from it.
    date_mentions = find_dates(
        body, sentences.spans, [(s, e) for category, s, e in body_result.markers if category in DATE_ANCHORS]
    )
    dateline_dates = find_dates(dateline) if dateline else []
    if opening and opening.group("date"):
        dateline_dates += find_dates(opening.group("date"))
        date_mentions = [m for m in date_mentions if m.start >= opening.end()]
    elif not opening and (native_end := native_dateline_end(body)):
        dateline_dates += [m for m in date_mentions if m.end <= native_end]
        date_mentions = [m for m in date_mentions if m.start >= native_end]
    publication = settle_publication(
        given=published_at, given_basis=published_basis, fetched=fetched_at, dateline=dateline_dates,
        text=date_mentions, constraints=lambda: _role_constraints(folded, body_result.mentions, index),
        corefer=_same_report(body_result, sentences),
        lede_weekdays=_lede_weekdays(date_mentions, sentences),
    )
    if publication.date is None:
        publication = _from_timeline(
            title, body, date_mentions, body_result, sentences, index, fetched_at,
            lambda: _role_constraints(folded, body_result.mentions, index),
        ) or publication
    analysis.published, analysis.published_source = publication.date, publication.basis
    reference = publication.date.day if publication.date else None
    for mention in date_mentions:
        resolved = resolve(mention, reference, publication.year)
        if resolved is not None:
            analysis.dates.append((mention, resolved))
    _from_neighbour_days(analysis.dates, sentences)
    _last_weekday_apart(analysis.dates)

    # Who did what: events and quotations, over people, organizations and the newly found.
    actors = [
        Located(m.entity, m.start, m.end) for m in body_result.mentions
        if m.entity[0] == "person" or (m.entity[0] == "organization" and index.organization_kind.get(m.entity[1]) != "media")
    ]
    actors += [Located(("new", i), s, e) for i, person in enumerate(analysis.discovered) for s, e in person.mentions]
    actors.sort(key=lambda a: a.start)
    places = [Located(m.entity, m.start, m.end) for m in body_result.mentions if m.entity[0] == "place"]
    dateline_place = next((m.entity for m in dateline_hits if m.entity[0] == "place"), None)
    opening_date = publication.date if publication.basis == "dateline" else None
    if opening_date is None and dateline_dates:
        opening_date = next(
            (found for m in dateline_dates if (found := resolve(m, reference, publication.year)) is not None), None
        )
    candidates = extract_events(
        unify_letters(body), sentences.spans, actors, places,
        [DateAt(m.start, m.end, r, m.modifier, m.tense, m.calendar) for m, r in analysis.dates], index.place_kind, dateline_place,
        [m for m in body_result.markers if m[0].startswith("event:")],
        reference=publication.date, dateline_date=opening_date,
    )
    _join_timeline(analysis, title, body, candidates, body_result, sentences, index, reference)
    analysis.quotes = extract_quotes(body, sentences.spans, actors, sentences.index_of)
    return analysis


def _lede_weekdays(date_mentions: list[DateMention], sentences) -> set[int]:
    """The weekdays of the story's first sentence that names one it reports (among its first
    ANCHOR_SENTENCES): the day of the news a dateline dates ('اسلام آباد (۱۶ اگست)' ... 'پیر کو')."""
    for number in range(ANCHOR_SENTENCES):
        found = {
            m.weekday for m in date_mentions
            if m.kind == "weekday" and m.tense == "past" and m.modifier not in NOT_REPORTED_MODIFIERS
            and sentences.index_of(m.start) == number
        }
        if found:
            return found
    return set()


def _from_timeline(
    title: str, body: str, date_mentions: list[DateMention], result, sentences, index: KnowledgeIndex,
    fetched: dt.date | None, constraints: Callable[[], list],
) -> Publication | None:
    """An undated text that opens on a timeline event and names its weekday ('called on Thursday
    ..., after a day of talks in Moscow') was written the day after it, approximately (see
    `curated.anchor_on_timeline`)."""
    weekdays: dict[int, set[int]] = defaultdict(set)
    for mention in date_mentions:
        if mention.kind == "weekday" and mention.tense == "past" and mention.modifier not in NOT_REPORTED_MODIFIERS:
            weekdays[sentences.index_of(mention.start)].add(mention.weekday)
    if not weekdays.keys() & set(range(ANCHOR_SENTENCES)):
        return None
    event = anchor_on_timeline(
        _sentence_facts(Analysis(), body, result, sentences, index), weekdays, list(index.curated.values()),
        index.curated_idf, frozenset(key[1] for key in index.country_places.values()),
        earliest=None, latest=fetched, headline=title_words(title),
    )
    if event is None:
        return None
    day = event.start + dt.timedelta(days=1)
    if fetched is not None:
        day = min(day, fetched)
    if not agrees_with_text(day, date_mentions, constraints()):
        return None
    return Publication(ResolvedDate(day, DatePrecision.APPROXIMATE), "text", day.year)


def _same_report(result, sentences) -> Callable[[DateMention, DateMention], bool]:
    """Whether two date expressions date one report: in one sentence, or in two sentences that each
    report something (an event word) and name a same person or organization ('called on General
    Bajwa on Monday' and 'Khalilzad visited Islamabad on March 8', both about Khalilzad's trip)."""
    actors_in: dict[int, set] = defaultdict(set)
    reporting: set[int] = set()
    for mention in result.mentions:
        if mention.entity[0] in ("person", "organization"):
            actors_in[sentences.index_of(mention.start)].add(mention.entity)
    for category, start, _end in result.markers:
        if category.startswith("event:"):
            reporting.add(sentences.index_of(start))

    def corefer(first: DateMention, second: DateMention) -> bool:
        a, b = sentences.index_of(first.start), sentences.index_of(second.start)
        return a == b or (a in reporting and b in reporting and bool(actors_in[a] & actors_in[b]))

    return corefer


# A date in a clause that 'since' opens ('since negotiations opened in September') dates what came
# before the sentence's news, not the news.
_SINCE_CLAUSE = re.compile(r"\bsince\b[^,.;:]*$", re.IGNORECASE)


def _sentence_facts(analysis: Analysis, body: str, result, sentences, index: KnowledgeIndex) -> list[SentenceFacts]:
    people: dict[int, set[int]] = defaultdict(set)
    organizations: dict[int, set[int]] = defaultdict(set)
    places: dict[int, set[int]] = defaultdict(set)
    for mention in result.mentions:
        kind, pk = mention.entity
        number = sentences.index_of(mention.start)
        if kind == "person":
            people[number].add(pk)
        elif kind == "organization":
            organizations[number] |= index.organization_family.get(pk, {pk})
        elif kind == "place":
            places[number] |= index.place_family.get(pk, {pk})
    dates: dict[int, list] = defaultdict(list)
    # Sentences with a day or month of their own, not only one something must happen by or since.
    dated: set[int] = set()
    for mention, resolved in analysis.dates:
        dates[sentences.index_of(mention.start)].append(resolved)
        if mention.modifier not in NOT_REPORTED_MODIFIERS and not _SINCE_CLAUSE.search(body, max(0, mention.start - 60), mention.start):
            dated.add(sentences.index_of(mention.start))
    # A sentence reports something when it has an event word not negated or conditional, or a day
    # or month in the past ('Mazar-i-Sharif had fallen on Saturday', 'reopened in September').
    reporting = {
        sentences.index_of(start) for category, start, _end in result.markers
        if category.startswith("event:") and not UNREAL.search(body, max(0, start - 30), start)
    } | {
        sentences.index_of(mention.start) for mention, resolved in analysis.dates
        if mention.tense == "past" and mention.modifier not in NOT_REPORTED_MODIFIERS
        and resolved.precision in (DatePrecision.DAY, DatePrecision.MONTH)
        and not UNREAL.search(body, max(0, mention.start - 30), mention.start)
    }
    return [
        SentenceFacts(
            span=span, words=title_words(body[span[0]:span[1]]), people=frozenset(people[number]),
            organizations=frozenset(organizations[number]), places=frozenset(places[number]),
            dates=tuple(dates[number]), reports=number in reporting, dated=number in dated,
        )
        for number, span in enumerate(sentences.spans)
    ]


def _join_timeline(
    analysis: Analysis, title: str, body: str, candidates: list[ExtractedEvent], result, sentences,
    index: KnowledgeIndex, reference: dt.date | None,
) -> None:
    """Reported events that are timeline events join them; the others stand as machine events
    only when dated to the day with a participant; timeline events the text names or describes are linked."""
    markers = result.markers
    names: dict[tuple[int, int], list[int]] = {}
    for category, start, end in markers:
        if category.startswith("curated:"):
            names.setdefault((start, end), []).append(int(category.removeprefix("curated:")))
    named_in_sentence: dict[tuple[int, int], set[int]] = {}
    named_at: list[tuple[tuple[int, ...], tuple[int, int]]] = []
    for (start, _end), ids in sorted(names.items()):
        sentence = sentences.spans[sentences.index_of(start)] if sentences.spans else (0, 0)
        named_in_sentence.setdefault(sentence, set()).update(ids)
        named_at.append((tuple(ids), sentence))
    countries = frozenset(key[1] for key in index.country_places.values())
    link_reported(
        body, candidates, list(index.curated.values()), index.place_family, named_in_sentence, countries, reference,
    )
    analysis.events = [event for event in candidates if event.curated is not None or event.stands_alone]
    for event in analysis.events:
        if event.curated is not None:
            analysis.curated.setdefault(event.curated, CuratedLink("reported", event.sentence, event.confidence))
    for event_id, sentence in link_named(named_at, index.curated, reference).items():
        analysis.curated.setdefault(event_id, CuratedLink("named", sentence, 0.7))
    described = link_described(
        _sentence_facts(analysis, body, result, sentences, index), list(index.curated.values()), index.curated_idf,
        reference, countries, headline=title_words(title), by_word=index.curated_by_word,
    )
    for event_id, (sentence, _score) in described.items():
        analysis.curated.setdefault(event_id, CuratedLink("described", sentence, 0.6))


# The share of a text's sentences that must name something Afghan for the text to be about Afghanistan.
AFGHAN_SHARE = 0.2


# Words that put a sentence in Afghanistan even when it names no Afghan entity ('the Afghan peace process').
# In Dari, Pashto and Urdu: 'افغان' (and its plurals and obliques), 'افغانستان', 'طالبان' and 'طالبانو'.
_AFGHAN_WORDS = re.compile(
    r"\b(?:Afghan|Afghans|Afghanistan|Afghanistan's|Taliban|Taliban's)\b"
    r"|(?<![\u0600-\u06ff])(?:افغان(?:ها|ان|انو|ستان|ی|ے|وں)?|طالبان(?:و)?)(?![\u0600-\u06ff])"
)


def _is_relevant(analysis: Analysis, body: str, mentions: list[Mention], sentences, index: KnowledgeIndex) -> bool:
    """A piece is about the process when it has (1) a topic of the process (a context topic, such
    as floods or aid, only with the Taliban in the story), or two Afghan actors
    (the Taliban's or the republic's people and bodies), (2) an actor of the knowledge base (a
    person, or an organization other than a news outlet) and (3) Afghanistan at its centre: at least
    AFGHAN_SHARE of its sentences name an Afghan place, organization or person. An earthquake relief
    piece without actors, a Pakistani rally that mentions the Afghan border once, a cricket Test with
    Afghan players and no topic of the process are not.
    """
    if not sentences.spans:
        return False
    actors = [
        key for key in analysis.mentions
        if key[0] == "person" or (key[0] == "organization" and index.organization_kind.get(key[1]) != "media")
    ]
    context = {rule.topic_id for rule in index.topics if rule.context}
    with_taliban = any(key in index.taliban for key in analysis.mentions)
    process_topics = [topic for topic in analysis.topic_scores if topic not in context or with_taliban]
    if not actors or not (process_topics or sum(key in index.afghan for key in actors) >= 2):
        return False
    afghan = {sentences.index_of(m.start) for m in mentions if m.entity in index.afghan}
    afghan |= {sentences.index_of(m.start()) for m in _AFGHAN_WORDS.finditer(body)}
    return len(afghan) >= AFGHAN_SHARE * len(sentences.spans)


def _relevance(analysis: Analysis, index: KnowledgeIndex) -> float:
    """Saturating score of the evidence that a piece is about the process.

    Topics weigh most (each by how far it clears its threshold), then the process's people and
    organizations, then Afghan places; 0.4 is reached with about one topic plus one actor.
    """
    thresholds = {rule.topic_id: rule.threshold for rule in index.topics}
    evidence = sum(min(score / thresholds[t], 3.0) for t, score in analysis.topic_scores.items())
    kinds = [key[0] for key in analysis.mentions]
    evidence += 0.5 * min(kinds.count("person"), 6) + 0.25 * min(kinds.count("organization"), 6)
    afghanistan = index.country_places.get("AF")
    if any(k == afghanistan or (k[0] == "place" and index.place_country.get(k[1]) == "AF") for k in analysis.mentions):
        evidence += 0.5
    return round(1 - math.exp(-evidence / 4), 4)


def article_tag(*, article: Article, index: KnowledgeIndex | None = None, inserted: bool = False) -> Analysis:
    """Re-tag one article. What the tagger wrote before is replaced; an editor's decisions stay.

    A batch of one (`batches.articles_tag`, which tags many): an error is raised, not recorded.
    `inserted` is kept for callers that pass it; the batch reads what there is to take back anyway.
    """
    from .batches import articles_tag  # batches imports this module

    (tagged,) = articles_tag(articles=[article], index=index, fail_alone=False)
    return tagged.analysis
