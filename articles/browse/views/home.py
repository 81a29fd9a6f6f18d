"""The home page: the latest stories, who and what is talked about this week, recent events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    week_end = selectors.home_week_end()
    context = {
        "stories": selectors.home_stories(),
        "week_end": week_end,
        "people": selectors.home_trends("person", end=week_end),
        "topics": selectors.home_trends("topic", end=week_end),
        "events": selectors.home_events(),
    }
    return render(request, "articles/home.html", context)
