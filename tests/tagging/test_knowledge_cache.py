"""The tagger's knowledge index is cached per process: no query per article, and edits still reach it."""

import pytest
from django.db import transaction

from articles.models import Person
from articles.tagging import knowledge
from articles.tagging.knowledge import get_index

pytestmark = pytest.mark.django_db


def test_the_cached_index_costs_no_query(django_assert_num_queries):
    get_index()
    with django_assert_num_queries(0):
        get_index()


def test_an_edit_in_this_process_is_seen_at_the_next_call():
    get_index()
    Person.objects.create(name="Odalys Verrano", slug="odalys-verrano")
    assert "odalys-verrano" in get_index().person_slugs
    Person.objects.filter(slug="odalys-verrano").delete()
    assert "odalys-verrano" not in get_index().person_slugs


def test_a_rolled_back_edit_leaves_the_index_at_the_next_call():
    get_index()
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.create(name="Odalys Verrano", slug="odalys-verrano")
        assert "odalys-verrano" in get_index().person_slugs
        raise RuntimeError("roll back")
    assert "odalys-verrano" not in get_index().person_slugs


def test_an_edit_by_another_process_is_seen_once_the_recheck_interval_has_passed(monkeypatch):
    first = get_index()
    # A row written without this process's signals, as another process (admin, the loader) would.
    Person.objects.bulk_create([Person(name="Odalys Verrano", slug="odalys-verrano")])
    assert get_index() is first
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 0.0)
    assert "odalys-verrano" in get_index().person_slugs
