"""The tagger's knowledge index is cached per process: no query per article, and edits still reach it."""

import pytest
from django.db import transaction
from django.utils import timezone

from articles.models import Person
from articles.tagging import article_tag, knowledge
from articles.tagging.knowledge import get_index
from articles.tagging.services import analyze

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


def _surfaces(matcher) -> dict:
    """Every key of the matcher and the surface its `find` uses for it."""
    surfaces = dict(matcher._automaton.items())
    surfaces.update({f" {key} ": surface for key, surface in matcher._overlaid.items()})
    return surfaces


def test_people_created_one_by_one_are_added_as_a_rebuild_would_have_them(monkeypatch):
    from articles.models import Organization

    get_index()
    builds = []
    monkeypatch.setattr(knowledge, "build_index", lambda original=knowledge.build_index: builds.append(1) or original())
    taliban = Organization.objects.get(slug="taliban")
    Person.objects.create(name="Odalys Verrano", slug="odalys-verrano", title="Deputy Foreign Minister", reviewed=False)
    # A given name that is a known surname makes that surname weak; a shared surname gets a second owner.
    Person.objects.create(name="Shaheen Amiri", slug="shaheen-amiri", reviewed=False)
    Person.objects.create(name="Mahmoud Karzai", slug="mahmoud-karzai", aliases=["M. Karzai"], nationality="AF",
                          affiliation=taliban, honorifics=["Mawlawi"])
    grown = get_index()
    assert builds == [], "a created person is added to the index, not rebuilt"

    rebuilt = knowledge.build_index()
    assert grown.matcher.entities == rebuilt.matcher.entities
    assert grown.matcher.titles == rebuilt.matcher.titles
    assert _surfaces(grown.matcher) == _surfaces(rebuilt.matcher)
    assert grown.entity_words == rebuilt.entity_words
    assert grown.person_slugs == rebuilt.person_slugs

    assert grown.matcher._overlaid["shaheen"].weak  # Suhail Shaheen's surname, now also a given name
    text = (
        "Deputy Foreign Minister Odalys Verrano met Suhail Shaheen and Mahmoud Karzai in Doha. Shaheen said "
        "Karzai and Verrano agreed. Shaheen Amiri, M. Karzai and Mawlawi Karzai were not there. Amiri left."
    )
    assert analyze(title="Talks", body=text, index=grown) == analyze(title="Talks", body=text, index=rebuilt)


def test_a_discovered_person_is_linked_in_the_next_article_without_a_rebuild(make_article, monkeypatch):
    get_index()
    builds = []
    monkeypatch.setattr(knowledge, "build_index", lambda original=knowledge.build_index: builds.append(1) or original())
    first = make_article("Norway's State Secretary Henrik Thune met the Taliban delegation in Oslo on Monday.")
    article_tag(article=first)
    thune = Person.objects.get(name="Henrik Thune", reviewed=False)
    second = make_article("Thune said the Oslo meetings were not a recognition of the Taliban.")
    article_tag(article=second)
    assert builds == []
    assert second.people.filter(pk=thune.pk).exists()


def test_people_another_process_created_are_added_without_a_rebuild(monkeypatch):
    """Another worker child discovered someone: this one adds them, as that one did, and builds nothing."""
    first = get_index()
    builds = []
    monkeypatch.setattr(knowledge, "build_index", lambda original=knowledge.build_index: builds.append(1) or original())
    # Written without this process's signals, as another process would.
    Person.objects.bulk_create([Person(name="Odalys Verrano", slug="odalys-verrano", title="Deputy Foreign Minister")])
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 0.0)
    grown = get_index()
    assert "odalys-verrano" in grown.person_slugs and grown is not first
    assert builds == []
    result = analyze(title="", body="Deputy Foreign Minister Odalys Verrano met the envoy in Doha.", index=grown)
    assert ("person", grown.person_slugs["odalys-verrano"][1]) in result.mentions
    # An edit to someone known, by another process, is not a discovery: the index is built again.
    Person.objects.filter(slug="zalmay-khalilzad").update(description="Edited elsewhere.", updated_at=timezone.now())
    get_index()
    assert builds == [1]
