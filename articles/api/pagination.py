"""Keyset pagination for the API: DRF's glue around the read layer's keyset core
(articles.queries.keyset.keyset_rows); every page costs the same, first or millionth.

An offset (`LIMIT 25 OFFSET 500000`) makes the database walk past every skipped row. A keyset
page starts where the last one ended instead (`WHERE (published_at, id) < (last shown)`), so an
index on `(published_at, id)` finds the page directly. The cursor carries that position.

Rows without a value in the ordering column (articles without a date) come last, in a second
segment ordered by id; each segment is a plain range on the index, which an `OR ... IS NULL`
would not be.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet, prefetch_related_objects
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from articles.queries.keyset import Position, keyset_rows

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Keyset:
    """The order of a list: one column, then the primary key in the same direction; nulls last."""

    field: str
    descending: bool = False

    @property
    def token(self) -> str:
        return ("-" if self.descending else "") + self.field


def encode_cursor(keyset: Keyset, position: Position) -> str:
    """The `cursor` parameter of the page that starts after `position`."""
    value = position.value
    if isinstance(value, dt.date | dt.datetime):
        value = value.isoformat()
    raw = json.dumps([keyset.token, value, position.pk], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class KeysetPagination(BasePagination):
    """`?cursor=` from the previous page's `next` link; `?page_size=` from 1 to 100.

    The view says the order with `get_keyset()`. The page is fetched without its prefetches,
    which then run once over the rows shown, so the query count does not depend on where the
    page falls.
    """

    page_size = 25
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list[Model]:
        keyset: Keyset = view.get_keyset()
        self.request = request
        size = self._page_size(request)
        position = self._position(request, queryset.model, keyset)
        lookups = queryset._prefetch_related_lookups
        rows = self._fetch(queryset.prefetch_related(None), keyset, position, size + 1)
        page = rows[:size]
        prefetch_related_objects(page, *lookups)
        self.next_position = Position(getattr(page[-1], keyset.field), page[-1].pk) if len(rows) > size else None
        self.keyset = keyset
        return page

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self._next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string", "format": "uri", "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param, "in": "query", "required": False,
                "description": "Where the page starts: copy it from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param, "in": "query", "required": False,
                "description": f"Results per page, from 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    # Reading the request

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def _position(self, request: Request, model: type[Model], keyset: Keyset) -> Position | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            token, value, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            if token != keyset.token:
                raise ValidationError({self.cursor_query_param: ["This cursor belongs to another list or order."]})
            whole = type(value) is int and -MAX_ID <= value <= MAX_ID  # an integer column's position
            if type(pk) is not int or not 0 < pk <= MAX_ID or not (value is None or isinstance(value, str) or whole):
                raise ValueError
            field = model._meta.get_field(keyset.field)
            if value is not None:
                value = field.to_python(value)
                if isinstance(value, dt.datetime) and value.tzinfo is None:
                    raise ValueError
            elif not field.null:
                raise ValueError
        except (ValueError, TypeError, UnicodeError, binascii.Error, DjangoValidationError):
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` link of the previous page."]}
            ) from None
        return Position(value, pk)

    def _next_link(self) -> str | None:
        if self.next_position is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, encode_cursor(self.keyset, self.next_position))

    # Querying

    @staticmethod
    def _fetch(queryset: QuerySet, keyset: Keyset, position: Position | None, limit: int) -> list[Model]:
        """Up to `limit` rows after `position`, by the read layer's keyset core."""
        return keyset_rows(queryset, field=keyset.field, descending=keyset.descending, after=position, limit=limit,
                           nullable=queryset.model._meta.get_field(keyset.field).null)
