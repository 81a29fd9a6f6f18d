"""Paging that stays fast on any result size: one keyset core (keyset_rows) for the pages and the
API, the pages' date cursors, capped offsets for rank order and capped counts.

Date order walks the (published_at, id) index from a cursor, so page 1,000 costs what page 1
costs. Undated articles come after every dated one (a second, id-ordered phase), so the index is
used as it is and no NULL ordering trick is needed. Counts are capped: COUNT over a LIMITed
subquery, never over the whole result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

COUNT_CAP = 1000
MAX_OFFSET_PAGE = 200

_CURSOR = re.compile(r"^(?:d(?P<micros>-?\d{1,19})|n)\.(?P<id>\d{1,19})$")


class BadCursor(ValueError):
    pass


@dataclass
class Cursor:
    published_at: dt.datetime | None
    id: int

    def encode(self) -> str:
        if self.published_at is None:
            return f"n.{self.id}"
        micros = (self.published_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
        return f"d{micros}.{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        match = _CURSOR.match(text)
        if match is None:
            raise BadCursor("This page link is damaged; start again from the first page.")
        try:
            published = None
            if match["micros"] is not None:
                published = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(match["micros"]))
            return cls(published, int(match["id"]))
        except OverflowError:
            raise BadCursor("This page link is out of range; start again from the first page.") from None


@dataclass
class Page:
    items: list = field(default_factory=list)
    next_cursor: str = ""
    number: int = 1  # offset pages only
    has_next: bool = False
    is_first: bool = True


@dataclass(frozen=True)
class Position:
    """The last row a page showed: its value in the ordering column and its primary key."""

    value: Any
    pk: int


def keyset_rows(
    queryset: QuerySet, *, field: str, descending: bool, after: Position | None, limit: int, nullable: bool = True
) -> list:
    """Up to `limit` rows after `after` in (field, pk) order: the rows with a value first, then
    (when `nullable`) those without, by primary key.

    The one keyset core of the pages and the API. Each segment is a plain range of a (field, pk)
    index, which an `OR ... IS NULL` would not be; the inclusive bound lets the index seek, and
    the OR only settles ties on the bound.
    """
    later, sign = ("lt", "-") if descending else ("gt", "")
    rows: list = []
    if after is None or after.value is not None:
        with_value = queryset.filter(**{f"{field}__isnull": False}) if nullable else queryset
        if after is not None:
            with_value = with_value.filter(**{f"{field}__{later}e": after.value}).filter(
                Q(**{f"{field}__{later}": after.value}) | Q(**{f"pk__{later}": after.pk})
            )
        rows = list(with_value.order_by(f"{sign}{field}", f"{sign}pk")[:limit])
    if nullable and len(rows) < limit:
        without_value = queryset.filter(**{f"{field}__isnull": True})
        if after is not None and after.value is None:
            without_value = without_value.filter(**{f"pk__{later}": after.pk})
        rows += list(without_value.order_by(f"{sign}pk")[: limit - len(rows)])
    return rows


def keyset_page(
    queryset: QuerySet, *, cursor: str = "", newest_first: bool = True, size: int, date_field: str = "published_at"
) -> Page:
    """The pages' page in date order after `cursor`: dated rows by (date, id), then undated rows by id.

    `date_field` is the column ordered by: the article's date, or a joined tag table's copy of it
    (ArticleFilter.date_field), so the database can read the page in that index's order.
    """
    after = Cursor.decode(cursor) if cursor else None
    rows = keyset_rows(queryset, field=date_field, descending=newest_first, limit=size + 1,
                       after=None if after is None else Position(after.published_at, after.id))
    page = Page(items=rows[:size], has_next=len(rows) > size, is_first=after is None)
    if page.has_next:
        last = page.items[-1]
        page.next_cursor = Cursor(last.published_at, last.pk).encode()
    return page


def page_of_ids(queryset: QuerySet, ids: list[int], *, size: int) -> Page:
    """The first page of a result whose ids are known in order (one more than the page tells if
    another follows): the rows are read by primary key."""
    found = {row.pk: row for row in queryset.filter(pk__in=ids[:size])}
    page = Page(items=[found[pk] for pk in ids[:size] if pk in found], has_next=len(ids) > size, is_first=True)
    if page.has_next and page.items:
        last = page.items[-1]
        page.next_cursor = Cursor(last.published_at, last.pk).encode()
    return page


def offset_page(queryset: QuerySet, *, number: int, size: int) -> Page:
    """One page by position (for rank order), without COUNT: one row more tells if another follows."""
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(items=rows[:size], number=number, has_next=len(rows) > size and number < MAX_OFFSET_PAGE,
                is_first=number == 1)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counting no further than `cap`: (count, whether there are more)."""
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap
