"""Discovery: unknown people introduced with a role become unreviewed people with evidence."""

import datetime as dt

import pytest

from articles.models import ArticlePerson, Person, PersonEvidence
from articles.tagging import analyze, article_tag

pytestmark = pytest.mark.django_db


def discovered(text: str) -> dict[str, str]:
    return {d.name: d.role for d in analyze(title="", body=text).discovered}


def test_a_role_before_the_name_introduces_a_person():
    found = discovered("Norway's State Secretary Henrik Thune said the talks were not recognition.")
    assert found == {"Henrik Thune": "Norway's State Secretary"}


def test_a_role_in_apposition_introduces_a_person():
    found = discovered("Javid Faisal, a spokesman for the Office of the National Security Council, said 100 would be freed.")
    assert list(found) == ["Javid Faisal"]
    assert "spokesman for the Office of the National Security Council" in found["Javid Faisal"]


def test_a_role_with_its_office_before_the_name_in_commas():
    found = discovered("The US ambassador to the United Nations, Linda Thomas-Greenfield, said aid must flow.")
    assert list(found) == ["Linda Thomas-Greenfield"]


def test_day_names_openers_boilerplate_and_known_people_are_not_discovered():
    text = (
        "Meanwhile, General Monday Matters said nothing. On Friday Senator Follow Taliban spoke. "
        "Follow the PNI Facebook page. Lt General Faiz Hameed attended. President Ashraf Ghani spoke. "
        "The spokesman, Zabihullah Mujahid, said the group's leader Hibatullah Akhundzada agreed."
    )
    assert discovered(text) == {}


def test_an_honorific_alone_or_one_word_is_not_a_person():
    assert discovered("General said so. The minister, Karimi, agreed. Mullah spoke.") == {}


def test_tagging_creates_an_unreviewed_person_with_evidence_and_tags_it(make_article):
    article = make_article(
        "Senator Christopher Murphy said on Tuesday that the aid must continue. Murphy added that "
        "Afghan women must not be abandoned.",
        published=dt.date(2021, 9, 15),
    )
    article_tag(article=article)
    person = Person.objects.get(name="Christopher Murphy")
    assert not person.reviewed
    assert person.title == "Senator"
    evidence = PersonEvidence.objects.get(person=person, article=article)
    assert evidence.role == "Senator" and "Christopher Murphy" in evidence.snippet
    link = ArticlePerson.objects.get(article=article, person=person)
    assert link.mentions == 2  # the full name and 'Murphy'

    # Tagged again, the same person is found (now through the knowledge index) and not duplicated.
    article_tag(article=article)
    assert Person.objects.filter(name="Christopher Murphy").count() == 1
    assert ArticlePerson.objects.filter(article=article, person=person).exists()


def test_a_discovered_person_nothing_refers_to_any_more_is_deleted(make_article):
    article = make_article("Senator Christopher Murphy spoke on Tuesday about Afghanistan.", published=dt.date(2021, 9, 15))
    article_tag(article=article)
    person = Person.objects.get(name="Christopher Murphy")
    article.title = article.body = "The senator spoke on Tuesday about Afghanistan."
    article.save()
    article_tag(article=article)
    assert not Person.objects.filter(pk=person.pk).exists()
