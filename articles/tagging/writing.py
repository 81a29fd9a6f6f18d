"""Writes an analysis for one article: tag links, discovered people, quotes and events.

Every step first takes back what the tagger wrote for this article before (the evidence rows say
what that was), then writes the new result; editors' links and reviewed events are never changed.
An article inserted in the same transaction (`inserted`) has nothing to take back, so those reads and
deletes are skipped. Called inside `article_tag`'s transaction.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q
from django.utils.text import slugify

from articles.models import (
    TAG_LINK_MODELS,
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

if TYPE_CHECKING:
    from .discovery import Discovered
    from .events import ExtractedEvent
    from .matcher import EntityInfo, EntityKey
    from .services import Analysis

# "person" -> (ArticlePerson, "person_id"), and so on: the link model and its entity column.
LINK_MODELS = {kind: (model, f"{model.entity_field}_id") for kind, model in TAG_LINK_MODELS.items()}
MAX_EVENT_PARTICIPANTS_IN_TITLE = 3


def write_analysis(
    *, article: Article, analysis: Analysis, inserted: bool = False, known: Mapping[EntityKey, EntityInfo] | None = None
) -> None:
    """`inserted`: the article was inserted in this transaction; `known`: the knowledge index's entities (names)."""
    previously_discovered: set[int] = set()
    if not inserted:
        previously_discovered = set(PersonEvidence.objects.filter(article=article).values_list("person_id", flat=True))
        PersonEvidence.objects.filter(article=article).delete()
    people = _discovered_people(article, analysis.discovered)
    mentions = dict(analysis.mentions)
    for index, person in enumerate(analysis.discovered):
        mentions[("person", people[index])] = (len(person.mentions), person.start)
    _write_links(article, mentions, analysis.topic_scores, inserted=inserted)
    _write_quotes(article, analysis, people, inserted=inserted)
    _write_events(article, analysis.events, people, inserted=inserted, known=known or {})
    if previously_discovered:
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


def _write_links(article: Article, mentions: dict, topic_scores: dict[int, float], *, inserted: bool) -> None:
    for kind, (model, entity_field) in LINK_MODELS.items():
        wanted = {key[1]: value for key, value in mentions.items() if key[0] == kind}
        existing = {} if inserted else {getattr(link, entity_field): link for link in model.objects.filter(article=article)}
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


def _write_quotes(article: Article, analysis: Analysis, people: dict[int, int], *, inserted: bool) -> None:
    if not inserted:
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


@dataclass
class _Stored:
    """A stored event with the people and organizations taking part, for matching in memory."""

    event: Event
    people: set[int]
    organizations: set[int]


def _candidates(events: list[ExtractedEvent]) -> list[_Stored]:
    """Every stored event an extracted one could be, in the order matches are preferred: of its kind,
    within a day of its day (or in its month), as `_same_event` asks. One query, and one for the
    participants, read as ids: an archive has many events of a kind in a month."""
    if not events:
        return []
    window = Q()
    for extracted in events:
        day = extracted.date.day
        if extracted.date.precision == "day":
            first, last = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
        else:
            first = day.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        window |= Q(kind=extracted.kind, start_date__range=(first, last))
    stored = list(Event.objects.filter(window).order_by("-reviewed", "-confidence", "id"))
    people: dict[int, set[int]] = defaultdict(set)
    organizations: dict[int, set[int]] = defaultdict(set)
    if stored:
        participants = EventParticipant.objects.filter(event_id__in=[event.pk for event in stored])
        for event_id, person_id, organization_id in participants.values_list("event_id", "person_id", "organization_id"):
            if person_id:
                people[event_id].add(person_id)
            if organization_id:
                organizations[event_id].add(organization_id)
    return [_Stored(event, people[event.pk], organizations[event.pk]) for event in stored]


def _lock_key(text: str) -> int:
    """A signed 32-bit key for pg_advisory_xact_lock(namespace, key), the same in every process."""
    return zlib.crc32(text.encode()) - 2**31


EVENT_LOCK_NAMESPACE = _lock_key("newsroom:events")


def _lock_event_months(events: list[ExtractedEvent]) -> None:
    """Take turns with other workers writing events of the same kind and month (PostgreSQL advisory
    locks to the end of the transaction, taken in key order): the second finds the event the first
    created instead of creating it again, and never collides with its slug (same slug, same kind
    and month). SQLite has one writer at a time anyway."""
    if connection.vendor != "postgresql" or not events:
        return
    keys = set()
    for extracted in events:
        day = extracted.date.day
        days = [day + dt.timedelta(days=shift) for shift in (-1, 0, 1)] if extracted.date.precision == "day" else [day]
        keys |= {_lock_key(f"{extracted.kind}:{d.year}-{d.month}") for d in days}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS ordered",
            [EVENT_LOCK_NAMESPACE, sorted(keys)],
        )


def _same_event(extracted: ExtractedEvent, stored: _Stored, persons: list[int], organizations: list[int]) -> bool:
    """Same kind, within a day (or in the same month when only the month is known), a shared
    participant; with no participants on either side, the same place."""
    event, day = stored.event, extracted.date.day
    if event.kind != extracted.kind or event.start_date is None:
        return False
    if extracted.date.precision == "day":
        if abs((event.start_date - day).days) > 1:
            return False
    elif (event.start_date.year, event.start_date.month) != (day.year, day.month):
        return False
    if stored.people & set(persons) or stored.organizations & set(organizations):
        return True
    return (
        not (persons or organizations or stored.people or stored.organizations)
        and extracted.place is not None and event.place_id == extracted.place[1]
    )


def _names(model, kind: str, ids: set[int], known: Mapping[EntityKey, EntityInfo]) -> dict[int, str]:
    """Names of these rows: the knowledge index's where it has them, the others (people discovered
    just now) in one query."""
    names = {pk: known[(kind, pk)].name for pk in ids if (kind, pk) in known}
    missing = ids - names.keys()
    if missing:
        names.update(model.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def _titles(new: list[tuple[ExtractedEvent, list[int], list[int]]], known: Mapping[EntityKey, EntityInfo]) -> list[str]:
    """Titles of new events: 'Meeting: A, B and C in Place', names read in at most three queries."""
    people = _names(Person, "person", {p for _e, persons, _o in new for p in persons}, known)
    orgs = _names(Organization, "organization", {o for _e, _p, organizations in new for o in organizations}, known)
    places = _names(Place, "place", {e.place[1] for e, _p, _o in new if e.place}, known)
    titles = []
    for extracted, persons, organizations in new:
        names = [people[p] for p in persons if p in people] + [orgs[o] for o in organizations if o in orgs]
        shown = names[:MAX_EVENT_PARTICIPANTS_IN_TITLE]
        if len(names) > len(shown):
            who = ", ".join(shown) + " and others"
        else:
            who = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + (shown[-1] if shown else "")
        title = f"{extracted.kind.capitalize()}: {who}" if who else extracted.kind.capitalize()
        if extracted.place and extracted.place[1] in places:
            title += f" in {places[extracted.place[1]]}"
        titles.append(title[:500])
    return titles


def _unique_slugs(bases: list[str]) -> list[str]:
    """One slug per base, none already taken or repeated: one query for all."""
    bases = [b[:280].strip("-") or "event" for b in bases]
    prefix = Q()
    for base in set(bases):
        prefix |= Q(slug__startswith=base)
    taken = set(Event.objects.filter(prefix).values_list("slug", flat=True)) if bases else set()
    slugs = []
    for base in bases:
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _write_events(
    article: Article, events: list[ExtractedEvent], people: dict[int, int], *, inserted: bool,
    known: Mapping[EntityKey, EntityInfo],
) -> None:
    """Attach the article to the events it reports, creating unreviewed events as needed.

    A fixed number of queries, however many events: candidates are read at once and matched in
    memory, and new events, participants, links and evidence are written in bulk.
    """
    previous = [] if inserted else list(EventEvidence.objects.filter(article=article).values_list("event_id", flat=True))
    if previous:
        Event.articles.through.objects.filter(article_id=article.pk, event_id__in=previous).delete()
        EventEvidence.objects.filter(article=article).delete()
    _lock_event_months(events)
    stored = _candidates(events)
    attached: list[tuple[Event, ExtractedEvent, list[int], list[int]]] = []
    new: list[tuple[ExtractedEvent, list[int], list[int]]] = []
    for extracted in events:
        persons, organizations = _participant_ids(extracted, people)
        match = next((s for s in stored if _same_event(extracted, s, persons, organizations)), None)
        if match is None:
            new.append((extracted, persons, organizations))
            continue
        attached.append((match.event, extracted, persons, organizations))
        if not match.event.reviewed:
            match.event.confidence = min(0.99, round(max(match.event.confidence, extracted.confidence) + 0.05, 2))
    if new:
        titles = _titles(new, known)
        slugs = _unique_slugs([slugify(f"{e.date.key()} {title}") for (e, _p, _o), title in zip(new, titles, strict=True)])
        created = Event.objects.bulk_create(
            Event(
                title=title, slug=slug, kind=e.kind, start_date=e.date.day, start_precision=e.date.precision,
                place_id=e.place[1] if e.place else None, confidence=e.confidence, reviewed=False,
                summary=article.body[e.sentence[0]:e.sentence[1]].strip()[:1000],
            )
            for (e, _p, _o), title, slug in zip(new, titles, slugs, strict=True)
        )
        attached += [(event, e, persons, organizations) for event, (e, persons, organizations) in zip(created, new, strict=True)]
    already_stored = {s.event.pk for s in stored}
    Event.objects.bulk_update(
        [event for event, *_ in attached if not event.reviewed and event.pk in already_stored], ["confidence"]
    )
    EventParticipant.objects.bulk_create(
        [
            EventParticipant(event=event, **{field: pk})
            for event, _e, persons, organizations in attached if not event.reviewed
            for field, ids in (("person_id", persons), ("organization_id", organizations)) for pk in ids
        ],
        ignore_conflicts=True,
    )
    Event.articles.through.objects.bulk_create(
        [Event.articles.through(event_id=event.pk, article_id=article.pk) for event, *_ in attached],
        ignore_conflicts=True,
    )
    EventEvidence.objects.bulk_create(
        [
            EventEvidence(
                event=event, article=article, offset=e.sentence[0], confidence=e.confidence,
                sentence=article.body[e.sentence[0]:e.sentence[1]].strip()[:2000],
            )
            for event, e, _p, _o in attached
        ],
        ignore_conflicts=True,
    )
    if previous:
        Event.objects.filter(pk__in=previous, reviewed=False, articles__isnull=True, evidence__isnull=True).delete()
