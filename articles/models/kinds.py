"""The kinds of knowledge-base entity an article is tagged with: one table every module reads.

Each kind names its model, its tag table and that table's foreign key, the list parameter that
filters by it, how the pages name it and the URL name of its page, so that a new kind (or a
renamed one) is one row here rather than seven edits that drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core import (
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Entity,
    Organization,
    Person,
    Place,
    TagLink,
    Topic,
)

__all__ = ["ENTITY_KINDS", "TAG_LINK_MODELS", "EntityKind", "entity_kind"]


@dataclass(frozen=True)
class EntityKind:
    """A kind of knowledge-base entity, its tag table and how the pages and the API name it."""

    name: str  # the model name, the tag table's foreign key and the list parameter ("person")
    model: type[Entity]
    link_model: type[TagLink]
    label: str  # "Person"
    plural: str  # "people": the URL prefix of its pages and the API's collection
    plural_label: str  # "People": a facet's heading

    @property
    def link_field(self) -> str:
        """The tag table's foreign key to the entity."""
        return self.link_model.entity_field

    @property
    def parameter(self) -> str:
        """The list's query-string parameter that filters by this kind."""
        return self.name

    @property
    def url_name(self) -> str:
        """The name of the entity page's URL (`articles:<url_name>`)."""
        return f"articles:{self.name}"


ENTITY_KINDS: dict[str, EntityKind] = {
    kind.name: kind
    for kind in (
        EntityKind("person", Person, ArticlePerson, "Person", "people", "People"),
        EntityKind("organization", Organization, ArticleOrganization, "Organization", "organizations", "Organizations"),
        EntityKind("place", Place, ArticlePlace, "Place", "places", "Places"),
        EntityKind("topic", Topic, ArticleTopic, "Topic", "topics", "Topics"),
    )
}


def entity_kind(name: str) -> EntityKind:
    """The kind called `name` ("person"); KeyError for anything else."""
    return ENTITY_KINDS[name]


# The tag table of each kind, keyed by the kind's name: for writers that need nothing else.
TAG_LINK_MODELS: dict[str, type[TagLink]] = {name: kind.link_model for name, kind in ENTITY_KINDS.items()}
