"""The home page: the latest stories, the week's most mentioned, the latest events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from articles.models import ENTITY_KINDS, Article, Event
from articles.queries.articles import CARD_PREFETCH, NEWEST


def home_stories(*, limit: int = 10) -> list[Article]:
    """The latest dated relevant stories, one per story: copies in other outlets come as `also_in`."""
    stories = list(
        Article.objects.filter(is_relevant=True, duplicate_of__isnull=True, published_at__isnull=False)
        .select_related("source")
        .prefetch_related(*CARD_PREFETCH)
        .order_by(*NEWEST)[:limit]
    )
    return stories


@dataclass(frozen=True)
class Trend:
    kind: str
    slug: str
    name: str
    count: int
    before: int

    @property
    def change(self) -> int:
        return self.count - self.before


def home_week_end() -> dt.datetime:
    """The end of 'this week': now, or the newest relevant article when the archive has stopped."""
    newest = (
        Article.objects.filter(is_relevant=True, published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-published_at").values_list("published_at", flat=True).first()
    )
    return newest or timezone.now()


def home_trends(kind: str, *, end: dt.datetime, limit: int = 8) -> list[Trend]:
    """The most mentioned entities of a kind in the week to `end`, with the week before's count."""
    week = dt.timedelta(days=7)
    rows = (
        ENTITY_KINDS[kind].link_model.objects.filter(
            rejected=False, article__is_relevant=True, article__duplicate_of__isnull=True,
            article__published_at__gt=end - 2 * week, article__published_at__lte=end,
        )
        .values(slug=F(f"{kind}__slug"), name=F(f"{kind}__name"))
        .annotate(
            this_week=Count("id", filter=Q(article__published_at__gt=end - week)),
            last_week=Count("id", filter=Q(article__published_at__lte=end - week)),
        )
        .filter(this_week__gt=0)
        .order_by("-this_week", "name")[:limit]
    )
    return [Trend(kind, r["slug"], r["name"], r["this_week"], r["last_week"]) for r in rows]


def home_events(*, limit: int = 6) -> list[Event]:
    """The latest events of the reviewed timeline."""
    return list(
        Event.objects.filter(reviewed=True, rejected=False, start_date__isnull=False, start_date__lte=timezone.now().date())
        .select_related("place").order_by("-start_date", "title")[:limit]
    )
