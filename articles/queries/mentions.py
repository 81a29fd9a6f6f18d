"""An entity's relevant stories per month: precomputed months plus a live count of the rest.

The rollup (MentionMonth) is rebuilt whole by a periodic task; the chart adds the months from the
rollup's `through` on, read live from the (entity, published_at) index. Before any refresh, every
month is live, which is fine at a small size.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.models import TAG_LINK_MODELS, MentionMonth


def _accepted(kind: str):
    """Accepted tags of relevant, dated stories (another outlet's copy counts once, as its story)."""
    return TAG_LINK_MODELS[kind].objects.filter(
        rejected=False, article_relevant=True, article_is_copy=False, published_at__isnull=False)


def _by_month(queryset, *fields: str):
    # Count("*") lets PostgreSQL answer from the index alone (id is not in it).
    return queryset.annotate(month=TruncMonth("published_at")).values(*fields, "month").annotate(n=Count("*"))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def mention_months_refresh(*, now: dt.datetime | None = None) -> int:
    """Rebuild the rollup for every month before the current one; returns the rows written."""
    now = now or timezone.now()
    through = now.date().replace(day=1)
    start = dt.datetime(through.year, through.month, 1, tzinfo=dt.UTC)
    rows = []
    for kind in TAG_LINK_MODELS:
        for row in _by_month(_accepted(kind).filter(published_at__lt=start), kind):
            rows.append(MentionMonth(kind=kind, entity_id=row[kind], month=_as_date(row["month"]),
                                     articles=row["n"], through=through))
    with transaction.atomic():
        MentionMonth.objects.all().delete()
        MentionMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def entity_months(kind: str, entity_id: int) -> dict[dt.date, int]:
    """Relevant articles tagged with the entity, by month (first day), all months with any."""
    counts: dict[dt.date, int] = {}
    through = None
    for row in MentionMonth.objects.filter(kind=kind, entity_id=entity_id).values("month", "articles", "through"):
        counts[row["month"]] = row["articles"]
        through = row["through"]
    live = _accepted(kind).filter(**{kind: entity_id})
    if through is not None:
        live = live.filter(published_at__gte=dt.datetime(through.year, through.month, 1, tzinfo=dt.UTC))
    for row in _by_month(live).order_by():
        month = _as_date(row["month"])
        counts[month] = counts.get(month, 0) + row["n"]
    return counts
