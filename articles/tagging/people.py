"""Editors' work on people: merging a duplicate (often one the tagger discovered) into another."""

from __future__ import annotations

from django.db import transaction

from articles.models import ArticlePerson, DecidedBy, EventParticipant, Person, PersonEvidence, PersonRole, Quote


class MergeError(ValueError):
    """A merge that cannot be done; the message says why."""


def _merge_link(kept: ArticlePerson, moved: ArticlePerson) -> None:
    """One article's two links to the same person become one; an editor's decision wins."""
    kept.mentions += moved.mentions
    offsets = [o for o in (kept.first_offset, moved.first_offset) if o is not None]
    kept.first_offset = min(offsets) if offsets else None
    if kept.decided_by != DecidedBy.EDITOR and moved.decided_by == DecidedBy.EDITOR:
        kept.decided_by, kept.rejected = DecidedBy.EDITOR, moved.rejected
    kept.save(update_fields=["mentions", "first_offset", "decided_by", "rejected"])
    moved.delete()


def _move(rows, target: Person, known: set, key) -> None:
    """Point each row at `target`, or drop it when the target already has its twin."""
    for row in rows:
        if key(row) in known:
            row.delete()
        else:
            row.person = target
            row.save(update_fields=["person"])


@transaction.atomic
def person_merge(*, source: Person, target: Person) -> Person:
    """Fold `source` into `target` and delete it.

    1. Tag links move to the target; where both were linked to one article, the links become one.
    2. Event roles, quotes, dated roles and discovery evidence move; duplicates are dropped.
    3. The source's name and aliases become aliases of the target, so the tagger finds the target
       under them; blank fields of the target are filled from the source.
    Nothing is left pointing at the source: it is deleted last, and would cascade nothing.
    """
    if source.pk == target.pk:
        raise MergeError("a person cannot be merged into themselves")
    source = Person.objects.select_for_update().get(pk=source.pk)
    target = Person.objects.select_for_update().get(pk=target.pk)

    target_links = {link.article_id: link for link in ArticlePerson.objects.filter(person=target)}
    for link in ArticlePerson.objects.filter(person=source):
        if link.article_id in target_links:
            _merge_link(target_links[link.article_id], link)
        else:
            link.person = target
            link.save(update_fields=["person"])

    target_events = set(EventParticipant.objects.filter(person=target).values_list("event_id", flat=True))
    for role in EventParticipant.objects.filter(person=source, event_id__in=target_events):
        EventParticipant.objects.filter(person=target, event_id=role.event_id, role="").update(role=role.role)
    _move(EventParticipant.objects.filter(person=source), target, target_events, lambda r: r.event_id)
    Quote.objects.filter(speaker_person=source).update(speaker_person=target)
    _move(
        PersonEvidence.objects.filter(person=source), target,
        set(PersonEvidence.objects.filter(person=target).values_list("article_id", "offset")),
        lambda e: (e.article_id, e.offset),
    )
    _move(
        PersonRole.objects.filter(person=source), target,
        set(PersonRole.objects.filter(person=target).values_list("title", "start_date")),
        lambda r: (r.title, r.start_date),
    )

    names = [target.name, *target.aliases]
    folded = {n.casefold() for n in names}
    for name in [source.name, *source.aliases]:
        if name.casefold() not in folded:
            target.aliases.append(name)
            folded.add(name.casefold())
    for field in ("title", "description", "nationality"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    target.affiliation = target.affiliation or source.affiliation
    target.honorifics = list(dict.fromkeys([*target.honorifics, *source.honorifics]))
    wikidata = source.wikidata_id
    source.delete()
    if not target.wikidata_id and wikidata:
        target.wikidata_id = wikidata
    target.save()
    return target
