"""The knowledge base: what it covers, that loading it twice changes nothing, and bad data refused."""

import shutil
from pathlib import Path

import pytest
import yaml

from articles.knowledge_base import DATA_DIR, KnowledgeBaseError, load_knowledge_base, read_knowledge_base
from articles.models import Organization, Person, PersonRole, Place, Topic

pytestmark = pytest.mark.django_db

# ISO codes of the sides of the process the issue names; the UN, NATO and the EU through affiliations.
SIDES = {"US", "AF", "PK", "QA", "RU", "CN", "IR", "IN", "TR", "UZ"}
VENUES = {"Doha", "Moscow", "Istanbul", "Tashkent", "Islamabad", "Rawalpindi"}


def test_the_knowledge_base_is_as_large_as_the_issue_asks():
    assert Person.objects.filter(reviewed=True).count() >= 250
    assert Organization.objects.filter(reviewed=True).count() >= 80
    assert Place.objects.filter(reviewed=True).count() >= 150
    assert Topic.objects.filter(reviewed=True).count() >= 25


def test_people_come_from_every_side_of_the_process():
    nationalities = set(Person.objects.values_list("nationality", flat=True))
    assert nationalities >= SIDES
    groups = set()
    for slug, parent in Person.objects.filter(affiliation__isnull=False).values_list("affiliation__slug", "affiliation__parent__slug"):
        groups.update({slug, parent})
    assert {"united-nations", "nato", "european-union"} <= groups

def test_people_have_dated_roles_and_honorific_free_aliases():
    with_roles = Person.objects.filter(reviewed=True, roles__start_date__isnull=False).distinct().count()
    assert with_roles >= 0.8 * Person.objects.filter(reviewed=True).count()
    blinken = PersonRole.objects.get(person__slug="antony-blinken", title__icontains="Secretary of State")
    assert str(blinken.start_date) == "2021-01-26"
    assert Person.objects.filter(reviewed=True).exclude(aliases=[]).count() >= 250


def test_every_afghan_province_has_its_capital_and_places_have_coordinates():
    provinces = Place.objects.filter(kind="province", country_code="AF")
    assert provinces.count() == 34
    for province in provinces:
        assert province.children.filter(kind="city").exists(), province.name
    assert not Place.objects.filter(latitude__isnull=True).exists()
    for place in Place.objects.filter(country_code="AF").exclude(kind="country"):
        assert 29 <= place.latitude <= 39 and 60 <= place.longitude <= 75.5, place.name
    assert set(Place.objects.values_list("name", flat=True)) >= VENUES


def test_organizations_have_acronyms_and_topics_have_rules():
    assert Organization.objects.exclude(acronyms=[]).count() >= 80
    for topic in Topic.objects.all():
        assert topic.description and topic.threshold > 0, topic.name
        assert topic.rules.get("phrases"), topic.name
    assert Topic.objects.filter(parent__isnull=False).exists()


def test_loading_again_changes_nothing():
    before = {p.pk: p.updated_at for p in Person.objects.all()}
    report = load_knowledge_base()
    assert not report.changed, report.summary()
    assert {p.pk: p.updated_at for p in Person.objects.all()} == before


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit_people(folder: Path, edit) -> None:
    path = folder / "people" / "us.yaml"
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(people)
    path.write_text(yaml.safe_dump(people, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_bad_data_is_refused_with_every_problem_and_nothing_written(data_copy):
    def break_it(people):
        people[0]["affiliation"] = "no-such-organization"
        people[1]["aliases"] = [*people[1].get("aliases", []), "General"]
        people[2]["roles"] = [{"title": "Envoy", "start": "2021-13-40"}]

    _edit_people(data_copy, break_it)
    count = Person.objects.count()
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(data_copy)
    problems = "\n".join(error.value.problems)
    assert "unknown organization 'no-such-organization'" in problems
    assert "'General' is a title" in problems
    assert "not a date" in problems
    assert Person.objects.count() == count


def test_the_data_files_read_cleanly():
    kb = read_knowledge_base()
    assert len(kb.people) >= 250 and len(kb.events) > 0
