"""The entity-kind registry: every kind's table, key, parameter and page agree with the models
and the URLs, so the modules that read it (filters, facets, pages, API, loader) cannot drift."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import ENTITY_KINDS, TAG_LINK_MODELS, Article, TagLink, entity_kind
from articles.queries.filters import ArticleFilter


def test_every_tag_table_is_one_kind_and_every_kind_has_one():
    tag_tables = {model for model in TagLink.__subclasses__()}
    assert {kind.link_model for kind in ENTITY_KINDS.values()} == tag_tables
    assert list(ENTITY_KINDS) == ["person", "organization", "place", "topic"]
    assert {name: kind.link_model for name, kind in ENTITY_KINDS.items()} == TAG_LINK_MODELS


@pytest.mark.parametrize("name", list(ENTITY_KINDS))
def test_a_kinds_tag_table_points_at_its_model_and_its_articles(name):
    kind = entity_kind(name)
    assert kind.name == name == kind.model._meta.model_name
    key = kind.link_model._meta.get_field(kind.link_field)
    assert key.related_model is kind.model
    # The tag rows of an article, as the reads prefetch them (`person_links`...).
    assert Article._meta.get_field(f"{name}_links").related_model is kind.link_model


@pytest.mark.parametrize("name", list(ENTITY_KINDS))
def test_a_kinds_page_and_list_parameter(name):
    kind = entity_kind(name)
    assert reverse(kind.url_name, args=["some-slug"]) == f"/{kind.plural}/some-slug/"
    assert kind.model(slug="some-slug").get_absolute_url() == f"/{kind.plural}/some-slug/"
    # The list filters by the parameter, labelled as the registry says, on the kind's tag table.
    list_filter = ArticleFilter.base_filters[kind.parameter]
    assert list_filter.label == kind.label
    assert list_filter.link_model is kind.link_model


def test_an_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        entity_kind("source")
