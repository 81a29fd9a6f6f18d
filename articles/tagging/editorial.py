"""Editors' decisions on tags and events: they outrank the tagger and survive every re-tagging."""

from __future__ import annotations

from django.db import transaction

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
    Place,
    TagLink,
    Topic,
)


@transaction.atomic
def tag_decide(*, article: Article, entity: Person | Organization | Place | Topic, rejected: bool) -> TagLink:
    """Add (rejected=False) or reject (rejected=True) a tag as an editor's decision."""
    model = TAG_LINK_MODELS[entity._meta.model_name]
    field = model.entity_field
    link, _created = model.objects.update_or_create(
        article=article,
        **{field: entity},
        defaults={"decided_by": DecidedBy.EDITOR, "rejected": rejected},
    )
    return link


class EventEditError(ValueError):
    """An editor's change to events that cannot be made; the message says why."""


@transaction.atomic
def event_confirm(*, events: list[Event]) -> int:
    """Put machine-made events on the timeline, as an editor vouching for them; returns how many changed."""
    return Event.objects.filter(pk__in=[e.pk for e in events], machine_made=True, reviewed=False).update(
        reviewed=True, rejected=False
    )


@transaction.atomic
def event_reject(*, events: list[Event]) -> int:
    """Reject machine-made events: they leave every page and their articles, and their keys keep
    pointing at them, so re-tagging finds them rejected and never makes them again. Curated events
    are never rejected here: an editor removes those from the knowledge base."""
    ids = list(Event.objects.filter(pk__in=[e.pk for e in events], machine_made=True).values_list("pk", flat=True))
    Event.articles.through.objects.filter(event_id__in=ids).delete()
    EventEvidence.objects.filter(event_id__in=ids).delete()
    return Event.objects.filter(pk__in=ids).update(rejected=True, reviewed=False)


def merge_target(events: list[Event]) -> Event:
    """Which of several events the others merge into: the curated one, else a confirmed one, else
    the one reported by most articles (the earliest made between equals)."""
    curated = [e for e in events if not e.machine_made]
    if len(curated) > 1:
        raise EventEditError("two events of the curated timeline cannot be merged here; edit the knowledge base")
    if curated:
        return curated[0]
    return max(events, key=lambda e: (e.reviewed, getattr(e, "article_count", 0), -e.pk))


@transaction.atomic
def event_merge(*, target: Event, sources: list[Event]) -> Event:
    """Fold machine-made events into `target` (several reports of one happening):
    1. their articles and evidence move to it (an article already linked keeps its first evidence);
    2. their participants join its own, unless it is curated (editors' data stays as they wrote it);
    3. their keys point to it, so re-tagging attaches what they were to the target;
    4. they are deleted.
    """
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise EventEditError("choose at least two events to merge")
    if any(not s.machine_made for s in sources):
        raise EventEditError("a curated event can only be the one others merge into")
    source_ids = [s.pk for s in sources]
    Link = Event.articles.through
    linked = set(Link.objects.filter(event=target).values_list("article_id", flat=True))
    moving = Link.objects.filter(event_id__in=source_ids).exclude(article_id__in=linked)
    Link.objects.bulk_create(
        [Link(event_id=target.pk, article_id=a) for a in set(moving.values_list("article_id", flat=True))],
        ignore_conflicts=True,
    )
    evidenced = set(EventEvidence.objects.filter(event=target).values_list("article_id", flat=True))
    for evidence in EventEvidence.objects.filter(event_id__in=source_ids).order_by("id"):
        if evidence.article_id not in evidenced:
            evidenced.add(evidence.article_id)
            EventEvidence.objects.filter(pk=evidence.pk).update(event=target)
    if target.machine_made:
        EventParticipant.objects.bulk_create(
            [
                EventParticipant(event=target, person_id=p.person_id, organization_id=p.organization_id, role=p.role)
                for p in EventParticipant.objects.filter(event_id__in=source_ids)
            ],
            ignore_conflicts=True,
        )
    EventKey.objects.filter(event_id__in=source_ids).update(event=target)
    Event.objects.filter(pk__in=source_ids).delete()
    return target
