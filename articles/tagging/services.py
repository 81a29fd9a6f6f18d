"""Tagging an article: what it mentions (a pure analysis), then what is written for it.

`analyze` reads only the knowledge index; `article_tag` writes links, discovered people, events,
quotes and an inferred publication date, replacing what the tagger wrote before and never what
an editor decided.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from articles.models import Article, DatePrecision

from .dates import DateMention, ResolvedDate, find_dates, infer_reference, infer_year, resolve
from .discovery import Discovered, discover_people
from .events import ExtractedEvent, Located, extract_events
from .knowledge import KnowledgeIndex, get_index
from .lexicon import DATE_ANCHORS, PAST_ROLE_MARKERS
from .matcher import EntityKey, Mention
from .normalize import fold, is_word_char
from .quotes import ExtractedQuote, extract_quotes
from .sentences import split_sentences
from .writing import write_analysis

# Bump when the tagger's output changes, so `retag --stale` knows which articles to redo.
TAGGER_VERSION = 2

RELEVANCE_THRESHOLD = 0.4

# 'Badakhshan, Takhar and Kunduz provinces', 'the provinces of Paktika and Khost'
_PROVINCES_AFTER = re.compile(r"(?:(?:,\s*|\s+and\s+)[A-Z][\w'’-]*)*\s+provinces?\b", re.IGNORECASE)
_PROVINCES_BEFORE = re.compile(r"\bprovinces?\s+of\s+(?:[A-Z][\w'’-]*(?:,\s*|\s+and\s+))*$", re.IGNORECASE)
# 'ISLAMABAD – ' or 'KABUL, March 9 (Reuters) - ' opening a body.
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?)(?:,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?))?(?:\s*\([^)]{1,40}\))?\s*[–—-]+\s")


@dataclass
class Analysis:
    mentions: dict[EntityKey, tuple[int, int | None]] = field(default_factory=dict)  # count, first body offset
    topic_scores: dict[int, float] = field(default_factory=dict)
    relevance: float = 0.0
    discovered: list[Discovered] = field(default_factory=list)
    published: ResolvedDate | None = None
    published_source: str = ""  # metadata | dateline | text
    events: list[ExtractedEvent] = field(default_factory=list)
    quotes: list[ExtractedQuote] = field(default_factory=list)
    dates: list[tuple[DateMention, ResolvedDate]] = field(default_factory=list)

    @property
    def is_relevant(self) -> bool:
        return self.relevance >= RELEVANCE_THRESHOLD


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


def _publication(
    mentions: list[DateMention],
    published_at: dt.date | None,
    dateline_dates: list[DateMention],
    constraints: Callable[[], list[list[tuple]]],
) -> tuple[dt.date | None, int | None, ResolvedDate | None, str]:
    """(reference day, year for undated days, publication date, where it came from).

    `constraints` is called only when the date must be inferred: most articles carry one.
    """
    if published_at is not None:
        return published_at, None, ResolvedDate(published_at, DatePrecision.DAY), "metadata"
    for mention in dateline_dates:
        if mention.kind == "full":
            day = resolve(mention, None)
            return day.day, None, day, "dateline"
    year = infer_year(dateline_dates + mentions, constraints())
    for mention in dateline_dates:
        if mention.kind == "month_day" and year is not None:
            day = resolve(mention, None, year)
            if day is not None:
                return day.day, year, day, "dateline"
    reference = infer_reference(mentions, year)
    if reference is not None:
        return reference, year, ResolvedDate(reference, DatePrecision.APPROXIMATE), "text"
    return None, year, None, ""


def analyze(
    *,
    title: str,
    body: str,
    dateline: str = "",
    published_at: dt.date | dt.datetime | None = None,
    index: KnowledgeIndex | None = None,
    details: bool = True,
) -> Analysis:
    """What a text mentions, when, who said what, and how relevant it is; touches no table.

    `details=False` stops after the tags and topics: no discovered people, dates, events or quotes
    (enough to tell whether a topic's rules change an article's topics).
    """
    index = index or get_index()
    matcher = index.matcher
    if isinstance(published_at, dt.datetime):
        published_at = published_at.date()
    opening = _DATELINE.match(body[:120])
    dateline_text = dateline or (opening.group("place") if opening else "")
    dateline_hits = matcher.find(dateline_text).mentions if dateline_text else []
    context = frozenset(m.entity for m in dateline_hits)
    folded = fold(body)
    body_result = matcher.find(body, context, when=published_at, folded=folded)
    _as_provinces(body, body_result.mentions, index)
    title_result = matcher.find(title, context | frozenset(m.entity for m in body_result.mentions), when=published_at)

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
    if not details:
        return analysis

    sentences = split_sentences(body)
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
    reference, year, analysis.published, analysis.published_source = _publication(
        date_mentions, published_at, dateline_dates, lambda: _role_constraints(folded, body_result.mentions, index)
    )
    for mention in date_mentions:
        resolved = resolve(mention, reference, year)
        if resolved is not None:
            analysis.dates.append((mention, resolved))

    # Who did what: events and quotations, over people, organizations and the newly found.
    actors = [
        Located(m.entity, m.start, m.end) for m in body_result.mentions
        if m.entity[0] == "person" or (m.entity[0] == "organization" and index.organization_kind.get(m.entity[1]) != "media")
    ]
    actors += [Located(("new", i), s, e) for i, person in enumerate(analysis.discovered) for s, e in person.mentions]
    actors.sort(key=lambda a: a.start)
    places = [Located(m.entity, m.start, m.end) for m in body_result.mentions if m.entity[0] == "place"]
    dateline_place = next((m.entity for m in dateline_hits if m.entity[0] == "place"), None)
    analysis.events = extract_events(
        body, sentences.spans, actors, places,
        [(m.start, r, m.modifier) for m, r in analysis.dates], index.place_kind, dateline_place,
        [m for m in body_result.markers if m[0].startswith("event:")],
    )
    analysis.quotes = extract_quotes(body, sentences.spans, actors, sentences.index_of)
    return analysis


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

    `inserted`: the article was inserted in the caller's open transaction (ingestion), so no one
    else can see it yet and nothing was written for it before: no row lock, nothing to take back.
    """
    inferred_date = article.published_precision == DatePrecision.APPROXIMATE
    index = index or get_index()
    analysis = analyze(
        title=article.title, body=article.body, dateline=article.dateline,
        published_at=None if inferred_date else article.published_at, index=index,
    )
    # No savepoint: a caller that goes on after a failure (retag) gives each article one of its own.
    with transaction.atomic(savepoint=False):
        if not inserted:
            # Row lock: two workers tagging the same article take turns instead of colliding.
            Article.objects.select_for_update().filter(pk=article.pk).exists()
        write_analysis(article=article, analysis=analysis, inserted=inserted, known=index.matcher.entities)
        fields = ["relevance", "is_relevant", "status", "tagger_version", "tagged_at", "updated_at"]
        if analysis.published is not None and analysis.published_source != "metadata":
            article.published_at = dt.datetime.combine(analysis.published.day, dt.time(12), tzinfo=dt.UTC)
            article.published_precision = (
                DatePrecision.APPROXIMATE if analysis.published_source == "text" else DatePrecision.DAY
            )
            fields += ["published_at", "published_precision"]
        article.relevance = analysis.relevance
        article.is_relevant = analysis.is_relevant
        article.status = Article.Status.TAGGED
        article.tagger_version = TAGGER_VERSION
        article.tagged_at = timezone.now()
        article.save(update_fields=fields)
    return analysis
