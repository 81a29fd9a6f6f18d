"""Writes the analyses of a batch of articles: tag links, discovered people, quotes, events, the articles' fields.

Every step first takes back what the tagger wrote for these articles before (the evidence rows say
what that was), then writes the new result; editors' links and reviewed events are never changed.
Each table is read once and written once for the whole batch (`analyses_write`), so a batch of any
size costs the same few dozen queries. Called by `batches.articles_tag`, which takes the locks.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify

from articles.bulk import rows_insert, rows_update
from articles.models import (
    TAG_LINK_MODELS,
    Article,
    DatePrecision,
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
# What tagging changes on an article's own row.
ARTICLE_FIELDS = [
    "relevance", "is_relevant", "status", "tagger_version", "tagged_at", "updated_at",
    "published_at", "published_precision", "published_basis",
]
LINK_MODELS = {kind: (model, f"{model.entity_field}_id") for kind, model in TAG_LINK_MODELS.items()}


@dataclass
class Entry:
    """One article's analysis to write, with what the batch learnt for it (its discovered people's ids)."""

    article: Article
    analysis: Analysis
    people: dict[int, int] = field(default_factory=dict)  # index of a discovered person -> Person id
    given_basis: str = ""  # where the date the article came with came from, before it is tagged

    def __post_init__(self) -> None:
        self.given_basis = self.given_basis or self.article.published_basis


def analyses_write(*, entries: list[Entry], index: KnowledgeIndex) -> None:
    """Write the analyses of a batch of articles in a fixed number of queries, however many articles.

    Inside the caller's transaction, with the articles' rows locked and the event months locked
    (`event_months_lock`) by the caller, in that order. Each table is read once for the batch and
    written once: what the tagger wrote before for these articles is deleted or updated, editors'
    links are left as they are, and the new rows are inserted in bulk. The articles' own fields
    (relevance, status, a date the tagger read) are updated before the tag rows are inserted, so
    that the rows' triggers copy the new date once instead of the article's trigger updating them.
    """
    if not entries:
        return
    article_ids = [entry.article.pk for entry in entries]
    previously_discovered = set(
        PersonEvidence.objects.filter(article_id__in=article_ids).values_list("person_id", flat=True)
    )
    if previously_discovered:
        PersonEvidence.objects.filter(article_id__in=article_ids).delete()
    _discovered_people(entries)
    mentions = {}
    for entry in entries:
        found = dict(entry.analysis.mentions)
        for number, person in enumerate(entry.analysis.discovered):
            found[("person", entry.people[number])] = (len(person.mentions), person.start)
        mentions[entry.article.pk] = found
    Quote.objects.filter(article_id__in=article_ids).delete()
    created_links = _write_links(entries, mentions)
    _articles_update(entries)
    for rows in created_links:
        rows_insert(rows)
    rows_insert([
        Quote(article=e.article, text=q.text, offset=q.start, attribution=q.attribution, **_speaker(q.speaker, e.people))
        for e in entries for q in e.analysis.quotes
    ])
    _write_events(entries, index=index)
    if previously_discovered:
        person_forget_discovered(person_ids=previously_discovered)


def _articles_update(entries: list[Entry]) -> None:
    """The articles' fields from their analyses, in one UPDATE (the objects are changed too)."""
    from .services import GIVEN_BASES, TAGGER_VERSION  # services imports this module

    now = timezone.now()
    for entry in entries:
        article, analysis = entry.article, entry.analysis
        if analysis.published_source not in GIVEN_BASES or entry.given_basis not in GIVEN_BASES:
            # A date the tagger reads itself, or none: a given date that was after the fetch is dropped.
            published = analysis.published
            article.published_at = (
                dt.datetime.combine(published.day, dt.time(12), tzinfo=dt.UTC) if published is not None else None
            )
            article.published_precision = published.precision if published is not None else DatePrecision.DAY
            article.published_basis = analysis.published_source
        article.relevance = analysis.relevance
        article.is_relevant = analysis.is_relevant
        article.status = Article.Status.TAGGED
        article.tagger_version = TAGGER_VERSION
        article.tagged_at = now
        article.updated_at = now
    rows_update([e.article for e in entries], ARTICLE_FIELDS)


def _discovered_people(entries: list[Entry]) -> None:
    """Each discovered person's Person id (`Entry.people`), creating unreviewed people as needed, and
    their evidence: one read for the batch, one insert of the new people and one of the evidence.

    A name is the person whose slug or name (any case) it has, the first made if several are.
    """
    wanted = [(entry, number, found, slugify(found.name)[:300] or "person")
              for entry in entries for number, found in enumerate(entry.analysis.discovered)]
    if not wanted:
        return
    names = {found.name.upper() for _e, _n, found, _s in wanted}
    slugs = {slug for *_rest, slug in wanted}

    def known() -> tuple[dict[str, int], dict[str, int]]:
        by_slug: dict[str, int] = {}
        by_name: dict[str, int] = {}
        rows = Person.objects.annotate(upper_name=Upper("name")).filter(Q(slug__in=slugs) | Q(upper_name__in=names))
        for pk, slug, upper_name in rows.order_by("-pk").values_list("pk", "slug", "upper_name"):
            by_slug[slug], by_name[upper_name] = pk, pk  # the first made wins: read last
        return by_slug, by_name

    def lookup(found: Discovered, slug: str) -> int | None:
        candidates = [pk for pk in (by_slug.get(slug), by_name.get(found.name.upper())) if pk is not None]
        return min(candidates) if candidates else None

    by_slug, by_name = known()
    for _entry, _number, found, slug in wanted:
        if lookup(found, slug) is None:
            # One at a time, and rare once an archive has grown: saved, so the knowledge index learns the name.
            person, _ = Person.objects.get_or_create(
                slug=slug, defaults={"name": found.name[:300], "title": found.role[:300], "reviewed": False}
            )
            by_slug[slug] = person.pk
    evidence = []
    for entry, number, found, slug in wanted:
        entry.people[number] = person_id = lookup(found, slug)
        evidence.append(PersonEvidence(
            person_id=person_id, article=entry.article, role=found.role[:300], snippet=found.snippet[:500], offset=found.start
        ))
    rows_insert(evidence, ignore_conflicts=True)


def person_forget_discovered(*, person_ids: set[int] | list[int]) -> int:
    """Delete people the tagger discovered that nothing refers to any more; returns how many."""
    orphans = Person.objects.filter(
        pk__in=person_ids, reviewed=False, article_links__isnull=True, evidence__isnull=True,
        event_roles__isnull=True, quotes__isnull=True,
    )
    deleted, _ = Person.objects.filter(pk__in=list(orphans.values_list("pk", flat=True))).delete()
    return deleted


def _write_links(entries: list[Entry], mentions: dict[int, dict]) -> list[list]:
    """Stale tagger links deleted and changed ones updated now; the new ones returned, to be inserted
    after the articles' update. One read, at most one delete and one update a kind of link."""
    article_ids = [entry.article.pk for entry in entries]
    created = []
    for kind, (model, entity_field) in LINK_MODELS.items():
        existing: dict[int, dict] = defaultdict(dict)
        for link in model.objects.filter(article_id__in=article_ids):
            existing[link.article_id][getattr(link, entity_field)] = link
        stale, to_create, to_update = [], [], []
        for entry in entries:
            article = entry.article
            wanted = {key[1]: value for key, value in mentions[article.pk].items() if key[0] == kind}
            links = existing[article.pk]
            stale += [
                link.pk for entity_id, link in links.items()
                if link.decided_by == DecidedBy.TAGGER and entity_id not in wanted
            ]
            for entity_id, (count, offset) in wanted.items():
                link = links.get(entity_id)
                values = {"mentions": count, "first_offset": offset}
                if kind == "topic":
                    values["score"] = entry.analysis.topic_scores[entity_id]
                if link is None:
                    to_create.append(model(article=article, **{entity_field: entity_id}, **values))
                elif link.decided_by == DecidedBy.TAGGER and any(getattr(link, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(link, k, v)
                    to_update.append(link)
        if stale:
            model.objects.filter(pk__in=stale).delete()
        if to_update:
            rows_update(to_update, ["mentions", "first_offset", *(["score"] if kind == "topic" else [])])
        created.append(to_create)
    return created


def _speaker(key: tuple[str, int], people: dict[int, int]) -> dict:
    if key[0] == "new":
        return {"speaker_person_id": people[key[1]]}
    return {"speaker_person_id": key[1]} if key[0] == "person" else {"speaker_organization_id": key[1]}


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
    """Every stored machine or confirmed event an extracted one of the batch could be, rejected ones
    included so that they are never made again; and the events the keys already name. Three
    queries for the batch: an archive has many events of a kind in a month."""
    if not events:
        return [], {}
    window = Q()
    for kind, day in {(e.kind, e.date.day) for e in events}:
        window |= Q(kind=kind, start_date__range=(day - dt.timedelta(days=1), day + dt.timedelta(days=1)))
    stored = list(Event.objects.filter(window, machine_made=True))
    by_key = {k.key: k.event for k in EventKey.objects.filter(key__in=set(keys)).select_related("event")}
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


def _preferred(stored: _Stored) -> tuple:
    """The order matches are preferred in: confirmed, not rejected, most confident, first made (new ones last)."""
    event = stored.event
    return (not event.reviewed, event.rejected, -event.confidence, event.pk is None, event.pk or 0)


def _lock_key(text: str) -> int:
    """A signed 32-bit key for pg_advisory_xact_lock(namespace, key), the same in every process."""
    return zlib.crc32(text.encode()) - 2**31


EVENT_LOCK_NAMESPACE = _lock_key("newsroom:events")


def event_months_lock(analyses: list[Analysis]) -> None:
    """Take turns with other workers writing events of the same kind and month (PostgreSQL advisory
    locks to the end of the transaction): the second finds the event the first created instead of
    creating it again. The unique event key would refuse the second anyway; the lock spares it the
    failed transaction. Every month of a batch's machine events in one statement, in key order (one
    global order, so two workers' batches never deadlock); taken in the caller's transaction, outside
    any savepoint. SQLite has one writer at a time anyway."""
    events = [e for analysis in analyses for e in analysis.events if e.curated is None]
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


def _titles(new: list[tuple[ExtractedEvent, list[int], list[int], dict[int, int]]], index: KnowledgeIndex) -> list[str]:
    """Headlines of new events ('Khalilzad meets Baradar in Doha'), names read in at most two queries;
    each event with its article's discovered people (index -> Person id)."""
    person_names = _short_names(Person, "person", {p for _e, persons, _o, _n in new for p in persons}, index.short_names)
    org_names = _short_names(Organization, "organization", {o for _e, _p, orgs, _n in new for o in orgs}, index.short_names)

    def name(key: tuple[str, int], people: dict[int, int]) -> str | None:
        if key[0] == "new":
            return person_names.get(people[key[1]])
        return person_names.get(key[1]) if key[0] == "person" else org_names.get(key[1])

    titles = []
    for extracted, _persons, _organizations, people in new:
        subjects = [n for key in extracted.subjects if (n := name(key, people))]
        others = [n for key in extracted.participants if key not in extracted.subjects and (n := name(key, people))]
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


def _write_events(entries: list[Entry], *, index: KnowledgeIndex) -> None:
    """Link each article to the timeline events it reports or names, and to the machine events it
    reports, creating those as needed; each link with its evidence.

    A fixed number of queries for the batch, however many articles and events: candidates are read
    at once and matched in memory, article after article, as if each were written alone (an event
    one article creates is a candidate for the next, its confidence raised and its participants
    joined in memory), then new events, keys, participants, links and evidence are written in bulk.
    An event an editor rejected is matched like any other, and then left alone: it never comes back.
    """
    article_ids = [entry.article.pk for entry in entries]
    previous: dict[int, set[int]] = defaultdict(set)
    for article_id, event_id in EventEvidence.objects.filter(article_id__in=article_ids).values_list("article_id", "event_id"):
        previous[article_id].add(event_id)
    if previous:
        stale_links = Q()
        for article_id, event_ids in previous.items():
            stale_links |= Q(article_id=article_id, event_id__in=event_ids)
        Event.articles.through.objects.filter(stale_links).delete()
        EventEvidence.objects.filter(article_id__in=list(previous)).delete()
    resolved = {
        entry.article.pk: [(e, *_participant_ids(e, entry.people)) for e in entry.analysis.events if e.curated is None]
        for entry in entries
    }
    keys = {article_id: [event_key(e, p, o) for e, p, o in events] for article_id, events in resolved.items()}
    stored, by_key = _candidates(
        [e for events in resolved.values() for e, _p, _o in events], [k for ks in keys.values() for k in ks]
    )
    state = {id(s.event): s for s in stored}
    created: list[tuple[Event, str, ExtractedEvent, list[int], list[int], Entry]] = []
    attached: list[tuple[Entry, Event, ExtractedEvent, list[int], list[int]]] = []
    made_by: dict[int, Entry] = {}  # a new event -> the article that made it (not a candidate for its own others)
    for entry in entries:
        stored.sort(key=_preferred)
        made_here: set[str] = set()
        for (extracted, persons, organizations), key in zip(resolved[entry.article.pk], keys[entry.article.pk], strict=True):
            if key in made_here:
                continue
            match = by_key.get(key) or next(
                (s.event for s in stored
                 if made_by.get(id(s.event)) is not entry and _same_event(extracted, s, persons, organizations)),
                None,
            )
            if match is None:
                match = Event(
                    kind=extracted.kind, start_date=extracted.date.day, start_precision=extracted.date.precision,
                    place_id=extracted.place[1] if extracted.place else None, confidence=extracted.confidence,
                    reviewed=False, rejected=False, machine_made=True,
                    summary=entry.article.body[extracted.sentence[0]:extracted.sentence[1]].strip()[:1000],
                )
                by_key[key] = match
                made_here.add(key)
                made_by[id(match)] = entry
                state[id(match)] = _Stored(match, set(), set())
                stored.append(state[id(match)])
                created.append((match, key, extracted, persons, organizations, entry))
            elif match.rejected:
                continue
            elif not match.reviewed:
                match.confidence = min(0.99, round(max(match.confidence, extracted.confidence) + 0.05, 2))
            attached.append((entry, match, extracted, persons, organizations))
            if not match.reviewed and id(match) in state:
                state[id(match)].people.update(persons)
                state[id(match)].organizations.update(organizations)
    if created:
        titles = _titles([(e, p, o, entry.people) for _event, _k, e, p, o, entry in created], index)
        slugs = _unique_slugs([slugify(f"{e.date.key()} {title}") for (_v, _k, e, *_rest), title in zip(created, titles, strict=True)])
        for (event, *_rest), title, slug in zip(created, titles, slugs, strict=True):
            event.title, event.slug = title, slug
        Event.objects.bulk_create([event for event, *_rest in created])
        EventKey.objects.bulk_create([EventKey(key=key, event=event) for event, key, *_rest in created])
    created_ids = {event.pk for event, *_rest in created}
    rows_update(
        list({event.pk: event for _a, event, *_rest in attached if not event.reviewed and event.pk not in created_ids}.values()),
        ["confidence"],
    )
    rows_insert(
        [
            EventParticipant(event=event, **{field: pk})
            for _a, event, _e, persons, organizations in attached if not event.reviewed
            for field, ids in (("person_id", persons), ("organization_id", organizations)) for pk in ids
        ],
        ignore_conflicts=True,
    )
    evidence, links = [], []
    for entry in entries:
        article, analysis = entry.article, entry.analysis
        for event_id, link in analysis.curated.items():
            evidence.append(_evidence(
                article, event_id, link.sentence, round(min(link.confidence, 1.0), 2), link.basis,
                next((e.date_text for e in analysis.events if e.curated == event_id), ""),
            ))
        linked = set(analysis.curated)
        for attached_to, event, extracted, _p, _o in attached:
            if attached_to is entry and event.pk not in linked:
                linked.add(event.pk)
                evidence.append(_evidence(
                    article, event.pk, extracted.sentence, extracted.confidence, EventEvidence.Basis.REPORTED, extracted.date_text
                ))
        links += [Event.articles.through(event_id=event_id, article_id=article.pk) for event_id in linked]
    rows_insert(links, ignore_conflicts=True)
    rows_insert(evidence, ignore_conflicts=True)
    stale = set().union(*previous.values()) if previous else set()
    if stale:
        Event.objects.filter(
            pk__in=stale, reviewed=False, rejected=False, articles__isnull=True, evidence__isnull=True
        ).delete()
