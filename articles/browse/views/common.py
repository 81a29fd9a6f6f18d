"""What several views share: reading a page number, and the 400 answer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from articles import selectors
from articles.browse.pagination import MAX_OFFSET_PAGE


def page_number(request: HttpRequest) -> tuple[int, str]:
    """The `page` parameter and an error message ('' when fine)."""
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_OFFSET_PAGE:
        return 1, f"Page must be a whole number from 1 to {MAX_OFFSET_PAGE}."
    return number, ""


def bad_request(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400)


# Values the form always sends that change nothing: left out of the shareable URL.
DEFAULTS = {"match": "any", "relevant": "yes", "sort": "newest", "copies": "stories"}


def canonical_redirect(request: HttpRequest) -> HttpResponse | None:
    """Send a query string with empty or default values or typed names to its clean, shareable form."""
    cleaned = request.GET.copy()
    for name in list(cleaned):
        values = [v for v in cleaned.getlist(name) if v.strip() and DEFAULTS.get(name) != v]
        if values:
            cleaned.setlist(name, values)
        else:
            del cleaned[name]
    resolved = selectors.resolve_names(cleaned) or cleaned
    if resolved.urlencode() == request.GET.urlencode():
        return None
    return HttpResponseRedirect(f"{request.path}?{resolved.urlencode()}" if resolved else request.path)
