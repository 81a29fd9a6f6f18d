"""Builds the matcher from the knowledge base in the database, and caches it per process.

The cache is keyed on a cheap signature of the entity tables (row count and newest update), so a
worker notices an edit made in admin or by `load_knowledge_base` at its next article.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from articles.models import Organization, Person, PersonRole, Place, Topic

from .matcher import IMPLICIT_SURNAME_STOPLIST, EntityInfo, EntityKey, Matcher


@dataclass(frozen=True)
class TopicRule:
    topic_id: int
    threshold: float
    entity_weights: dict[EntityKey, float]


@dataclass(frozen=True)
class KnowledgeIndex:
    matcher: Matcher
    topics: list[TopicRule]
    country_places: dict[str, EntityKey]  # ISO code -> place key of the country
    place_country: dict[int, str]  # place id -> ISO code


def _signature() -> tuple:
    return tuple(
        tuple(model.objects.aggregate(n=Count("id"), latest=Max("updated_at")).values())
        for model in (Person, Organization, Place, Topic)
    )


def build_index() -> KnowledgeIndex:
    entities: list[EntityInfo] = []
    forms: dict[str, dict[str, set[EntityKey]]] = defaultdict(lambda: {"explicit": set(), "implicit": set()})

    places = list(Place.objects.values("id", "slug", "name", "aliases", "kind", "country_code", "parent_id"))
    country_places = {p["country_code"]: ("place", p["id"]) for p in places if p["kind"] == Place.Kind.COUNTRY and p["country_code"]}
    place_names = {("place", p["id"]): [p["name"], *p["aliases"]] for p in places}

    def add_forms(key: EntityKey, names: list[str]) -> None:
        for name in names:
            if name and name.strip():
                forms[name.strip()]["explicit"].add(key)

    for p in places:
        key = ("place", p["id"])
        context = {("place", p["parent_id"])} if p["parent_id"] else set()
        if p["country_code"] in country_places and country_places[p["country_code"]] != key:
            context.add(country_places[p["country_code"]])
        entities.append(EntityInfo(key, p["slug"], p["name"], frozenset(context)))
        add_forms(key, [p["name"], *p["aliases"]])

    for o in Organization.objects.values("id", "slug", "name", "aliases", "acronyms", "country", "parent_id"):
        key = ("organization", o["id"])
        context: set[EntityKey] = {("organization", o["parent_id"])} if o["parent_id"] else set()
        if o["country"] in country_places:
            context.add(country_places[o["country"]])
        folded_name = o["name"].lower()
        context.update(pk for pk, names in place_names.items() if any(n.lower() in folded_name for n in names if len(n) > 3))
        entities.append(EntityInfo(key, o["slug"], o["name"], frozenset(context)))
        add_forms(key, [o["name"], *o["aliases"], *o["acronyms"]])

    role_orgs: dict[int, set[EntityKey]] = defaultdict(set)
    for person_id, org_id in PersonRole.objects.filter(organization__isnull=False).values_list("person_id", "organization_id"):
        role_orgs[person_id].add(("organization", org_id))
    for p in Person.objects.values("id", "slug", "name", "aliases", "affiliation_id", "nationality"):
        key = ("person", p["id"])
        context = set(role_orgs[p["id"]])
        if p["affiliation_id"]:
            context.add(("organization", p["affiliation_id"]))
        if p["nationality"] in country_places:
            context.add(country_places[p["nationality"]])
        entities.append(EntityInfo(key, p["slug"], p["name"], frozenset(context)))
        add_forms(key, [p["name"], *p["aliases"]])
        tokens = p["name"].split()
        surname = tokens[-1] if len(tokens) > 1 else ""
        if len(surname) >= 4 and surname.lower() not in IMPLICIT_SURNAME_STOPLIST and surname[0].isupper():
            forms[surname]["implicit"].add(key)

    slug_keys = {(e.key[0], e.slug): e.key for e in entities}
    topics: list[TopicRule] = []
    phrases: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for t in Topic.objects.values("id", "slug", "name", "rules", "threshold"):
        rules = t["rules"] or {}
        for rule in rules.get("phrases") or []:
            if rule.get("phrase"):
                phrases[str(rule["phrase"])].append((t["id"], float(rule.get("weight", 1))))
        weights = {
            slug_keys[(rule["kind"], rule["slug"])]: float(rule.get("weight", 1))
            for rule in rules.get("entities") or []
            if (rule.get("kind"), rule.get("slug")) in slug_keys
        }
        topics.append(TopicRule(t["id"], t["threshold"], weights))
        entities.append(EntityInfo(("topic", t["id"]), t["slug"], t["name"]))

    return KnowledgeIndex(
        matcher=Matcher(entities, forms, phrases),
        topics=topics,
        country_places=country_places,
        place_country={p["id"]: p["country_code"] for p in places},
    )


_lock = threading.Lock()
_cached: tuple[tuple, KnowledgeIndex] | None = None


def get_index() -> KnowledgeIndex:
    """The knowledge index for this process, rebuilt when the knowledge base changed."""
    global _cached
    signature = _signature()
    with _lock:
        if _cached is None or _cached[0] != signature:
            _cached = (signature, build_index())
        return _cached[1]
