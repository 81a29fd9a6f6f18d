"""Links that add or remove one filter value while keeping the rest of a shareable list URL."""

from __future__ import annotations

from django.http import QueryDict

# Paging restarts whenever the filters change.
PAGING = ("cursor", "page")


def _copy(params: QueryDict) -> QueryDict:
    query = params.copy()
    for name in PAGING:
        query.pop(name, None)
    return query


def with_value(params: QueryDict, name: str, value: str) -> str:
    query = _copy(params)
    values = query.getlist(name)
    if value not in values:
        query.setlist(name, [*values, value])
    return "?" + query.urlencode()


def replacing(params: QueryDict, **values: str) -> str:
    query = _copy(params)
    for name, value in values.items():
        if value:
            query[name] = value
        else:
            query.pop(name, None)
    return "?" + query.urlencode()


def without_value(params: QueryDict, name: str, value: str | None = None) -> str:
    query = _copy(params)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


def narrowing(params: QueryDict, name: str, value: str) -> str:
    """Add a value so that the result narrows: with others of its kind, every one must match."""
    query = _copy(params)
    values = query.getlist(name)
    if value not in values:
        query.setlist(name, [*values, value])
    if values and name not in ("source", "language"):  # an article has one outlet and one language
        query["match"] = "all"
    return "?" + query.urlencode()
