"""The home page: the latest stories, who and what is talked about this week, recent events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.queries import home as reads


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    week_end = reads.home_week_end()
    context = {
        "stories": reads.home_stories(),
        "week_end": week_end,
        "people": reads.home_trends("person", end=week_end),
        "topics": reads.home_trends("topic", end=week_end),
        "events": reads.home_events(),
    }
    return render(request, "articles/home.html", context)
