"""The events timeline and an event's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.http import QueryDict

from articles.models import Article, Event, EventEvidence, EventParticipant
from articles.queries import keyset
from articles.queries.filters import EventFilter

EVENTS_PER_PAGE = 60


def event_list(*, params: QueryDict) -> EventFilter:
    return EventFilter(params, queryset=Event.objects.select_related("place"))


@dataclass
class Month:
    month: dt.date | None
    events: list[Event]


def event_page(filterset: EventFilter, *, number: int = 1) -> tuple[list[Month], bool]:
    """One page of the timeline, newest first, grouped by month; whether an older page follows."""
    queryset = filterset.qs.prefetch_related(
        Prefetch("participants", queryset=EventParticipant.objects.select_related("person", "organization")
                 .order_by("id"))
    ).order_by(F("start_date").desc(nulls_last=True), "title", "id")
    page = keyset.offset_page(queryset, number=number, size=EVENTS_PER_PAGE)
    months: list[Month] = []
    for event in page.items:
        key = event.start_date.replace(day=1) if event.start_date else None
        if not months or months[-1].month != key:
            months.append(Month(key, []))
        months[-1].events.append(event)
    return months, page.has_next


def event_detail(*, slug: str) -> Event:
    """A timeline or machine-made event; a rejected one does not exist for readers."""
    return (
        Event.objects.filter(rejected=False).select_related("place", "place__parent")
        .prefetch_related(
            Prefetch("participants", queryset=EventParticipant.objects.select_related("person", "organization")
                     .order_by("id"))
        )
        .get(slug=slug)
    )


@dataclass(frozen=True)
class EventReport:
    """An article linked to an event, with the tagger's evidence (None: an editor linked it)."""

    article: Article
    evidence: EventEvidence | None


def event_reports(event: Event, *, limit: int = 20) -> list[EventReport]:
    """The articles that report or name the event, oldest first, each with the sentence that shows it."""
    articles = list(
        event.articles.select_related("source").order_by(F("published_at").asc(nulls_last=True), "id")[:limit]
    )
    evidence = {
        e.article_id: e for e in EventEvidence.objects.filter(event=event, article__in=[a.pk for a in articles])
    }
    return [EventReport(article, evidence.get(article.pk)) for article in articles]
