"""Editors' decisions on tags: they outrank the tagger and survive every re-tagging."""

from __future__ import annotations

from django.db import transaction

from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    DecidedBy,
    Organization,
    Person,
    Place,
    TagLink,
    Topic,
)

LINKS_BY_ENTITY: dict[type, tuple[type[TagLink], str]] = {
    Person: (ArticlePerson, "person"),
    Organization: (ArticleOrganization, "organization"),
    Place: (ArticlePlace, "place"),
    Topic: (ArticleTopic, "topic"),
}


@transaction.atomic
def tag_decide(*, article: Article, entity: Person | Organization | Place | Topic, rejected: bool) -> TagLink:
    """Add (rejected=False) or reject (rejected=True) a tag as an editor's decision."""
    model, field = LINKS_BY_ENTITY[type(entity)]
    link, _created = model.objects.update_or_create(
        article=article,
        **{field: entity},
        defaults={"decided_by": DecidedBy.EDITOR, "rejected": rejected},
    )
    return link
