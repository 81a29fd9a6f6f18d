"""Builds the matcher from the knowledge base in the database, and caches it per process.

When the cached index is used without asking the database (so an article costs no query for it):
1. An edit this process makes (a person, organization, place, topic or role saved or deleted) is
   seen by a signal: the next call rebuilds. A person just created (one the tagger discovered,
   most often) is added to the cached index at once instead (index_with_person), as a rebuild
   would have them but some hundred times faster.
2. While such an edit's transaction is not known to have committed, every call compares a cheap
   signature of the entity tables (row count and newest update), so a rolled-back edit is undone
   at the next call, as before.
3. Otherwise the signature is compared at most every RECHECK_SECONDS, so an edit made by another
   process (admin in the web process, `load_knowledge_base`) reaches every worker within that.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from articles.models import Event, EventParticipant, Organization, Person, PersonRole, Place, Topic
from articles.text.calendars import GREGORIAN_MONTHS, LUNAR_MONTHS, SOLAR_MONTHS, WEEKDAYS, compact
from articles.text.lexicon import DATE_ANCHORS, HONORIFICS, NAME_PARTICLES, ROLE_NOUNS
from articles.text.normalize import fold

from .curated import CuratedEvent, event_words
from .events import MARKERS as EVENT_MARKERS
from .matcher import IMPLICIT_SURNAME_STOPLIST, EntityInfo, EntityKey, Matcher, phrase_key
from .rephrasings import OwnedHeads, country_forms, lower_case_forms, native_forms, owned_heads, synonym_forms
from .variants import VariantIndex

# Country words that open a role title and that the news may leave out: "(US) Secretary of State".
_ROLE_PREFIXES = {
    "us", "u.s.", "american", "pakistani", "pakistan's", "afghan", "afghanistan's", "qatari", "russian",
    "chinese", "iranian", "indian", "turkish", "uzbek", "british", "un", "nato", "eu", "taliban",
    "acting", "interim", "the",
}
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Role:
    keys: frozenset[str]  # folded ways the news writes the title before a name
    start: dt.date | None
    end: dt.date | None

    @cached_property
    def longest_first(self) -> tuple[str, ...]:
        return tuple(sorted(self.keys, key=len, reverse=True))

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class TopicRule:
    topic_id: int
    threshold: float
    entity_weights: dict[EntityKey, float]
    context: bool = False  # Afghanistan's life around the process: alone, it does not make a piece about it


@dataclass(frozen=True)
class KnowledgeIndex:
    matcher: Matcher
    topics: list[TopicRule]
    country_places: dict[str, EntityKey]  # ISO code -> place key of the country
    place_country: dict[int, str]  # place id -> ISO code
    place_kind: dict[int, str]
    organization_kind: dict[int, str]
    roles: dict[EntityKey, tuple[Role, ...]]  # person key -> dated roles
    entity_words: frozenset[str]  # folded words of organization and place names: never a new person's name
    person_slugs: dict[str, EntityKey]
    province_of_city: dict[EntityKey, EntityKey]  # Kunduz (city) -> Kunduz Province
    rule_people: frozenset[str]  # slugs of the people topic rules name, whether they exist or not
    short_names: dict[EntityKey, str]  # how a headline names a person or organization: 'Khalilzad', 'ISI'
    afghan: frozenset[EntityKey]  # Afghan places, organizations and people: what makes a text about Afghanistan
    variants: VariantIndex  # people's names by the skeletons of their words, for unlisted romanisations
    curated: dict[int, CuratedEvent]  # the reviewed timeline, by event id
    curated_idf: dict[str, float]  # how rare each word of the timeline's titles and names is among them
    curated_by_word: dict[str, tuple[int, ...]]  # each such word -> the timeline events that have it
    organization_family: dict[int, frozenset[int]]  # organization id -> it and the organizations that contain it
    owned_heads: OwnedHeads  # 'political office' -> the bodies so named and their owners (rephrasings.owned_heads)
    place_family: dict[int, frozenset[int]]  # place id -> the place and every place that contains it
    taliban: frozenset[EntityKey] = frozenset()  # the Taliban, their bodies and their people


def title_keys(title: str) -> set[str]:
    """The folded forms of a role title that may stand before a name.

    'US Special Representative for Afghanistan Reconciliation' gives itself, 'us special
    representative' and 'special representative'.
    """
    folded = _PARENTHESES.sub("", fold(title)).strip().strip(",")
    if not folded:
        return set()
    keys = {folded}
    for separator in (" of ", " for ", " to ", ", ", " on ", " at ", " in "):
        if separator in folded:
            keys.add(folded.split(separator)[0].strip())
    for key in list(keys):
        first, _, rest = key.partition(" ")
        while first in _ROLE_PREFIXES and rest:
            keys.add(rest)
            first, _, rest = rest.partition(" ")
    return {k for k in keys if len(k) >= 3}


def _possessive(name: str) -> str:
    """'Taliban political office' -> "Taliban's political office": news puts the owner first."""
    first, _, rest = name.strip().partition(" ")
    if not rest or not first[:1].isupper() or first.lower() in {"the", "a"} or first.endswith(("'s", "’s", "s'")):
        return ""
    return f"{first}'s {rest.lower()}"


def _province_twins(places: list[dict]) -> dict[EntityKey, EntityKey]:
    """Cities that share their name with their province ('Kunduz' and 'Kunduz Province')."""
    cities = {(fold(p["name"]), p["country_code"]): p["id"] for p in places if p["kind"] == Place.Kind.CITY}
    twins = {}
    for p in places:
        base = fold(p["name"]).removesuffix(" province")
        if p["kind"] == Place.Kind.PROVINCE and (base, p["country_code"]) in cities:
            twins[("place", cities[(base, p["country_code"])])] = ("place", p["id"])
    return twins


def short_name(name: str, *, acronyms: list[str] | None = None, shared_surnames: set[str] = frozenset()) -> str:
    """A headline's name: a person's surname (the full name when it is shared or common), an
    organization's acronym when its name is long."""
    if acronyms is not None:
        return acronyms[0] if acronyms and len(name.split()) >= 3 else name
    tokens = [t for t in name.split() if fold(t) not in NAME_PARTICLES]
    surname = tokens[-1] if len(tokens) > 1 else name
    folded = fold(surname)
    return name if folded in IMPLICIT_SURNAME_STOPLIST or folded in shared_surnames else surname


def _idf(documents: list[frozenset[str]]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for words in documents:
        for word in words:
            counts[word] += 1
    return {word: math.log((len(documents) + 1) / (count + 0.5)) for word, count in counts.items()}


def _signature() -> tuple:
    return (
        *(
            tuple(model.objects.aggregate(n=Count("id"), latest=Max("updated_at")).values())
            for model in (Person, Organization, Place, Topic)
        ),
        tuple(Event.objects.filter(reviewed=True).aggregate(n=Count("id"), latest=Max("updated_at")).values()),
    )


def _family(start: int, parents: dict[int, int | None]) -> frozenset[int]:
    """`start` and everything that contains it (a place's city, province, country; an office's organization)."""
    chain, current = [start], parents.get(start)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return frozenset(chain)


def _by_word(timeline: dict[int, CuratedEvent]) -> dict[str, tuple[int, ...]]:
    by_word: dict[str, list[int]] = defaultdict(list)
    for event in timeline.values():
        for word in event.words:
            by_word[word].append(event.id)
    return {word: tuple(ids) for word, ids in by_word.items()}


def _place_family(places: list[dict]) -> dict[int, frozenset[int]]:
    parents = {p["id"]: p["parent_id"] for p in places}
    return {place_id: _family(place_id, parents) for place_id in parents}


def _timeline(organization_parents: dict[int, int | None]) -> tuple[dict[int, CuratedEvent], dict[str, set[str]]]:
    """The reviewed timeline events, and the names the news gives them as matcher markers."""
    rows = list(Event.objects.filter(reviewed=True, start_date__isnull=False).values(
        "id", "slug", "title", "kind", "start_date", "end_date", "start_precision", "place_id", "aliases",
    ))
    people: dict[int, set[int]] = defaultdict(set)
    organizations: dict[int, set[int]] = defaultdict(set)
    for event_id, person_id, organization_id in EventParticipant.objects.filter(
        event__reviewed=True
    ).values_list("event_id", "person_id", "organization_id"):
        if person_id:
            people[event_id].add(person_id)
        if organization_id:
            organizations[event_id].add(organization_id)
    timeline, names = {}, {}
    for row in rows:
        timeline[row["id"]] = CuratedEvent(
            id=row["id"], slug=row["slug"], title=row["title"], kind=row["kind"], start=row["start_date"],
            end=row["end_date"] or row["start_date"], precision=row["start_precision"],
            places=frozenset({row["place_id"]} if row["place_id"] else ()),
            people=frozenset(people[row["id"]]),
            organizations=frozenset(org for o in organizations[row["id"]] for org in _family(o, organization_parents)),
            words=event_words(row["title"], row["aliases"] or []),
        )
        for alias in row["aliases"] or []:
            if alias and alias.strip():
                names.setdefault(f"curated:{row['id']}", set()).add(alias.strip())
    return timeline, names


def _words(names: list[str]) -> set[str]:
    return {w for name in names for w in re.findall(r"[a-z]+", fold(name)) if len(w) > 2}


def native_names(row: dict) -> list[str]:
    """An entity's Dari, Pashto and Urdu names (the `names` field), in one list."""
    return [name for names in (row.get("names") or {}).values() for name in names]


def native_names_and_forms(row: dict) -> list[str]:
    """The native names with the grammatical forms running text gives them (`native_forms`)."""
    return [*native_names(row), *native_forms(row.get("names") or {})]


# Weekday and month names of every calendar we read: as a one-word name they would fire on every
# date ('دوشنبه' is Monday in Dari and Pashto before it is Dushanbe).
_CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(SOLAR_MONTHS) | frozenset(LUNAR_MONTHS) | frozenset(GREGORIAN_MONTHS)


def _form_names(names: list[str]) -> list[str]:
    """The names that become explicit surface forms: a bare honorific or calendar word never does."""
    return [
        name.strip() for name in names
        if name and name.strip() and fold(name).strip() not in HONORIFICS and compact(name) not in _CALENDAR_WORDS
    ]


@dataclass
class _PersonParts:
    info: EntityInfo
    forms: list[str]  # explicit surface forms
    surname: str  # the implicit short form, or ""
    titles: frozenset[str]  # folded role titles and honorifics that may stand before the name
    words: set[str]  # words of the names, which are never words of an organization or place only
    given_names: set[str]  # folded: a surname that is someone's given name needs context


def _person_parts(p: dict, roles: tuple[Role, ...], role_orgs: set[EntityKey], country_places: dict) -> _PersonParts:
    """What one person adds to the index (a row of Person.values(...), their roles and the organizations of them)."""
    key = ("person", p["id"])
    context = set(role_orgs)
    if p["affiliation_id"]:
        context.add(("organization", p["affiliation_id"]))
    if p["nationality"] in country_places:
        context.add(country_places[p["nationality"]])
    keys = set().union(*(role.keys for role in roles))
    keys |= title_keys(p["title"]) if p["title"] else set()
    keys |= {fold(h).strip(". ") for h in p["honorifics"] or []}
    tokens = [t for t in p["name"].split() if fold(t) not in NAME_PARTICLES and fold(t).strip(".") not in HONORIFICS]
    surname = tokens[-1] if len(tokens) > 1 else ""
    return _PersonParts(
        info=EntityInfo(key, p["slug"], p["name"], frozenset(context)),
        forms=_form_names([p["name"], *p["aliases"], *native_names(p)]),
        surname=surname if len(surname) >= 3 and surname[0].isupper() else "",
        titles=frozenset(k for k in keys if k),
        words=_words([p["name"], *p["aliases"]]),
        given_names={fold(t) for t in p["name"].split()[:-1]},
    )


def build_index() -> KnowledgeIndex:
    entities: list[EntityInfo] = []
    forms: dict[str, dict[str, set[EntityKey]]] = defaultdict(lambda: {"explicit": set(), "implicit": set()})

    places = list(Place.objects.values("id", "slug", "name", "aliases", "names", "kind", "country_code", "parent_id"))
    country_places = {p["country_code"]: ("place", p["id"]) for p in places if p["kind"] == Place.Kind.COUNTRY and p["country_code"]}
    place_names = {("place", p["id"]): [p["name"], *p["aliases"]] for p in places}
    entity_names: list[str] = []

    def add_forms(key: EntityKey, names: list[str]) -> None:
        for name in _form_names(names):
            forms[name]["explicit"].add(key)

    for p in places:
        key = ("place", p["id"])
        context = {("place", p["parent_id"])} if p["parent_id"] else set()
        if p["country_code"] in country_places and country_places[p["country_code"]] != key:
            context.add(country_places[p["country_code"]])
        entities.append(EntityInfo(key, p["slug"], p["name"], frozenset(context)))
        add_forms(key, [p["name"], *p["aliases"], *native_names_and_forms(p)])
        entity_names.extend([p["name"], *p["aliases"]])

    organizations = list(Organization.objects.values(
        "id", "slug", "name", "aliases", "names", "acronyms", "country", "parent_id", "kind",
    ))
    afghan = {("place", p["id"]) for p in places if p["country_code"] == "AF"}
    afghan |= {("organization", o["id"]) for o in organizations if o["country"] == "AF"}
    for o in organizations:
        key = ("organization", o["id"])
        context: set[EntityKey] = {("organization", o["parent_id"])} if o["parent_id"] else set()
        if o["country"] in country_places:
            context.add(country_places[o["country"]])
        folded_name = o["name"].lower()
        context.update(pk for pk, names in place_names.items() if any(n.lower() in folded_name for n in names if len(n) > 3))
        entities.append(EntityInfo(key, o["slug"], o["name"], frozenset(context)))
        names = [o["name"], *o["aliases"]]
        rephrased = [*synonym_forms(names), *country_forms(o["name"], o["country"])]
        add_forms(key, [*names, *o["acronyms"], *rephrased, *lower_case_forms(names + rephrased), *native_names_and_forms(o)])
        add_forms(key, [p for p in map(_possessive, names + synonym_forms(names)) if p])
        entity_names.extend([o["name"], *o["aliases"]])

    role_orgs: dict[int, set[EntityKey]] = defaultdict(set)
    roles: dict[EntityKey, list[Role]] = defaultdict(list)
    for person_id, title, org_id, start, end in PersonRole.objects.values_list(
        "person_id", "title", "organization_id", "start_date", "end_date"
    ):
        if org_id:
            role_orgs[person_id].add(("organization", org_id))
        roles[("person", person_id)].append(Role(frozenset(title_keys(title)), start, end))

    people = list(Person.objects.values(*PERSON_FIELDS))
    given_names: set[str] = set()
    person_words: set[str] = set()
    titles: dict[EntityKey, frozenset[str]] = {}
    for p in people:
        parts = _person_parts(p, tuple(roles.get(("person", p["id"]), ())), role_orgs[p["id"]], country_places)
        entities.append(parts.info)
        add_forms(parts.info.key, parts.forms)
        person_words |= parts.words
        given_names |= parts.given_names
        titles[parts.info.key] = parts.titles
        if parts.surname:
            forms[parts.surname]["implicit"].add(parts.info.key)

    slug_keys = {(e.key[0], e.slug): e.key for e in entities}
    topics: list[TopicRule] = []
    phrases: dict[str, list[tuple[int, float]]] = defaultdict(list)
    rule_people: set[str] = set()
    for t in Topic.objects.values("id", "slug", "name", "rules", "threshold"):
        rules = t["rules"] or {}
        rule_people |= {str(rule.get("slug")) for rule in rules.get("entities") or [] if rule.get("kind") == "person"}
        # One weight per phrase as the matcher sees it: 'سیلاب' listed for Dari and for Urdu, or
        # Pashto 'ولسوالۍ' beside Dari 'ولسوالی', would otherwise count every hit twice.
        best: dict[str, tuple[str, float]] = {}
        for rule in rules.get("phrases") or []:
            if rule.get("phrase"):
                phrase, weight = str(rule["phrase"]), float(rule.get("weight", 1))
                seen = phrase_key(phrase) or phrase
                if seen not in best or best[seen][1] < weight:
                    best[seen] = (phrase, weight)
        for phrase, weight in best.values():
            phrases[phrase].append((t["id"], weight))
        weights = {
            slug_keys[(rule["kind"], rule["slug"])]: float(rule.get("weight", 1))
            for rule in rules.get("entities") or []
            if (rule.get("kind"), rule.get("slug")) in slug_keys
        }
        topics.append(TopicRule(t["id"], t["threshold"], weights, bool(rules.get("context"))))
        entities.append(EntityInfo(("topic", t["id"]), t["slug"], t["name"]))

    # A surname that is also a common word or someone's given name needs context to be linked.
    weak_surnames = IMPLICIT_SURNAME_STOPLIST | given_names
    frozen_roles = {key: tuple(value) for key, value in roles.items()}

    def held_role(key: EntityKey, title: str, day: dt.date) -> bool:
        return any(title in role.keys and role.active_on(day) for role in frozen_roles.get(key, ()))

    place_country = {p["id"]: p["country_code"] for p in places}
    organization_parents = {o["id"]: o["parent_id"] for o in organizations}
    organization_names = {o["id"]: [o["name"], *o["aliases"]] for o in organizations}
    timeline, event_names = _timeline(organization_parents)
    surnames = defaultdict(int)
    for p in people:
        surnames[fold(p["name"].split()[-1])] += 1
    shared = {surname for surname, count in surnames.items() if count > 1} | given_names
    short_names = {("person", p["id"]): short_name(p["name"], shared_surnames=shared) for p in people}
    short_names |= {("organization", o["id"]): short_name(o["name"], acronyms=o["acronyms"]) for o in organizations}
    return KnowledgeIndex(
        matcher=Matcher(
            entities, forms, phrases, titles=titles, weak_forms=weak_surnames, role_check=held_role,
            markers={**DATE_ANCHORS, "role": ROLE_NOUNS, **EVENT_MARKERS, **event_names},
        ),
        topics=topics,
        country_places=country_places,
        place_country=place_country,
        place_kind={p["id"]: p["kind"] for p in places},
        organization_kind={o["id"]: o["kind"] for o in organizations},
        roles=frozen_roles,
        entity_words=frozenset(_words(entity_names) - person_words),
        person_slugs={p["slug"]: ("person", p["id"]) for p in people},
        province_of_city=_province_twins(places),
        rule_people=frozenset(rule_people),
        short_names=short_names,
        afghan=frozenset(afghan | {("person", p["id"]) for p in people if p["nationality"] == "AF"}),
        variants=VariantIndex.build([(("person", p["id"]), [p["name"], *p["aliases"]]) for p in people if p["reviewed"]]),
        curated=timeline,
        curated_idf=_idf([event.words for event in timeline.values()]),
        curated_by_word=_by_word(timeline),
        organization_family={o["id"]: _family(o["id"], organization_parents) for o in organizations},
        owned_heads=owned_heads(organizations, organization_names),
        place_family=_place_family(places),
        taliban=_taliban(organizations, people, organization_parents),
    )


def _taliban(organizations: list[dict], people: list[dict], parents: dict[int, int | None]) -> frozenset[EntityKey]:
    """The Taliban, the bodies within them and the people affiliated with either: news of floods or
    aid is news of the process's aftermath when they are in it (see services._is_relevant)."""
    root = next((o["id"] for o in organizations if o["slug"] == "taliban"), None)
    if root is None:
        return frozenset()
    bodies = {o["id"] for o in organizations if root in _family(o["id"], parents)}
    return frozenset(
        {("organization", i) for i in bodies} | {("person", p["id"]) for p in people if p["affiliation_id"] in bodies}
    )


PERSON_FIELDS = ("id", "slug", "name", "aliases", "names", "affiliation_id", "nationality", "title", "honorifics", "reviewed")


def index_with_person(index: KnowledgeIndex, person: dict) -> KnowledgeIndex | None:
    """The index build_index would make with one more person who has no roles yet (a person just
    created: one the tagger discovered, or the first save of one in admin), or None when only a
    rebuild can tell (a topic rule names them, or they are already in)."""
    if person["slug"] in index.rule_people or person["slug"] in index.person_slugs:
        return None
    parts = _person_parts(person, (), set(), index.country_places)
    matcher = index.matcher.with_person(
        parts.info, explicit=parts.forms, implicit=[parts.surname] if parts.surname else [], titles=parts.titles,
        given_names=parts.given_names,
    )
    key = parts.info.key
    return dataclasses.replace(
        index, matcher=matcher, entity_words=index.entity_words - parts.words,
        person_slugs={**index.person_slugs, person["slug"]: key},
        afghan=index.afghan | {key} if person["nationality"] == "AF" else index.afghan,
        taliban=index.taliban | {key} if ("organization", person["affiliation_id"]) in index.taliban else index.taliban,
        variants=index.variants.with_person(key, [person["name"], *person["aliases"]]) if person["reviewed"] else index.variants,
    )


RECHECK_SECONDS = 5.0

_lock = threading.RLock()
_cached: tuple[tuple, KnowledgeIndex] | None = None
_checked_at = float("-inf")
_edited = False  # this process saved or deleted a knowledge-base row since the last build
_uncommitted = False  # ... in a transaction that has not (yet) committed


def get_index() -> KnowledgeIndex:
    """The knowledge index for this process, rebuilt when the knowledge base changed (see the module's docstring)."""
    global _cached, _checked_at, _edited
    with _lock:
        now = time.monotonic()
        if _cached is not None and not (_edited or _uncommitted) and now - _checked_at < RECHECK_SECONDS:
            return _cached[1]
        edited, _edited = _edited, False
        signature = _signature()
        if edited or _cached is None:
            _cached = (signature, build_index())
        elif _cached[0] != signature:
            _cached = (signature, _with_people_added(_cached, signature) or build_index())
        _checked_at = now
        return _cached[1]


def _with_people_added(cached: tuple[tuple, KnowledgeIndex], signature: tuple) -> KnowledgeIndex | None:
    """When the only change is people another process created (the tagger's discoveries), the index
    with them added as that process added them; None when anything else changed. A worker's other
    children then spend nothing instead of a rebuild (0.3 s) at every discovery."""
    (old_count, old_latest), *old_rest = cached[0]
    (new_count, _new_latest), *new_rest = signature
    if old_rest != new_rest or old_latest is None or new_count <= old_count:
        return None
    added = list(Person.objects.filter(updated_at__gt=old_latest).values(*PERSON_FIELDS, "created_at"))
    if len(added) != new_count - old_count or any(person["created_at"] <= old_latest for person in added):
        return None  # someone known was edited too, or someone deleted
    index: KnowledgeIndex | None = cached[1]
    for person in added:
        index = index_with_person(index, person) if index is not None else None
    return index


def index_recheck() -> None:
    """Compare the signature at the next call whatever the time, then trust it as usual.

    For tests, which roll back each other's edits: a fresh start at each test.
    """
    global _checked_at, _uncommitted
    _checked_at = float("-inf")
    _uncommitted = False


def _knowledge_base_edited(*, sender, instance, created: bool = False, using: str = "default", **_kwargs) -> None:
    global _cached, _edited, _uncommitted
    with _lock:
        grown = None
        if sender is Person and created and _cached is not None and not _edited:
            grown = index_with_person(_cached[1], {field: getattr(instance, field) for field in PERSON_FIELDS})
        if grown is None:
            _edited = True
        else:
            (count, latest), *others = _cached[0]
            latest = instance.updated_at if latest is None else max(latest, instance.updated_at)
            _cached = (((count + 1, latest), *others), grown)
    if transaction.get_connection(using).in_atomic_block:
        _uncommitted = True
        transaction.on_commit(_edit_committed, using=using)


def _edit_committed() -> None:
    global _uncommitted
    _uncommitted = False


def _timeline_edited(*, sender, instance, using: str = "default", **kwargs) -> None:
    """A reviewed event saved or deleted changes the timeline; the tagger's own events do not (an
    event an editor takes off the timeline is seen by the signature, within RECHECK_SECONDS)."""
    if instance.reviewed:
        _knowledge_base_edited(sender=sender, instance=instance, using=using)


for _model in (Person, PersonRole, Organization, Place, Topic):
    for _name, _signal in (("save", post_save), ("delete", post_delete)):
        _signal.connect(_knowledge_base_edited, sender=_model, dispatch_uid=f"knowledge-index-{_model.__name__}-{_name}")
for _name, _signal in (("save", post_save), ("delete", post_delete)):
    _signal.connect(_timeline_edited, sender=Event, dispatch_uid=f"knowledge-index-Event-{_name}")
