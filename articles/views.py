from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles import selectors
from articles.models import Article

SLUG_FIELDS = [
    ("person", "Person", "zalmay-khalilzad"),
    ("organization", "Organization", "taliban"),
    ("place", "Place", "doha"),
    ("topic", "Topic", "doha-agreement"),
    ("source", "Outlet", "pni"),
]


def _slug_fields(request: HttpRequest, filterset) -> list[dict]:
    fields = []
    for name, label, example in SLUG_FIELDS:
        values = request.GET.getlist(name)
        fields.append({
            "name": name, "label": label, "example": example,
            "value": values[0] if values else "", "extra": values[1:],
            "errors": filterset.form.errors.get(name, []),
        })
    return fields


def article_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.article_list(params=request.GET)
    page_param = request.GET.get("page", "1")
    page_error = ""
    try:
        number = int(page_param)
        if not 1 <= number <= selectors.MAX_PAGE:
            raise ValueError
    except ValueError:
        number = 1
        page_error = f"Page must be a whole number from 1 to {selectors.MAX_PAGE}."
    if not filterset.is_valid() or page_error:
        context = {"filter": filterset, "page": None, "page_error": page_error,
                   "slug_fields": _slug_fields(request, filterset)}
        return render(request, "articles/list.html", context, status=400)
    page = selectors.article_page(filterset.qs, number=number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(),
               "slug_fields": _slug_fields(request, filterset)}
    return render(request, "articles/list.html", context)


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = selectors.article_detail(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    return render(request, "articles/detail.html", {"article": article})
