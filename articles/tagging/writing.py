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
    EventKey,
    EventParticipant,
    Organization,
    Person,
    PersonEvidence,
    Quote,
)

from .headlines import event_headline
from .knowledge import short_name

if TYPE_CHECKING:
    from .discovery import Discovered
    from .events import ExtractedEvent
    from .knowledge import KnowledgeIndex
    from .matcher import EntityKey
    from .services import Analysis

# "person" -> (ArticlePerson, "person_id"), and so on: the link model and its entity column.
LINK_MODELS = {kind: (model, f"{model.entity_field}_id") for kind, model in TAG_LINK_MODELS.items()}


def write_analysis(*, article: Article, analysis: Analysis, index: KnowledgeIndex, inserted: bool = False) -> None:
    """`inserted`: the article was inserted in this transaction; `index`: the knowledge index it was analysed with."""
    previously_discovered: set[int] = set()
    if not inserted:
        previously_discovered = set(PersonEvidence.objects.filter(article=article).values_list("person_id", flat=True))
        PersonEvidence.objects.filter(article=article).delete()
    people = _discovered_people(article, analysis.discovered)
    mentions = dict(analysis.mentions)
    for number, person in enumerate(analysis.discovered):
        mentions[("person", people[number])] = (len(person.mentions), person.start)
    _write_links(article, mentions, analysis.topic_scores, inserted=inserted)
    _write_quotes(article, analysis, people, inserted=inserted)
    _write_events(article, analysis, people, inserted=inserted, index=index)
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


def event_key(extracted: ExtractedEvent, persons: list[int], organizations: list[int]) -> str:
    """The happening a machine event is: its kind, its day and its lead participant (the first
    person by id, else the first organization, else its place)."""
    if persons:
        lead = f"p{min(persons)}"
    elif organizations:
        lead = f"o{min(organizations)}"
    else:
        lead = f"l{extracted.place[1]}" if extracted.place else "-"
    return f"{extracted.kind}:{extracted.date.key()}:{lead}"


def _candidates(events: list[ExtractedEvent], keys: list[str]) -> tuple[list[_Stored], dict[str, Event]]:
    """Every stored machine or confirmed event an extracted one could be, in the order matches are
    preferred (see `_same_event`), rejected ones included so that they are never made again; and
    the events the keys already name. Three queries: an archive has many events of a kind in a month."""
    if not events:
        return [], {}
    window = Q()
    for extracted in events:
        day = extracted.date.day
        window |= Q(kind=extracted.kind, start_date__range=(day - dt.timedelta(days=1), day + dt.timedelta(days=1)))
    stored = list(Event.objects.filter(window, machine_made=True).order_by("-reviewed", "rejected", "-confidence", "id"))
    by_key = {k.key: k.event for k in EventKey.objects.filter(key__in=keys).select_related("event")}
    people: dict[int, set[int]] = defaultdict(set)
    organizations: dict[int, set[int]] = defaultdict(set)
    if stored:
        participants = EventParticipant.objects.filter(event_id__in=[event.pk for event in stored])
        for event_id, person_id, organization_id in participants.values_list("event_id", "person_id", "organization_id"):
            if person_id:
                people[event_id].add(person_id)
            if organization_id:
                organizations[event_id].add(organization_id)
    return [_Stored(event, people[event.pk], organizations[event.pk]) for event in stored], by_key


def _lock_key(text: str) -> int:
    """A signed 32-bit key for pg_advisory_xact_lock(namespace, key), the same in every process."""
    return zlib.crc32(text.encode()) - 2**31


EVENT_LOCK_NAMESPACE = _lock_key("newsroom:events")


def _lock_event_months(events: list[ExtractedEvent]) -> None:
    """Take turns with other workers writing events of the same kind and month (PostgreSQL advisory
    locks to the end of the transaction, taken in key order): the second finds the event the first
    created instead of creating it again. The unique event key would refuse the second anyway;
    the lock spares it the failed transaction. SQLite has one writer at a time anyway."""
    if connection.vendor != "postgresql" or not events:
        return
    keys = set()
    for extracted in events:
        day = extracted.date.day
        keys |= {_lock_key(f"{extracted.kind}:{d.year}-{d.month}") for d in (day + dt.timedelta(days=s) for s in (-1, 0, 1))}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS ordered",
            [EVENT_LOCK_NAMESPACE, sorted(keys)],
        )


def _same_event(extracted: ExtractedEvent, stored: _Stored, persons: list[int], organizations: list[int]) -> bool:
    """Same kind, within a day, a shared participant."""
    event, day = stored.event, extracted.date.day
    if event.kind != extracted.kind or event.start_date is None or abs((event.start_date - day).days) > 1:
        return False
    return bool(stored.people & set(persons) or stored.organizations & set(organizations))


def _short_names(model, kind: str, ids: set[int], known: Mapping[EntityKey, str]) -> dict[int, str]:
    """Headline names of these rows: the knowledge index's where it has them, the others (people
    discovered just now) in one query."""
    names = {pk: known[(kind, pk)] for pk in ids if (kind, pk) in known}
    missing = ids - names.keys()
    if missing:
        names.update((pk, short_name(name)) for pk, name in model.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def _titles(
    new: list[tuple[ExtractedEvent, list[int], list[int]]], people: dict[int, int], index: KnowledgeIndex,
) -> list[str]:
    """Headlines of new events ('Khalilzad meets Baradar in Doha'), names read in at most two queries."""
    person_names = _short_names(Person, "person", {p for _e, persons, _o in new for p in persons}, index.short_names)
    org_names = _short_names(Organization, "organization", {o for _e, _p, orgs in new for o in orgs}, index.short_names)

    def name(key: tuple[str, int]) -> str | None:
        if key[0] == "new":
            return person_names.get(people[key[1]])
        return person_names.get(key[1]) if key[0] == "person" else org_names.get(key[1])

    titles = []
    for extracted, _persons, _organizations in new:
        subjects = [n for key in extracted.subjects if (n := name(key))]
        others = [n for key in extracted.participants if key not in extracted.subjects and (n := name(key))]
        place = index.matcher.entities[extracted.place].name if extracted.place in index.matcher.entities else ""
        titles.append(event_headline(extracted.kind, subjects, others, place, extracted.action)[:500])
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


def _evidence(article: Article, event_id: int, sentence: tuple[int, int], confidence: float, basis: str, date_text: str = ""):
    text = article.body[sentence[0]:sentence[1]]
    offset = sentence[0] + (len(text) - len(text.lstrip()))
    return EventEvidence(
        event_id=event_id, article=article, offset=offset, end=offset + len(text.strip()),
        sentence=text.strip()[:2000], confidence=confidence, basis=basis, date_text=date_text[:200],
    )


def _write_events(
    article: Article, analysis: Analysis, people: dict[int, int], *, inserted: bool, index: KnowledgeIndex,
) -> None:
    """Link the article to the timeline events it reports or names, and to the machine events it
    reports, creating those as needed; each link with its evidence.

    A fixed number of queries, however many events: candidates are read at once and matched in
    memory, and new events, keys, participants, links and evidence are written in bulk. An event
    an editor rejected is matched like any other, and then left alone: it never comes back.
    """
    previous = [] if inserted else list(EventEvidence.objects.filter(article=article).values_list("event_id", flat=True))
    if previous:
        Event.articles.through.objects.filter(article_id=article.pk, event_id__in=previous).delete()
        EventEvidence.objects.filter(article=article).delete()
    evidence = [
        _evidence(article, event_id, link.sentence, round(min(link.confidence, 1.0), 2), link.basis,
                  next((e.date_text for e in analysis.events if e.curated == event_id), ""))
        for event_id, link in analysis.curated.items()
    ]
    linked = set(analysis.curated)
    machine = [e for e in analysis.events if e.curated is None]
    _lock_event_months(machine)
    resolved = [(e, *_participant_ids(e, people)) for e in machine]
    keys = [event_key(e, persons, organizations) for e, persons, organizations in resolved]
    stored, by_key = _candidates(machine, keys)
    attached: list[tuple[Event, ExtractedEvent, list[int], list[int]]] = []
    new: list[tuple[ExtractedEvent, list[int], list[int]]] = []
    new_keys: list[str] = []
    created: list[Event] = []
    for (extracted, persons, organizations), key in zip(resolved, keys, strict=True):
        match = by_key.get(key) or next(
            (s.event for s in stored if _same_event(extracted, s, persons, organizations)), None
        )
        if match is None:
            if key not in new_keys:
                new.append((extracted, persons, organizations))
                new_keys.append(key)
            continue
        if match.rejected:
            continue
        attached.append((match, extracted, persons, organizations))
        if not match.reviewed:
            match.confidence = min(0.99, round(max(match.confidence, extracted.confidence) + 0.05, 2))
    if new:
        titles = _titles(new, people, index)
        slugs = _unique_slugs([slugify(f"{e.date.key()} {title}") for (e, _p, _o), title in zip(new, titles, strict=True)])
        created = Event.objects.bulk_create(
            Event(
                title=title, slug=slug, kind=e.kind, start_date=e.date.day, start_precision=e.date.precision,
                place_id=e.place[1] if e.place else None, confidence=e.confidence, reviewed=False, machine_made=True,
                summary=article.body[e.sentence[0]:e.sentence[1]].strip()[:1000],
            )
            for (e, _p, _o), title, slug in zip(new, titles, slugs, strict=True)
        )
        EventKey.objects.bulk_create(
            [EventKey(key=key, event=event) for key, event in zip(new_keys, created, strict=True)]
        )
        attached += [(event, e, persons, organizations) for event, (e, persons, organizations) in zip(created, new, strict=True)]
    created_ids = {event.pk for event in created}
    Event.objects.bulk_update(
        [event for event, *_ in attached if not event.reviewed and event.pk not in created_ids], ["confidence"]
    )
    EventParticipant.objects.bulk_create(
        [
            EventParticipant(event=event, **{field: pk})
            for event, _e, persons, organizations in attached if not event.reviewed
            for field, ids in (("person_id", persons), ("organization_id", organizations)) for pk in ids
        ],
        ignore_conflicts=True,
    )
    for event, extracted, _p, _o in attached:
        if event.pk not in linked:
            linked.add(event.pk)
            evidence.append(_evidence(
                article, event.pk, extracted.sentence, extracted.confidence, EventEvidence.Basis.REPORTED, extracted.date_text
            ))
    Event.articles.through.objects.bulk_create(
        [Event.articles.through(event_id=event_id, article_id=article.pk) for event_id in linked], ignore_conflicts=True,
    )
    EventEvidence.objects.bulk_create(evidence, ignore_conflicts=True)
    if previous:
        Event.objects.filter(
            pk__in=previous, reviewed=False, rejected=False, articles__isnull=True, evidence__isnull=True
        ).delete()
