"""What editors read and type in the admin: plural names that read right, Newsroom's own header and
icon, names edited one per line (Dari, Pashto and Urdu names in boxes of their own), tags headed by
the entity they link."""


import inflect
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import ArticlePerson, Organization, Person

pytestmark = pytest.mark.django_db

# Mass nouns: Django's default plural ('evidences') would be the mistake.
UNCOUNTABLE = {"person evidence", "event evidence"}


@pytest.mark.parametrize("model", list(apps.get_app_config("articles").get_models()), ids=lambda m: m.__name__)
def test_every_models_plural_reads_right(model):
    singular, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    expected = singular if singular in UNCOUNTABLE else inflect.engine().plural_noun(singular)
    assert plural == expected, f"{model.__name__}: {plural!r}, not {expected!r}"


def test_tag_links_read_as_entity_and_kind(seed_article):
    link = ArticlePerson.objects.select_related("person").filter(article=seed_article).first()
    assert str(link) == f"{link.person.name} (person)"


def test_admin_pages_carry_newsrooms_header_title_and_icon(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Newsroom editors" in html and "Django administration" not in html
    assert "<title>Site administration | Newsroom admin</title>" in html or "| Newsroom admin</title>" in html
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert finders.find("favicon.svg") and finders.find("css/admin.css")


def _person_form(person: Person, rf, admin_user, **changes):
    """The admin's own form for a person, bound to its current values with these changes."""
    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site._registry[Person].get_form(request, person)
    data = {
        "name": person.name, "slug": person.slug, "title": person.title or "", "nationality": person.nationality or "",
        "description": person.description, "wikidata_id": person.wikidata_id, "reviewed": "on",
        "aliases": "\n".join(person.aliases), "honorifics": "\n".join(person.honorifics),
        **{f"names_{code}": "\n".join(person.names.get(code, [])) for code in ("fa", "ps", "ur")},
    }
    return form_class(data | changes, instance=person)


def test_names_are_edited_one_per_line_with_a_box_per_language(editor_client, rf, admin_user):
    person = Person.objects.get(slug="zalmay-khalilzad")
    page = editor_client.get(reverse("admin:articles_person_change", args=[person.pk])).content.decode()
    assert 'name="names_fa"' in page and 'dir="rtl"' in page and 'name="names"' not in page
    assert person.names["fa"][0] in page and 'name="aliases"' in page
    form = _person_form(
        person, rf, admin_user, aliases="Zal Khalilzad\n\n  Zalmay Khalilzad's office  \n",
        names_ps="زلمی خلیلزاد\nزلمي خليلزاد ښاغلی",
    )
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    assert person.aliases == ["Zal Khalilzad", "Zalmay Khalilzad's office"]
    assert person.names["ps"] == ["زلمی خلیلزاد", "زلمي خليلزاد ښاغلی"]
    assert person.names["fa"]  # the other languages' names are kept


def test_a_name_listed_twice_in_any_spelling_is_refused(rf, admin_user):
    person = Person.objects.get(slug="zalmay-khalilzad")
    form = _person_form(person, rf, admin_user, names_fa="خلیل‌زاد\nخليلزاد")  # a joiner, Arabic yeh: one name
    assert not form.is_valid()
    assert "is listed twice" in str(form.errors["names_fa"])
    form = _person_form(person, rf, admin_user, aliases="Zalmay Khalilzad\nzalmay khalilzad")
    assert "is listed twice" in str(form.errors["aliases"])


def test_acronyms_are_lines_too(editor_client):
    organization = Organization.objects.get(slug="inter-services-intelligence")
    page = editor_client.get(reverse("admin:articles_organization_change", args=[organization.pk])).content.decode()
    assert 'name="acronyms"' in page and "<textarea" in page
    assert "ISI\n" in page or "ISI</textarea>" in page
