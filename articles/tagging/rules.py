"""A topic's matching rules, checked before they are saved (admin) or loaded (the data files).

Shape: {"phrases": [{"phrase": "...", "weight": 2, "lang": "fa"}], "entities": [{"kind": "person", "slug": "...",
"weight": 1}]}. A phrase is matched folded (see normalize.fold) on word boundaries; an entity adds
its weight once when the article mentions it.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from articles.models import ENTITY_KINDS

ENTITY_MODELS = {name: kind.model for name, kind in ENTITY_KINDS.items()}
MAX_WEIGHT = 100.0
MAX_PHRASE_LENGTH = 200
PHRASE_LANGUAGES = {"en", "fa", "ps", "ur"}  # the language a phrase is written in, when not English


class RulesError(ValueError):
    """Rules that cannot be used; the message says which entry and why."""


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not -MAX_WEIGHT <= float(value) <= MAX_WEIGHT:
        raise RulesError(f"{where}: weight must be a number from -{MAX_WEIGHT:g} to {MAX_WEIGHT:g}")
    return float(value)


def validate_rules(rules: Any) -> dict[str, list[dict[str, Any]]]:
    """The rules, normalised; RulesError names the first problem."""
    if rules in (None, ""):
        return {"phrases": [], "entities": []}
    if not isinstance(rules, dict):
        raise RulesError('rules must be an object with "phrases" and "entities" lists')
    unknown = set(rules) - {"phrases", "entities"}
    if unknown:
        raise RulesError(f"unknown keys: {', '.join(sorted(unknown))}")
    phrases, entities = rules.get("phrases") or [], rules.get("entities") or []
    if not isinstance(phrases, list) or not isinstance(entities, list):
        raise RulesError('"phrases" and "entities" must be lists')
    clean_phrases = []
    for number, rule in enumerate(phrases, 1):
        where = f"phrase {number}"
        if not isinstance(rule, dict) or not isinstance(rule.get("phrase"), str) or not rule["phrase"].strip():
            raise RulesError(f'{where}: needs a non-empty "phrase"')
        if len(rule["phrase"]) > MAX_PHRASE_LENGTH:
            raise RulesError(f"{where}: longer than {MAX_PHRASE_LENGTH} characters")
        phrase = {"phrase": rule["phrase"].strip(), "weight": _weight(rule.get("weight", 1), where)}
        if rule.get("lang") not in (None, ""):
            if rule["lang"] not in PHRASE_LANGUAGES:
                raise RulesError(f"{where}: lang must be one of {', '.join(sorted(PHRASE_LANGUAGES))}")
            phrase["lang"] = rule["lang"]
        clean_phrases.append(phrase)
    clean_entities = []
    wanted: dict[str, set[str]] = {}
    for number, rule in enumerate(entities, 1):
        where = f"entity {number}"
        if not isinstance(rule, dict) or rule.get("kind") not in ENTITY_MODELS or not isinstance(rule.get("slug"), str):
            raise RulesError(f'{where}: needs a "kind" ({", ".join(ENTITY_MODELS)}) and a "slug"')
        wanted.setdefault(rule["kind"], set()).add(rule["slug"])
        clean_entities.append({"kind": rule["kind"], "slug": rule["slug"], "weight": _weight(rule.get("weight", 1), where)})
    for kind, slugs in wanted.items():
        missing = slugs - set(ENTITY_MODELS[kind].objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if missing:
            raise RulesError(f"no {kind} with slug {', '.join(sorted(missing))}")
    return {"phrases": clean_phrases, "entities": clean_entities}
