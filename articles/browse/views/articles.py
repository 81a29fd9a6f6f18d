"""The article list (with its feed, CSV export and picker endpoint) and the article page."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.api.export import EXPORT_FIELDS, SpreadsheetSafeWriter, TextAtom1Feed, article_export, export_queryset
from articles.browse import chips as chip_builder
from articles.browse.facets import facet_links
from articles.browse.highlight import article_body_html
from articles.browse.querystring import replacing
from articles.browse.search import highlights
from articles.browse.versions import body_diff, text_diff
from articles.models import ENTITY_KINDS, Article
from articles.queries import articles as reads
from articles.queries.facets import article_facets
from articles.queries.filters import COPIES_CHOICES, PERIOD_CHOICES, SORT_CHOICES, ArticleFilter
from articles.queries.keyset import BadCursor
from articles.queries.suggest import entity_suggest as suggestions
from articles.queries.versions import article_history, article_texts, article_with_source

from .common import bad_request, canonical_redirect, names_redirect, page_number

FEED_SIZE = 50
EXPORT_MAX_ROWS = 100_000


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    redirect = canonical_redirect(request)
    if redirect is not None:
        return redirect
    filterset = reads.article_list(params=request.GET)
    number, page_error = page_number(request)
    context = {
        "filter": filterset, "page_error": page_error, "sort_links": [], "page": None,
        "period_choices": PERIOD_CHOICES, "pickers": chip_builder.pickers(request.GET),
        "languages": [code for code in request.GET.getlist("language") if code],
    }
    if not filterset.is_valid() or page_error:
        redirect = names_redirect(request, filterset.form)
        if redirect is not None:
            return redirect
        context["chips"] = []
        return bad_request(request, "articles/list.html", context)
    sample = reads.article_sample(filterset)
    try:
        page = reads.article_page(filterset, cursor=request.GET.get("cursor", ""), number=number, sample=sample)
    except BadCursor as error:
        context.update(chips=[], page_error=str(error))
        return bad_request(request, "articles/list.html", context)
    count, more = reads.article_count(sample)
    context.update(
        page=page,
        count=count,
        count_more=more,
        facets=facet_links(article_facets(sample), request.GET),
        facet_sample=reads.FACET_SAMPLE,
        highlights=(highlights(Article, [a.pk for a in page.articles], filterset.form.cleaned_data["q"])
                    if filterset.searching else {}),
        chips=chip_builder.chips(filterset, request.GET),
        sort=filterset.sort_order,
        sort_links=[(value, label, replacing(request.GET, sort="" if value == "newest" else value))
                    for value, label in SORT_CHOICES],
        stories_only=filterset.stories_only,
        copies=request.GET.get("copies") or "stories",
        copies_links=[(value, label, replacing(request.GET, copies="" if value == "stories" else value))
                      for value, label in COPIES_CHOICES],
        period_links=[(value, label, replacing(request.GET, period=value, date_after="", date_before=""))
                      for value, label in [("", "Any time"), *PERIOD_CHOICES]],
        next_url=(replacing(request.GET, cursor=page.next_cursor) if page.next_cursor
                  else replacing(request.GET, page=str(page.number + 1)) if page.has_next else ""),
        first_url=replacing(request.GET),
        feed_url=reverse("articles:feed") + replacing(request.GET, sort=""),
        csv_url=reverse("articles:export_csv") + replacing(request.GET),
    )
    return render(request, "articles/list.html", context)


def _valid_filter(request: HttpRequest) -> ArticleFilter | HttpResponse:
    filterset = ArticleFilter(request.GET, queryset=export_queryset())
    if not filterset.is_valid():
        reasons = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
        return HttpResponse(f"Bad filter: {reasons}\n", status=400, content_type="text/plain; charset=utf-8")
    return filterset


@require_GET
def article_feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the newest articles of any filtered list."""
    filterset = _valid_filter(request)
    if isinstance(filterset, HttpResponse):
        return filterset
    list_url = request.build_absolute_uri(reverse("articles:list") + replacing(request.GET))
    feed = TextAtom1Feed(
        title="Newsroom: " + (chip_builder.describe(filterset) or "all articles"),
        link=list_url,
        description="Articles on the Afghanistan peace process, as filtered on Newsroom.",
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    for article in filterset.qs.order_by(F("published_at").desc(nulls_last=True), "-id")[:FEED_SIZE]:
        feed.add_item(
            title=article.title,
            link=request.build_absolute_uri(article.get_absolute_url()),
            unique_id=request.build_absolute_uri(article.get_absolute_url()),
            description=article.body[:600],
            pubdate=article.published_at or article.created_at,
            updateddate=article.updated_at,
            author_name=article.byline or (article.source.name if article.source else None),
            categories=[link.topic.name for link in article.topic_links.all()],
            language=article.language,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(filterset: ArticleFilter) -> Iterator[str]:
    writer = SpreadsheetSafeWriter(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for article in filterset.qs[:EXPORT_MAX_ROWS].iterator(chunk_size=500):
        record = article_export(article)
        record["events"] = [event["title"] for event in record["events"]]
        yield writer.writerow(
            "; ".join(value) if isinstance(value, list) else ("" if value is None else value)
            for value in (record[name] for name in EXPORT_FIELDS)
        )


@require_GET
def article_export_csv(request: HttpRequest) -> HttpResponse:
    """Every article of a filtered list (up to EXPORT_MAX_ROWS) as CSV, streamed row by row."""
    filterset = _valid_filter(request)
    if isinstance(filterset, HttpResponse):
        return filterset
    response = StreamingHttpResponse(_csv_rows(filterset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsroom-articles.csv"'
    return response


@require_GET
def entity_suggest(request: HttpRequest) -> JsonResponse:
    """The picker's type-ahead: `?kind=person&q=khal` gives up to 8 matching entities."""
    kind = request.GET.get("kind", "")
    text = request.GET.get("q", "")
    if kind not in ("", *ENTITY_KINDS, "source", "event"):
        return JsonResponse({"error": "kind must be person, organization, place, topic, source or event."}, status=400)
    if len(text) > 100 or "\x00" in text:
        return JsonResponse({"error": "q must be at most 100 characters of text."}, status=400)
    return JsonResponse({"results": suggestions(kind=kind, text=text)})


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = reads.article_detail(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    context = {
        "article": article,
        "body_html": article_body_html(article),
        "same_story": reads.article_same_story(article),
        "related": reads.article_related(article),
        "quotes": reads.article_quotes(article),
        "history": article_history(article),
    }
    return render(request, "articles/detail.html", context)


def _version_number(request: HttpRequest, name: str, default: int, newest: int) -> tuple[int, str]:
    raw = request.GET.get(name, "")
    if raw == "":
        return default, ""
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= newest):
        return default, f"{name} must be a version number from 1 to {newest}."
    return int(raw), ""


@require_GET
def article_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every text the article had, and what changed between two of them (`from`, `to`: version numbers)."""
    article = article_with_source(pk)
    if article is None:
        raise Http404("No such article.")
    texts = article_texts(article)
    newest = len(texts)
    old_number, old_error = _version_number(request, "from", max(newest - 1, 1), newest)
    new_number, new_error = _version_number(request, "to", newest, newest)
    errors = [error for error in (old_error, new_error) if error]
    if not errors and newest > 1 and old_number >= new_number:
        errors.append("from must be an earlier version than to.")
    context = {
        "article": article, "texts": texts[::-1], "newest": newest, "errors": errors,
        "old_number": old_number, "new_number": new_number,
    }
    if errors:
        return bad_request(request, "articles/versions.html", context)
    if newest > 1:
        old, new = texts[old_number - 1], texts[new_number - 1]
        context.update(
            old=old, new=new,
            title_diff=text_diff(old.title, new.title) if old.title != new.title else None,
            byline_diff=text_diff(old.byline, new.byline) if old.byline != new.byline else None,
            source_changed=old.source != new.source,
            body_diff=body_diff(old.body, new.body),
        )
    return render(request, "articles/versions.html", context)
