"""Reads, checks and loads the reviewed knowledge base in `data/`.

1. Read every YAML file and normalise each record (slug, dates with their precision).
2. Check the whole set at once: unique slugs per kind, every reference resolvable. All problems
   are reported together, and nothing is written when there is one.
3. Upsert inside one transaction, saving a row only when a field changed, so that a second run
   writes nothing and leaves `updated_at` (and so the tagger's cache) untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import slugify

from articles.models import (
    ENTITY_KINDS,
    DatePrecision,
    Event,
    EventParticipant,
    Organization,
    Person,
    PersonRole,
    Place,
    Topic,
)
from articles.text.lexicon import HONORIFICS
from articles.text.normalize import fold, normalize

DATA_DIR = Path(__file__).resolve().parent / "data"


class KnowledgeBaseError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("knowledge base has problems:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return ", ".join(
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in kinds
        )


def _role_date(value: Any) -> tuple[dt.date | None, str]:
    """A role's start or end and its precision; a role with none has the day precision's default."""
    return parse_partial_date(value) if value else (None, DatePrecision.DAY)


def parse_partial_date(value: Any) -> tuple[dt.date, str]:
    """'2021', '2021-03' or '2021-03-08' (or YAML's own date and int) -> (date, precision)."""
    if isinstance(value, dt.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, dt.date):
        return value, DatePrecision.DAY
    text = str(value).strip()
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 1, 1), DatePrecision.YEAR
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), DatePrecision.DAY
    except ValueError:
        pass
    raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")


def _read_records(paths: list[Path], problems: list[str]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: invalid YAML: {exc}")
            continue
        if not isinstance(data, list):
            problems.append(f"{path.name}: must be a list of records")
            continue
        for index, record in enumerate(data):
            if not isinstance(record, dict) or (not record.get("name") and not record.get("title")):
                problems.append(f"{path.name} #{index + 1}: a record needs a name (or a title)")
                continue
            record["_where"] = f"{path.parent.name}/{path.name}"
            records.append(record)
    return records


@dataclass
class KnowledgeBase:
    organizations: list[dict[str, Any]]
    places: list[dict[str, Any]]
    people: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    events: list[dict[str, Any]]


def read_knowledge_base(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Read and check the data files; raise KnowledgeBaseError listing every problem."""
    problems: list[str] = []

    def files(*names: str) -> list[Path]:
        found: list[Path] = []
        for name in names:
            target = data_dir / name
            if target.is_dir():
                found.extend(sorted(target.glob("*.yaml")))
            elif target.exists():
                found.append(target)
        return found

    kb = KnowledgeBase(
        organizations=_read_records(files("organizations.yaml", "organizations"), problems),
        places=_read_records(files("places.yaml", "places"), problems),
        people=_read_records(files("people"), problems),
        topics=_read_records(files("topics.yaml"), problems),
        events=_read_records(files("events.yaml"), problems),
    )
    slugs: dict[str, set[str]] = {}
    for kind in ("organizations", "places", "people", "topics"):
        seen: set[str] = set()
        for record in getattr(kb, kind):
            record["slug"] = str(record.get("slug") or slugify(record["name"]))
            if record["slug"] in seen:
                problems.append(f"{record['_where']}: duplicate {kind} slug {record['slug']!r}")
            seen.add(record["slug"])
        slugs[kind] = seen

    def check_ref(record: dict[str, Any], kind: str, value: Any, what: str) -> None:
        if value and value not in slugs[kind]:
            problems.append(f"{record['_where']} {record.get('slug') or record.get('title')!r}: unknown {what} {value!r}")

    def check_date(record: dict[str, Any], key: str, value: Any) -> None:
        if value is None:
            return
        try:
            parse_partial_date(value)
        except ValueError as exc:
            problems.append(f"{record['_where']} {record.get('slug') or record.get('title')!r}: {key}: {exc}")

    for record in kb.organizations:
        check_ref(record, "organizations", record.get("parent"), "parent organization")
        if record.get("kind", "other") not in Organization.Kind.values:
            problems.append(f"{record['_where']} {record['slug']!r}: unknown kind {record.get('kind')!r}")
    for records in (kb.organizations, kb.places, kb.people):
        owners: dict[tuple[str, str], str] = {}
        for record in records:
            names = record.get("names") or {}
            if not isinstance(names, dict) or not set(names) <= NATIVE_LANGUAGES or not all(
                isinstance(v, list) and all(isinstance(n, str) and n.strip() for n in v) for v in names.values()
            ):
                problems.append(f"{record['_where']} {record['slug']!r}: names maps fa, ps or ur to lists of names")
                continue
            for language, values in names.items():
                for name in values:
                    key = (language, native_key(name))
                    if owners.setdefault(key, record["slug"]) != record["slug"]:
                        problems.append(
                            f"{record['_where']} {record['slug']!r}: {language} name {name!r} is also {owners[key]!r}'s"
                        )
    for record in kb.places:
        check_ref(record, "places", record.get("parent"), "parent place")
        if record.get("kind") not in Place.Kind.values:
            problems.append(f"{record['_where']} {record['slug']!r}: unknown kind {record.get('kind')!r}")
    for record in kb.people:
        check_ref(record, "organizations", record.get("affiliation"), "organization")
        for alias in record.get("aliases") or []:
            if fold(str(alias)).strip(". ") in HONORIFICS:
                problems.append(f"{record['_where']} {record['slug']!r}: alias {alias!r} is a title, never a name alone")
        for role in record.get("roles") or []:
            check_ref(record, "organizations", role.get("organization"), "organization")
            check_date(record, "role start", role.get("start"))
            check_date(record, "role end", role.get("end"))
    for record in kb.topics:
        check_ref(record, "topics", record.get("parent"), "parent topic")
        for rule in record.get("entities") or []:
            kind = ENTITY_KINDS[rule["kind"]].plural if rule.get("kind") in ENTITY_KINDS else ""
            if not kind:
                problems.append(f"{record['_where']} {record['slug']!r}: rule kind {rule.get('kind')!r}")
            else:
                check_ref(record, kind, rule.get("slug"), rule.get("kind"))
    event_slugs: set[str] = set()
    for record in kb.events:
        if record.get("kind") not in Event.Kind.values:
            problems.append(f"{record['_where']} {record.get('title')!r}: unknown kind {record.get('kind')!r}")
        check_date(record, "date", record.get("date"))
        check_date(record, "end", record.get("end"))
        check_ref(record, "places", record.get("place"), "place")
        aliases = record.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(f"{record['_where']} {record.get('title')!r}: aliases must be a list of names")
        for participant in record.get("participants") or []:
            check_ref(record, "people", participant.get("person"), "person")
            check_ref(record, "organizations", participant.get("organization"), "organization")
            if bool(participant.get("person")) == bool(participant.get("organization")):
                problems.append(f"{record['_where']} {record.get('title')!r}: a participant is a person or an organization")
        record["slug"] = str(record.get("slug") or slugify(f"{record.get('date', '')} {record.get('title', '')}")[:300])
        if record["slug"] in event_slugs:
            problems.append(f"{record['_where']}: duplicate event {record['slug']!r}")
        event_slugs.add(record["slug"])
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


def _upsert(model, existing: dict[str, Any], slug: str, values: dict[str, Any], report: LoadReport, kind: str):
    """Create or update the row with this slug, saving only when a value changed."""
    obj = existing.get(slug)
    if obj is None:
        obj = model.objects.create(slug=slug, **values)
        existing[slug] = obj
        report.count(kind, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[*changed, "updated_at"] if hasattr(obj, "updated_at") else changed)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj


def _latest_role_organization(record: dict[str, Any]) -> str:
    """A person without an affiliation belongs to the organization of their newest role."""
    dated = [
        (parse_partial_date(role["start"])[0] if role.get("start") else dt.date.min, role["organization"])
        for role in record.get("roles") or [] if role.get("organization")
    ]
    return max(dated)[1] if dated else ""


def _strings(values: Any) -> list[str]:
    return [str(v).strip() for v in values or [] if str(v).strip()]


NATIVE_LANGUAGES = {"fa", "ps", "ur"}


def native_key(name: str) -> str:
    """Two native names are one when they differ only by what matching ignores (spaces, joiners, letter forms)."""
    return "".join(normalize(name).split())


def _native_names(values: Any) -> dict[str, list[str]]:
    return {language: _strings(names) for language, names in sorted((values or {}).items()) if _strings(names)}


@transaction.atomic
def load_knowledge_base(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load (or refresh) the reviewed knowledge base; idempotent."""
    kb = read_knowledge_base(data_dir)
    report = LoadReport()

    orgs = {o.slug: o for o in Organization.objects.all()}
    for r in kb.organizations:
        _upsert(Organization, orgs, r["slug"], {
            "name": r["name"], "aliases": _strings(r.get("aliases")), "acronyms": _strings(r.get("acronyms")),
            "names": _native_names(r.get("names")),
            "kind": r.get("kind", "other"), "country": r.get("country") or "",
            "description": (r.get("description") or "").strip(), "wikidata_id": r.get("wikidata") or "",
            "reviewed": True,
        }, report, "organizations")
    for r in kb.organizations:
        parent = orgs.get(r.get("parent") or "")
        _upsert(Organization, orgs, r["slug"], {"parent": parent}, LoadReport(), "organizations")

    places = {p.slug: p for p in Place.objects.all()}
    for r in kb.places:
        _upsert(Place, places, r["slug"], {
            "name": r["name"], "aliases": _strings(r.get("aliases")), "kind": r["kind"],
            "names": _native_names(r.get("names")),
            "country_code": r.get("country") or "", "latitude": r.get("lat"), "longitude": r.get("lon"),
            "description": (r.get("description") or "").strip(), "wikidata_id": r.get("wikidata") or "",
            "reviewed": True,
        }, report, "places")
    for r in kb.places:
        _upsert(Place, places, r["slug"], {"parent": places.get(r.get("parent") or "")}, LoadReport(), "places")

    people = {p.slug: p for p in Person.objects.all()}
    roles_by_person: dict[int, set[tuple]] = {}
    for role in PersonRole.objects.all():
        roles_by_person.setdefault(role.person_id, set()).add(
            (role.title, role.organization_id, role.start_date, role.start_precision, role.end_date, role.end_precision)
        )
    for r in kb.people:
        person = _upsert(Person, people, r["slug"], {
            "name": r["name"], "aliases": _strings(r.get("aliases")), "title": (r.get("title") or "").strip(),
            "names": _native_names(r.get("names")),
            "affiliation": orgs.get(r.get("affiliation") or _latest_role_organization(r)), "nationality": r.get("nationality") or "",
            "honorifics": _strings(r.get("honorifics")), "description": (r.get("description") or "").strip(),
            "wikidata_id": r.get("wikidata") or "", "reviewed": True,
        }, report, "people")
        wanted = {
            (
                str(role["title"]).strip(),
                orgs[role["organization"]].pk if role.get("organization") else None,
                *_role_date(role.get("start")),
                *_role_date(role.get("end")),
            )
            for role in r.get("roles") or []
        }
        if wanted != roles_by_person.get(person.pk, set()):
            person.roles.all().delete()
            PersonRole.objects.bulk_create(
                PersonRole(
                    person=person, title=t, organization_id=o, start_date=s, start_precision=sp, end_date=e, end_precision=ep,
                )
                for t, o, s, sp, e, ep in wanted
            )
            # Touch the person: the tagger's cache is keyed on people's newest update.
            person.save(update_fields=["updated_at"])
            report.count("roles", "updated" if person.pk in roles_by_person else "created")
        elif wanted:
            report.count("roles", "unchanged")

    topics = {t.slug: t for t in Topic.objects.all()}
    for r in kb.topics:
        _upsert(Topic, topics, r["slug"], {
            "name": r["name"], "aliases": _strings(r.get("aliases")),
            "description": (r.get("description") or "").strip(), "threshold": float(r.get("threshold", 2.0)),
            "rules": {
                "phrases": r.get("phrases") or [], "entities": r.get("entities") or [],
                "context": bool(r.get("context", False)),
            },
            "reviewed": True,
        }, report, "topics")
    for r in kb.topics:
        _upsert(Topic, topics, r["slug"], {"parent": topics.get(r.get("parent") or "")}, LoadReport(), "topics")

    events = {e.slug: e for e in Event.objects.filter(reviewed=True)}
    participants_by_event: dict[int, set[tuple]] = {}
    for p in EventParticipant.objects.filter(event__reviewed=True):
        participants_by_event.setdefault(p.event_id, set()).add((p.person_id, p.organization_id, p.role))
    for r in kb.events:
        start, precision = parse_partial_date(r["date"]) if r.get("date") else (None, DatePrecision.APPROXIMATE)
        event = _upsert(Event, events, r["slug"], {
            "title": r["title"], "kind": r["kind"], "start_date": start, "start_precision": precision,
            "end_date": parse_partial_date(r["end"])[0] if r.get("end") else None,
            "place": places.get(r.get("place") or ""), "summary": (r.get("summary") or "").strip(),
            "reference": (r.get("reference") or "").strip(), "confidence": 1.0, "reviewed": True,
            "aliases": [a.strip() for a in r.get("aliases") or []], "machine_made": False,
        }, report, "events")
        wanted = {
            (
                people[p["person"]].pk if p.get("person") else None,
                orgs[p["organization"]].pk if p.get("organization") else None,
                (p.get("role") or "").strip(),
            )
            for p in r.get("participants") or []
        }
        if wanted != participants_by_event.get(event.pk, set()):
            event.participants.all().delete()
            EventParticipant.objects.bulk_create(
                EventParticipant(event=event, person_id=person, organization_id=org, role=role)
                for person, org, role in wanted
            )
    return report
