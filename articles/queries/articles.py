"""The article list and an article's page: each read returns what the page shows, in a fixed
number of queries.

Nothing here counts or groups a whole large table: counts are capped, and the list's count and
facets are read from one bounded sample of the newest matching articles (article_sample).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.http import QueryDict

from articles.models import ENTITY_KINDS, Article, EntityKind, Event, Quote
from articles.queries import keyset
from articles.queries.filters import ArticleFilter

PAGE_SIZE = 25
MAX_PAGE = keyset.MAX_OFFSET_PAGE
# Facets are counted over the result's newest FACET_SAMPLE articles, and the same read caps its count.
FACET_SAMPLE = keyset.COUNT_CAP
RELATED_WINDOW = dt.timedelta(days=30)
RELATED_CANDIDATES = 2000
# Newest first, undated last: the order of the index on relevant articles (article_relevant_recent_idx).
NEWEST = (F("published_at").desc(nulls_last=True), F("id").desc())


def tag_links(kind: EntityKind) -> Prefetch:
    """An article's accepted tags of one kind (`person_links`...), each with its entity, most mentioned first."""
    return Prefetch(
        f"{kind.name}_links",
        queryset=kind.link_model.objects.filter(rejected=False).select_related(kind.link_field)
        .order_by("-mentions", "id"),
    )


# The other outlets that ran a story (its copies), as `also_in`: their outlet and date, not their text.
ALSO_IN = Prefetch(
    "duplicates",
    queryset=Article.objects.select_related("source").only("duplicate_of", "published_at", "source__name")
    .order_by(F("published_at").asc(nulls_last=True), "id"),
    to_attr="also_in",
)
# What a card in a list shows beside the title: the outlet, people and topics, the story's copies.
CARD_PREFETCH = (tag_links(ENTITY_KINDS["person"]), tag_links(ENTITY_KINDS["topic"]), ALSO_IN)


def with_cards(articles: list[Article]) -> list[Article]:
    """The articles with what their cards show (CARD_PREFETCH), read once for the whole page."""
    prefetch_related_objects(articles, *CARD_PREFETCH)
    return articles


# --- the article list ---------------------------------------------------------------------------


def article_list(*, params: QueryDict) -> ArticleFilter:
    """The filter set for a query string; `.qs` is the filtered, ordered queryset."""
    return ArticleFilter(params, queryset=Article.objects.select_related("source"))


@dataclass
class ArticlePage:
    articles: list[Article]
    number: int
    has_next: bool
    next_cursor: str = ""
    is_first: bool = True


def article_page(
    filterset: ArticleFilter, *, cursor: str = "", number: int = 1, size: int | None = None,
    sample: list[int] | None = None,
) -> ArticlePage:
    """The page of a valid filter set: keyset by date, offset by rank.

    The first page newest first is the head of the facet sample when it is given (article_sample
    reads the result in that order already), so the result is searched once, not twice.
    Raises keyset.BadCursor for a damaged cursor. `size` defaults to PAGE_SIZE as it is when called.
    """
    size = size or PAGE_SIZE
    queryset = filterset.qs
    if sample is not None and not cursor and filterset.sort_order == "newest":
        page = keyset.page_of_ids(Article.objects.select_related("source"), sample, size=size)
    elif filterset.sort_order == "relevance":
        page = keyset.offset_page(queryset, number=number, size=size)
    else:
        page = keyset.keyset_page(queryset, cursor=cursor, newest_first=filterset.sort_order == "newest", size=size,
                                  date_field=filterset.date_field)
    return ArticlePage(with_cards(page.items), page.number, page.has_next, page.next_cursor, page.is_first)


def article_sample(filterset: ArticleFilter) -> list[int]:
    """The ids of the result's newest FACET_SAMPLE articles, and one more if there are more.

    Newest first in the order of an index (article_relevant_recent_idx, or the driving entity's
    date index), so it is an index range rather than a sort of the whole result; read once for
    both the capped count and the facets. Undated articles come last, read only when needed.
    """
    wanted = FACET_SAMPLE + 1
    date = filterset.date_field
    if date == "published_at":  # one range of article_relevant_recent_idx, undated rows included
        return list(filterset.qs.order_by(*NEWEST).values_list("pk", flat=True)[:wanted])
    queryset = filterset.qs.order_by()
    ids = list(queryset.filter(**{f"{date}__isnull": False}).order_by(f"-{date}", "-id")
               .values_list("pk", flat=True)[:wanted])
    if len(ids) < wanted and filterset.date_range() == (None, None):
        ids += queryset.filter(**{f"{date}__isnull": True}).order_by("-id").values_list("pk", flat=True)[
            : wanted - len(ids)]
    return ids


def article_count(sample: list[int]) -> tuple[int, bool]:
    """The result's size from its sample: (count up to the cap, whether there are more)."""
    return min(len(sample), FACET_SAMPLE), len(sample) > FACET_SAMPLE


# --- an article ---------------------------------------------------------------------------------


def article_detail(*, pk: int) -> Article:
    return (
        Article.objects.select_related("source", "duplicate_of", "duplicate_of__source")
        .prefetch_related(
            *(tag_links(kind) for kind in ENTITY_KINDS.values()),
            Prefetch("events", queryset=Event.objects.select_related("place").order_by("start_date")),
        )
        .get(pk=pk)
    )


def article_same_story(article: Article) -> list[Article]:
    """The other outlets' versions of the same story: the original and its copies."""
    root_id = article.duplicate_of_id or article.pk
    return list(
        Article.objects.filter(Q(pk=root_id) | Q(duplicate_of_id=root_id))
        .exclude(pk=article.pk)
        .select_related("source")
        .order_by(F("published_at").asc(nulls_last=True), "id")[:20]
    )


def article_related(article: Article, *, limit: int = 6) -> list[Article]:
    """Other stories sharing the most people, organizations and topics, near it in time when dated.

    Each kind's shared tags are read from the (entity, published_at) index within RELATED_WINDOW
    of the article (at most RELATED_CANDIDATES of them, the newest), so a much-mentioned
    entity costs a bounded range, not every article it was ever tagged in.
    """
    shared: dict[int, int] = {}
    story = [i for i in (article.pk, article.duplicate_of_id) if i]
    for kind, weight in (("person", 2), ("organization", 1), ("topic", 2)):
        ids = [getattr(link, f"{kind}_id") for link in getattr(article, f"{kind}_links").all()]
        if not ids:
            continue
        links = ENTITY_KINDS[kind].link_model.objects.filter(
            rejected=False, article_relevant=True, **{f"{kind}_id__in": ids}
        ).exclude(article_id__in=story)
        if article.published_at:
            links = links.filter(published_at__range=(
                article.published_at - RELATED_WINDOW, article.published_at + RELATED_WINDOW))
        nearest = links.order_by("-published_at").values("article_id")[:RELATED_CANDIDATES]
        rows = (
            ENTITY_KINDS[kind].link_model.objects.filter(article_id__in=nearest, **{f"{kind}_id__in": ids})
            .values("article_id").annotate(n=Count("id")).order_by("-n")[:50]
        )
        for row in rows:
            shared[row["article_id"]] = shared.get(row["article_id"], 0) + weight * row["n"]
    best = sorted(shared, key=lambda pk: (-shared[pk], -pk))
    if not best:
        return []
    # Copies of a story are left out here rather than in the scan: it keeps the scan to one index.
    found = {a.pk: a for a in Article.objects.filter(pk__in=best[:limit * 4], duplicate_of__isnull=True)
             .select_related("source")}
    return [found[pk] for pk in best if pk in found][:limit]


def article_quotes(article: Article) -> list:
    """What the article quotes, in the order it quotes it."""
    return list(Quote.objects.filter(article=article).select_related("speaker_person", "speaker_organization")
                .order_by("offset")[:30])
