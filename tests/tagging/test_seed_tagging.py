"""The first acceptance test of tagging: the seed article against its gold file."""

import pytest

from articles.tagging import analyze
from articles.tagging.knowledge import get_index

pytestmark = pytest.mark.django_db


def names(article, relation: str, attr: str) -> set[str]:
    return {getattr(link, attr).name for link in getattr(article, relation).filter(rejected=False)}


def test_every_must_person_is_found(seed_article, seed_gold):
    found = names(seed_article, "person_links", "person")
    wanted = {p["name"] for p in seed_gold["people"]["must"]}
    assert wanted <= found, wanted - found


def test_no_must_not_person(seed_article):
    found = names(seed_article, "person_links", "person")
    for bad in ("Monday", "Matters", "Meanwhile", "Follow", "Lt General", "General", "Abdullah"):
        assert bad not in found
    assert sum(1 for n in found if "Abdullah" in n) == 1


def test_must_places_found(seed_article, seed_gold):
    found = names(seed_article, "place_links", "place")
    assert set(seed_gold["places"]["must"]) <= found, set(seed_gold["places"]["must"]) - found


def test_must_organizations_found(seed_article):
    found = names(seed_article, "organization_links", "organization")
    wanted = {
        "Inter-Services Public Relations", "Inter-Services Intelligence", "Pakistan Army", "Taliban",
        "United Nations", "High Council for National Reconciliation", "Resolute Support Mission",
        "US Embassy in Islamabad",
    }
    assert wanted <= found, wanted - found


def test_honorific_alone_and_case_rules():
    index = get_index()
    result = analyze(title="", body="General said the us plan would help us all. Dr spoke.", index=index)
    kinds = {key[0] for key in result.mentions}
    assert "person" not in kinds
    assert ("place", index.country_places["US"][1]) not in result.mentions
