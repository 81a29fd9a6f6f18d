"""Editors' decisions on tags: they outrank the tagger and survive every re-tagging."""

from __future__ import annotations

from django.db import transaction

from articles.models import TAG_LINK_MODELS, Article, DecidedBy, Organization, Person, Place, TagLink, Topic


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
