"""The site's URLs plus two measuring points for bench/pages.py (never served by the real site).

- /bench/floor/: the floor, a bare page of the 50 newest articles (one indexed query, a minimal
  template), so every other page can be read as a multiple of it.
- /bench/facets/: the list's facet sidebar alone, for a query string of the list.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from articles.browse.facets import facet_links
from articles.models import Article
from articles.queries.articles import article_list, article_sample
from articles.queries.facets import article_facets
from newsroom.urls import urlpatterns as site_urlpatterns

FLOOR_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>Floor</title><ol>{% for a in articles %}"
    '<li><a href="{{ a.get_absolute_url }}">{{ a.title }}</a> {{ a.source.name }} {{ a.published_at|date:"j M Y" }}</li>'
    "{% endfor %}</ol>"
)


def floor(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("source").order_by("-published_at", "-id")[:50]
    return HttpResponse(FLOOR_TEMPLATE.render({"articles": articles}, request))


def facets(request: HttpRequest) -> HttpResponse:
    filterset = article_list(params=request.GET)
    if not filterset.is_valid():
        return HttpResponse(str(filterset.errors), status=400, content_type="text/plain")
    found = facet_links(article_facets(article_sample(filterset)), request.GET)
    lines = [f"{facet.name}: " + ", ".join(f"{i.name} ({i.count})" for i in facet.items) for facet in found]
    return HttpResponse("\n".join(lines), content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/facets/", facets),
    *site_urlpatterns,
]
