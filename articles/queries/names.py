"""Entities by any name a reader may type: a slug, a name, an alias or an acronym, in any case or accent.

The pages and the API take slugs. A value that is none is looked up here among the names of its
kind, compared as the tagger compares names (articles.text.normalize.fold, punctuation as
spaces), so `khalilzad`, `Zalmay Khalilzad` and `ZALMAY-KHALILZAD` are one person and
`National Security Council` is two organizations.

The names come from a map of every entity's names (the knowledge base is some 700 entities: five
queries and a few milliseconds to build), kept per process for NAMES_SECONDS. Aliases live in a
JSON list, which no index serves in both databases, and a folded comparison needs Python anyway.
An edit saved in this process clears the map at once; other processes see it within NAMES_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.http import QueryDict

from articles.models import ENTITY_KINDS, Source
from articles.text.normalize import fold, word_fold

NAMES_SECONDS = 60
# The list parameters that name an entity, and the model each names.
MODELS = {**{name: kind.model for name, kind in ENTITY_KINDS.items()}, "source": Source}


@dataclass(frozen=True, order=True)
class Candidate:
    name: str
    slug: str


@dataclass(frozen=True)
class _Names:
    slugs: frozenset[str]  # every slug of the kind
    by_key: dict[str, tuple[Candidate, ...]]  # folded name -> entities, by name
    built: float


_lock = threading.Lock()
# Per kind, read when first asked for (one query): search asks for people alone on every query.
_names: dict[str, _Names] = {}


def name_key(text: str) -> str:
    """A name as compared: folded, punctuation as spaces, spaces collapsed."""
    return " ".join(word_fold(fold(text)).split())


def _build(kind: str) -> _Names:
    fields = ["slug", "name"] + (["aliases"] if kind != "source" else []) + (
        ["acronyms"] if kind == "organization" else [])
    found: dict[str, set[Candidate]] = defaultdict(set)
    slugs = set()
    for row in MODELS[kind].objects.values(*fields):
        candidate = Candidate(row["name"], row["slug"])
        slugs.add(row["slug"])
        for form in (row["slug"], row["name"], *row.get("aliases", ()), *row.get("acronyms", ())):
            if isinstance(form, str) and name_key(form):
                found[name_key(form)].add(candidate)
    return _Names(frozenset(slugs), {key: tuple(sorted(candidates)) for key, candidates in found.items()},
                  time.monotonic())


def _current(kind: str) -> _Names:
    names = _names.get(kind)
    if names is None or time.monotonic() - names.built > NAMES_SECONDS:
        with _lock:
            names = _names[kind] = _build(kind)
    return names


def names_forget(**_kwargs) -> None:
    """Drop the maps, so the next lookup reads the knowledge base again."""
    _names.clear()


for _model in MODELS.values():
    post_save.connect(names_forget, sender=_model, dispatch_uid=f"names_forget_save_{_model.__name__}")
    post_delete.connect(names_forget, sender=_model, dispatch_uid=f"names_forget_delete_{_model.__name__}")


def is_slug(kind: str, value: str) -> bool:
    return kind in MODELS and value in _current(kind).slugs


def name_candidates(kind: str, value: str) -> tuple[Candidate, ...]:
    """The entities of `kind` that `value` names (none for a slug, which names itself), by name."""
    if kind not in MODELS or is_slug(kind, value):
        return ()
    return _current(kind).by_key.get(name_key(value), ())


@dataclass(frozen=True)
class AmbiguousName:
    """A value of parameter `kind` that names several entities: `choices`, by name."""

    kind: str
    value: str
    choices: tuple[Candidate, ...]


@dataclass(frozen=True)
class ResolvedNames:
    params: QueryDict  # each value that names one entity replaced by its slug
    ambiguous: list[AmbiguousName]


def resolve_names(params: QueryDict) -> ResolvedNames:
    """The query string with entities given by name, alias, acronym or another case as slugs.

    A value that is a slug, or names nothing, is left for the filter to accept or refuse; a value
    that names several entities is reported in `ambiguous` and left as it is.
    """
    resolved = params.copy()
    ambiguous = []
    for kind in MODELS:
        values = []
        for value in params.getlist(kind):
            candidates = name_candidates(kind, value)
            if len(candidates) > 1:
                ambiguous.append(AmbiguousName(kind, value, candidates))
            values.append(candidates[0].slug if len(candidates) == 1 else value)
        if values:
            resolved.setlist(kind, values)
    return ResolvedNames(resolved, ambiguous)
