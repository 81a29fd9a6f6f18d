"""The list's applied filters as removable chips, and its entity pickers' current values."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.formats import date_format

from articles.browse.querystring import without_value
from articles.models import ENTITY_KINDS, Event
from articles.queries.filters import PERIOD_CHOICES, ArticleFilter, EventFilter
from articles.text.language_names import language_name

ENTITY_FILTERS = [*((name, kind.label) for name, kind in ENTITY_KINDS.items()), ("event", "Event"), ("source", "Outlet")]


@dataclass(frozen=True)
class Chip:
    kind: str
    label: str
    value: str
    remove_url: str


def chips(filterset: ArticleFilter | EventFilter, params: QueryDict) -> list[Chip]:
    """One chip per applied value of a valid filter set; its link drops that value only."""
    data = filterset.form.cleaned_data
    found: list[Chip] = []
    kinds = dict(Event.Kind.choices)
    for kind in data.get("kind") or []:
        found.append(Chip("kind", "Kind", str(kinds[kind]).capitalize(), without_value(params, "kind", kind)))
    for name, label in ENTITY_FILTERS:
        for entity in data.get(name) or []:
            title = getattr(entity, "name", None) or str(entity)
            found.append(Chip(name, label, title, without_value(params, name, entity.slug)))
    for code in data.get("language") or []:
        found.append(Chip("language", "Language", language_name(code), without_value(params, "language", code)))
    if data.get("q"):
        found.append(Chip("q", "Search", f"“{data['q']}”", without_value(params, "q")))
    if data.get("period"):
        found.append(Chip("date", "Date", dict(PERIOD_CHOICES)[data["period"]], without_value(params, "period")))
    for name, label in (("date_after", "From"), ("date_before", "To")):
        if data.get(name):
            found.append(Chip("date", label, date_format(data[name], "j M Y"), without_value(params, name)))
    if data.get("relevant") in ("no", "all"):
        text = "Not relevant only" if data["relevant"] == "no" else "Relevant or not"
        found.append(Chip("relevant", "Showing", text, without_value(params, "relevant")))
    if data.get("copies") == "all":
        found.append(Chip("copies", "Showing", "every copy of a story", without_value(params, "copies")))
    if data.get("match") == "all" and len([c for c in found if c.kind in dict(ENTITY_FILTERS)]) > 1:
        found.append(Chip("match", "Match", "all of them", without_value(params, "match")))
    return found


def describe(filterset: ArticleFilter) -> str:
    """A short title for a filtered list: 'Zalmay Khalilzad, Doha agreement, from 1 Mar 2021'."""
    return ", ".join(chip.value if chip.kind not in ("date",) else f"{chip.label.lower()} {chip.value}"
                     for chip in chips(filterset, QueryDict()))


@dataclass(frozen=True)
class Picker:
    name: str
    label: str
    values: list[str]


def pickers(params: QueryDict) -> list[Picker]:
    """The entity inputs of the filter form, with the values the URL already carries."""
    return [Picker(name, label, [v for v in params.getlist(name) if v]) for name, label in ENTITY_FILTERS]
