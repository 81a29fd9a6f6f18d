"""Tagging an article: what it mentions (a pure analysis), then the links written for it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    DecidedBy,
)

from .knowledge import KnowledgeIndex, get_index
from .matcher import EntityKey

# Bump when the tagger's output changes, so `retag --stale` knows which articles to redo.
TAGGER_VERSION = 1

RELEVANCE_THRESHOLD = 0.4

LINK_MODELS = {
    "person": (ArticlePerson, "person_id"),
    "organization": (ArticleOrganization, "organization_id"),
    "place": (ArticlePlace, "place_id"),
    "topic": (ArticleTopic, "topic_id"),
}


@dataclass
class Analysis:
    mentions: dict[EntityKey, tuple[int, int | None]] = field(default_factory=dict)  # count, first body offset
    topic_scores: dict[int, float] = field(default_factory=dict)
    relevance: float = 0.0

    @property
    def is_relevant(self) -> bool:
        return self.relevance >= RELEVANCE_THRESHOLD


def analyze(*, title: str, body: str, dateline: str = "", index: KnowledgeIndex | None = None) -> Analysis:
    """What a text mentions, which topics it carries and how relevant it is; touches no table."""
    index = index or get_index()
    matcher = index.matcher
    dateline_hits = matcher.find(dateline).mentions if dateline else []
    context = frozenset(m.entity for m in dateline_hits)
    body_result = matcher.find(body, context)
    title_result = matcher.find(title, context | frozenset(m.entity for m in body_result.mentions))

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


def article_tag(*, article: Article, index: KnowledgeIndex | None = None) -> Analysis:
    """Re-tag one article. The tagger's links are replaced; an editor's are never touched."""
    analysis = analyze(title=article.title, body=article.body, dateline=article.dateline, index=index)
    with transaction.atomic():
        # Row lock: two workers tagging the same article take turns instead of colliding.
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        for kind, (model, entity_field) in LINK_MODELS.items():
            wanted = {key[1]: value for key, value in analysis.mentions.items() if key[0] == kind}
            existing = {getattr(link, entity_field): link for link in model.objects.filter(article=article)}
            stale = [
                link.pk for entity_id, link in existing.items()
                if link.decided_by == DecidedBy.TAGGER and entity_id not in wanted
            ]
            if stale:
                model.objects.filter(pk__in=stale).delete()
            to_create, to_update = [], []
            for entity_id, (count, offset) in wanted.items():
                link = existing.get(entity_id)
                values = {"mentions": count, "first_offset": offset}
                if kind == "topic":
                    values["score"] = analysis.topic_scores[entity_id]
                if link is None:
                    to_create.append(model(article=article, **{entity_field: entity_id}, **values))
                elif link.decided_by == DecidedBy.TAGGER and any(getattr(link, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(link, k, v)
                    to_update.append(link)
            model.objects.bulk_create(to_create)
            if to_update:
                model.objects.bulk_update(to_update, ["mentions", "first_offset", *(["score"] if kind == "topic" else [])])
        article.relevance = analysis.relevance
        article.is_relevant = analysis.is_relevant
        article.status = Article.Status.TAGGED
        article.tagger_version = TAGGER_VERSION
        article.tagged_at = timezone.now()
        article.save(update_fields=["relevance", "is_relevant", "status", "tagger_version", "tagged_at", "updated_at"])
    return analysis
