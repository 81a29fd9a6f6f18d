"""Template helpers for the pages: dates at their precision, entity links and counts, writing directions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils.formats import date_format

from articles.models import DatePrecision, PublishedBasis
from articles.text.language_names import language_direction, language_name

register = template.Library()


@register.filter
def attr_entity(link, name: str):
    """The entity a tag link points to (`link.person`, `link.topic`...)."""
    return getattr(link, name)


@register.filter
def at_precision(value: dt.date | dt.datetime | None, precision: str = "day") -> str:
    """A date written only as precisely as it is known: 'March 2021', 'about 9 March 2021'."""
    if value is None:
        return "undated"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "F Y")
    text = date_format(value, "j F Y")
    return f"about {text}" if precision == "approximate" else text


@register.filter
def published(article) -> str:
    return at_precision(article.published_at, article.published_precision)


@register.filter
def date_basis(article) -> str:
    """Where the article's date comes from, for the reader: 'date from the page's metadata'."""
    if article.published_at is None:
        return "undated: the page and the text give no safe date"
    if article.published_basis == PublishedBasis.EDITOR:
        return "date set by an editor"
    label = PublishedBasis(article.published_basis).label if article.published_basis in PublishedBasis.values else "the page"
    approximate = " (approximate)" if article.published_precision == DatePrecision.APPROXIMATE else ""
    verb = "read from" if article.published_basis in (PublishedBasis.DATELINE, PublishedBasis.TEXT) else "from"
    return f"date {verb} {label}{approximate}"


@register.filter
def event_date(event) -> str:
    text = at_precision(event.start_date, event.start_precision)
    if event.end_date and event.end_date != event.start_date:
        text += " – " + at_precision(event.end_date, event.start_precision)
    return text


@register.filter
def thousands(value: int) -> str:
    return f"{value:,}"


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


@register.filter
def errors_for(form, name: str) -> list[str]:
    """A bound form's errors for one field, by name (for fields rendered in a loop)."""
    return form.errors.get(name, []) if form.is_bound else []


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def get_field_label(form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


# Writing direction and language names: see articles.text.language_names.


@register.filter
def text_dir(language: str) -> str:
    """The `dir` of a text in `language`: rtl (fa, ps, ur, ar), ltr, or auto when unknown."""
    return language_direction(language or "")


@register.filter
def language_label(language: str) -> str:
    """'Dari', 'Pashto', 'Urdu', 'English'..."""
    return language_name(language or "")


@dataclass(frozen=True)
class NativeNames:
    language: str
    label: str
    dir: str
    names: list[str]


@register.filter
def native_names(entity) -> list[NativeNames]:
    """An entity's names in Dari, Pashto and Urdu, a language at a time, in the order stored."""
    return [
        NativeNames(code, language_name(code), language_direction(code), list(names))
        for code, names in (getattr(entity, "names", None) or {}).items() if names
    ]
