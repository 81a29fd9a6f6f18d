"""What several views share: reading a page number, the 400 answer, clean URLs and names as slugs."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from articles.models import ENTITY_KINDS
from articles.queries import names
from articles.queries.keyset import MAX_OFFSET_PAGE


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
    """Send a query string with empty or default values to its clean, shareable form."""
    cleaned = request.GET.copy()
    for name in list(cleaned):
        values = [v for v in cleaned.getlist(name) if v.strip() and DEFAULTS.get(name) != v]
        if values:
            cleaned.setlist(name, values)
        else:
            del cleaned[name]
    if cleaned.urlencode() == request.GET.urlencode():
        return None
    return HttpResponseRedirect(f"{request.path}?{cleaned.urlencode()}" if cleaned else request.path)


def names_redirect(request: HttpRequest, form) -> HttpResponse | None:
    """For a filter form that refused an entity: the query with each value that names one entity
    (a name, alias, acronym, another case) as its slug, or, when a value names several, a page
    (300) of the choices, each a link to the query string that picks it. None when no refused
    value is a name we know: the form's 400 says why.

    Only a refused query pays for the lookup; a valid one is never read twice.
    """
    if not any(name in form.errors for name in names.MODELS):
        return None
    resolved = names.resolve_names(request.GET)
    if resolved.ambiguous:
        return _name_choices(request, resolved)
    if resolved.params.urlencode() == request.GET.urlencode():
        return None
    return HttpResponseRedirect(f"{request.path}?{resolved.params.urlencode()}")


@dataclass(frozen=True)
class _Question:
    value: str
    kinds: str  # "people", "organizations"...
    choices: list[tuple[str, str]]  # (name, the URL that picks it)


def _name_choices(request: HttpRequest, resolved: names.ResolvedNames) -> HttpResponse:
    plurals = {kind: entity.plural for kind, entity in ENTITY_KINDS.items()} | {"source": "outlets"}
    questions = []
    for ambiguous in resolved.ambiguous:
        choices = []
        for candidate in ambiguous.choices:
            picked = resolved.params.copy()
            picked.setlist(ambiguous.kind, [candidate.slug if v == ambiguous.value else v
                                            for v in picked.getlist(ambiguous.kind)])
            choices.append((candidate.name, f"{request.path}?{picked.urlencode()}"))
        questions.append(_Question(ambiguous.value, plurals[ambiguous.kind], choices))
    return render(request, "articles/choose.html", {"questions": questions}, status=300)
