"""The events timeline and the event page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.browse.chips import chips, pickers
from articles.browse.querystring import replacing
from articles.models import Event
from articles.queries import events as reads
from articles.queries.filters import ORIGIN_CHOICES

from .common import bad_request, canonical_redirect, names_redirect, page_number


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    redirect = canonical_redirect(request)
    if redirect is not None:
        return redirect
    filterset = reads.event_list(params=request.GET)
    number, page_error = page_number(request)
    context = {
        "filter": filterset, "page_error": page_error, "kinds": Event.Kind.choices, "origins": ORIGIN_CHOICES,
        "chosen_kinds": request.GET.getlist("kind"),
        "pickers": [p for p in pickers(request.GET) if p.name in ("person", "organization", "place")],
    }
    if not filterset.is_valid() or page_error:
        return names_redirect(request, filterset.form) or bad_request(request, "articles/events.html", context)
    months, has_next = reads.event_page(filterset, number=number)
    context.update(
        months=months,
        chips=chips(filterset, request.GET),
        number=number,
        next_url=replacing(request.GET, page=str(number + 1)) if has_next else "",
        previous_url=replacing(request.GET, page=str(number - 1) if number > 2 else "") if number > 1 else "",
    )
    return render(request, "articles/events.html", context)


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = reads.event_detail(slug=slug)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None
    context = {"event": event, "reports": reads.event_reports(event)}
    return render(request, "articles/event.html", context)
