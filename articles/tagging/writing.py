"""Writes an analysis for one article: tag links, discovered people, quotes and events.

Every step first takes back what the tagger wrote for this article before (the evidence rows say
what that was), then writes the new result; editors' links and reviewed events are never changed.
Called inside `article_tag`'s transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.text import slugify

from articles.models import (
    Article,
    DecidedBy,
    Event,
    EventEvidence,
    EventParticipant,
    Organization,
    Person,
    PersonEvidence,
    Place,
    Quote,
)

from .editorial import LINKS_BY_ENTITY

if TYPE_CHECKING:
    from .discovery import Discovered
    from .events import ExtractedEvent
    from .services import Analysis

# "person" -> (ArticlePerson, "person_id"), and so on: the link model and its entity column.
LINK_MODELS = {entity._meta.model_name: (model, f"{field}_id") for entity, (model, field) in LINKS_BY_ENTITY.items()}
MAX_EVENT_PARTICIPANTS_IN_TITLE = 3


def write_analysis(*, article: Article, analysis: Analysis) -> None:
    previously_discovered = set(PersonEvidence.objects.filter(article=article).values_list("person_id", flat=True))
    PersonEvidence.objects.filter(article=article).delete()
    people = _discovered_people(article, analysis.discovered)
    mentions = dict(analysis.mentions)
    for index, person in enumerate(analysis.discovered):
        mentions[("person", people[index])] = (len(person.mentions), person.start)
    _write_links(article, mentions, analysis.topic_scores)
    _write_quotes(article, analysis, people)
    _write_events(article, analysis.events, people)
    person_forget_discovered(person_ids=previously_discovered)


def _discovered_people(article: Article, discovered: list[Discovered]) -> dict[int, int]:
    """Index of each discovered person -> Person id, creating unreviewed people as needed."""
    ids: dict[int, int] = {}
    evidence = []
    for index, found in enumerate(discovered):
        slug = slugify(found.name)[:300] or "person"
        person = Person.objects.filter(Q(slug=slug) | Q(name__iexact=found.name)).first()
        if person is None:
            person, _ = Person.objects.get_or_create(
                slug=slug, defaults={"name": found.name[:300], "title": found.role[:300], "reviewed": False}
            )
        ids[index] = person.pk
        evidence.append(PersonEvidence(
            person=person, article=article, role=found.role[:300], snippet=found.snippet[:500], offset=found.start
        ))
    PersonEvidence.objects.bulk_create(evidence, ignore_conflicts=True)
    return ids


def person_forget_discovered(*, person_ids: set[int] | list[int]) -> int:
    """Delete people the tagger discovered that nothing refers to any more; returns how many."""
    orphans = Person.objects.filter(
        pk__in=person_ids, reviewed=False, article_links__isnull=True, evidence__isnull=True,
        event_roles__isnull=True, quotes__isnull=True,
    )
    deleted, _ = Person.objects.filter(pk__in=list(orphans.values_list("pk", flat=True))).delete()
    return deleted


def _write_links(article: Article, mentions: dict, topic_scores: dict[int, float]) -> None:
    for kind, (model, entity_field) in LINK_MODELS.items():
        wanted = {key[1]: value for key, value in mentions.items() if key[0] == kind}
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
                values["score"] = topic_scores[entity_id]
            if link is None:
                to_create.append(model(article=article, **{entity_field: entity_id}, **values))
            elif link.decided_by == DecidedBy.TAGGER and any(getattr(link, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(link, k, v)
                to_update.append(link)
        model.objects.bulk_create(to_create)
        if to_update:
            model.objects.bulk_update(to_update, ["mentions", "first_offset", *(["score"] if kind == "topic" else [])])


def _speaker(key: tuple[str, int], people: dict[int, int]) -> dict:
    if key[0] == "new":
        return {"speaker_person_id": people[key[1]]}
    return {"speaker_person_id": key[1]} if key[0] == "person" else {"speaker_organization_id": key[1]}


def _write_quotes(article: Article, analysis: Analysis, people: dict[int, int]) -> None:
    Quote.objects.filter(article=article).delete()
    Quote.objects.bulk_create(
        Quote(article=article, text=q.text, offset=q.start, attribution=q.attribution, **_speaker(q.speaker, people))
        for q in analysis.quotes
    )


def _participant_ids(event: ExtractedEvent, people: dict[int, int]) -> tuple[list[int], list[int]]:
    persons, organizations = [], []
    for kind, pk in event.participants:
        if kind == "new":
            persons.append(people[pk])
        elif kind == "person":
            persons.append(pk)
        elif kind == "organization":
            organizations.append(pk)
    return list(dict.fromkeys(persons)), list(dict.fromkeys(organizations))


def _matching_event(event: ExtractedEvent, persons: list[int], organizations: list[int]) -> Event | None:
    """A stored event of the same kind, within a day (or the same month), sharing a participant."""
    day = event.date.day
    if event.date.precision == "day":
        dates = Q(start_date__range=(day - dt.timedelta(days=1), day + dt.timedelta(days=1)))
    else:
        dates = Q(start_date__year=day.year, start_date__month=day.month)
    candidates = Event.objects.filter(dates, kind=event.kind).prefetch_related("participants").order_by("-reviewed", "-confidence", "id")
    for candidate in candidates:
        their_people = {p.person_id for p in candidate.participants.all() if p.person_id}
        their_orgs = {p.organization_id for p in candidate.participants.all() if p.organization_id}
        if their_people & set(persons) or their_orgs & set(organizations):
            return candidate
        if not (persons or organizations or their_people or their_orgs) and event.place and candidate.place_id == event.place[1]:
            return candidate
    return None


def _event_title(event: ExtractedEvent, persons: list[int], organizations: list[int]) -> str:
    names = list(Person.objects.filter(pk__in=persons).values_list("name", flat=True))
    names += list(Organization.objects.filter(pk__in=organizations).values_list("name", flat=True))
    shown = names[:MAX_EVENT_PARTICIPANTS_IN_TITLE]
    who = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    if len(names) > len(shown):
        who = ", ".join(shown) + " and others"
    title = f"{event.kind.capitalize()}: {who}" if who else event.kind.capitalize()
    if event.place:
        place = Place.objects.filter(pk=event.place[1]).values_list("name", flat=True).first()
        title += f" in {place}" if place else ""
    return title[:500]


def _unique_slug(base: str) -> str:
    slug = base[:280].strip("-") or "event"
    taken = set(Event.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    suffix = 2
    while f"{slug}-{suffix}" in taken:
        suffix += 1
    return f"{slug}-{suffix}"


def _write_events(article: Article, events: list[ExtractedEvent], people: dict[int, int]) -> None:
    """Attach the article to the events it reports, creating unreviewed events as needed."""
    previous = list(EventEvidence.objects.filter(article=article).values_list("event_id", flat=True))
    if previous:
        Event.articles.through.objects.filter(article_id=article.pk, event_id__in=previous).delete()
        EventEvidence.objects.filter(article=article).delete()
    for extracted in events:
        persons, organizations = _participant_ids(extracted, people)
        text = article.body[extracted.sentence[0]:extracted.sentence[1]].strip()
        event = _matching_event(extracted, persons, organizations)
        if event is None:
            title = _event_title(extracted, persons, organizations)
            event = Event.objects.create(
                title=title, slug=_unique_slug(slugify(f"{extracted.date.key()} {title}")), kind=extracted.kind,
                start_date=extracted.date.day, start_precision=extracted.date.precision,
                place_id=extracted.place[1] if extracted.place else None,
                summary=text[:1000], confidence=extracted.confidence, reviewed=False,
            )
        elif not event.reviewed:
            known_people = {p.person_id for p in event.participants.all()}
            known_orgs = {p.organization_id for p in event.participants.all()}
            persons = [p for p in persons if p not in known_people]
            organizations = [o for o in organizations if o not in known_orgs]
            event.confidence = min(0.99, round(max(event.confidence, extracted.confidence) + 0.05, 2))
            event.save(update_fields=["confidence", "updated_at"])
        if not event.reviewed:
            EventParticipant.objects.bulk_create(
                [EventParticipant(event=event, person_id=p) for p in persons]
                + [EventParticipant(event=event, organization_id=o) for o in organizations],
                ignore_conflicts=True,
            )
        event.articles.add(article)
        EventEvidence.objects.get_or_create(
            event=event, article=article,
            defaults={"sentence": text[:2000], "offset": extracted.sentence[0], "confidence": extracted.confidence},
        )
    if previous:
        Event.objects.filter(pk__in=previous, reviewed=False, articles__isnull=True, evidence__isnull=True).delete()
