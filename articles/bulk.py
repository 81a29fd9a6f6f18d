"""Many rows of one model written in one statement, without the ORM's per-value work.

Django's bulk_create prepares every value of every row through the field's machinery and
bulk_update builds a CASE expression a field and a row: on the ingest path (some 80 rows an
article: tag links, quotes, evidence, LSH bands) that cost more CPU than the INSERTs themselves
(bench/throughput.py --profile 300). Here a row is the model instance's attribute values, passed
as they are when they are plain ints, strings, floats or booleans, and through the field's
`get_db_prep_save` otherwise. PostgreSQL only; elsewhere (SQLite, the tests' default) the ORM's own
bulk methods, which give the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

_PLAIN = (int, str, float, bool)


def _value(obj: Model, field, now):
    """A row's value; `now` for a field the ORM stamps on insert (auto_now, auto_now_add), unless None."""
    if now is not None and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        return now
    value = getattr(obj, field.attname)
    if value is None or type(value) in _PLAIN:
        return value
    return field.get_db_prep_save(value, connection)


def rows_insert(objects: Sequence[Model], *, ignore_conflicts: bool = False) -> None:
    """INSERT these new instances of one model (their primary keys are not read back)."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, ignore_conflicts=ignore_conflicts)
        return
    meta, quote, now = model._meta, connection.ops.quote_name, timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(objects))}" + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_value(obj, f, now) for obj in objects for f in fields])


def rows_update(objects: Sequence[Model], fields: list[str], *, where_in: dict[str, list] | None = None) -> None:
    """Save these fields of many rows of one model in one UPDATE ... FROM (VALUES ...), the instances'
    values as they are (an `updated_at` too: the caller sets it). `where_in`: only the rows whose
    field (by name) has one of these values, {"status": ["queued", "fetched"]}."""
    if not objects:
        return
    model = type(objects[0])
    where_in = where_in or {}
    if connection.vendor != "postgresql":
        model.objects.filter(**{f"{name}__in": values for name, values in where_in.items()}).bulk_update(objects, fields)
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in columns) + ")"
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET "  # noqa: S608
        + ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns[1:])
        + f" FROM (VALUES {', '.join([row] * len(objects))}) AS v({', '.join(quote(f.column) for f in columns)})"
        + f" WHERE t.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}"
        + "".join(f" AND t.{quote(meta.get_field(name).column)} = ANY(%s)" for name in where_in)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_value(obj, field, None) for obj in objects for field in columns] + [list(v) for v in where_in.values()])
