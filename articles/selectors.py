"""Reads for the pages: each returns what one page shows, in a fixed number of queries.

Nothing here counts or groups a whole large table: counts are capped, facets and co-mentions are
computed over a bounded sample of the newest matching articles (top-N, one grouped query each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from articles.browse import names, pagination
from articles.browse.charts import MonthlyChart, monthly_chart
from articles.browse.highlight import Linked, body_html
from articles.browse.languages import language_name
from articles.browse.mentions import entity_months
from articles.browse.querystring import narrowing
from articles.browse.search import highlights
from articles.filters import ArticleFilter, EventFilter
from articles.models import (
    TAG_LINK_MODELS,
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Event,
    EventEvidence,
    EventParticipant,
    Organization,
    Person,
    PersonRole,
    Place,
    Source,
    Topic,
)

PAGE_SIZE = 25
MAX_PAGE = pagination.MAX_OFFSET_PAGE
# Facets are counted over the result's newest FACET_SAMPLE articles, and the same read caps its count.
FACET_SAMPLE = pagination.COUNT_CAP
FACET_SIZE = 8
RELATED_WINDOW = dt.timedelta(days=30)
RELATED_CANDIDATES = 2000
# Newest first, undated last: the order of the index on relevant articles (article_relevant_recent_idx).
NEWEST = (F("published_at").desc(nulls_last=True), F("id").desc())


@dataclass(frozen=True)
class EntityKind:
    """A kind of knowledge-base entity, its tag table and how the pages name it."""

    name: str
    model: type
    link_model: type
    plural: str
    label: str


ENTITY_KINDS: dict[str, EntityKind] = {
    "person": EntityKind("person", Person, TAG_LINK_MODELS["person"], "people", "People"),
    "organization": EntityKind("organization", Organization, TAG_LINK_MODELS["organization"], "organizations", "Organizations"),
    "place": EntityKind("place", Place, TAG_LINK_MODELS["place"], "places", "Places"),
    "topic": EntityKind("topic", Topic, TAG_LINK_MODELS["topic"], "topics", "Topics"),
}


def _links(model, entity: str, related: str) -> Prefetch:
    return Prefetch(
        related,
        queryset=model.objects.filter(rejected=False).select_related(entity).order_by("-mentions", "id"),
    )


# The other outlets that ran a story (its copies), as `also_in`: their outlet and date, not their text.
ALSO_IN = Prefetch(
    "duplicates",
    queryset=Article.objects.select_related("source").only("duplicate_of", "published_at", "source__name")
    .order_by(F("published_at").asc(nulls_last=True), "id"),
    to_attr="also_in",
)
# What a card in a list shows beside the title: the outlet, people and topics, the story's copies.
CARD_PREFETCH = (_links(ArticlePerson, "person", "person_links"), _links(ArticleTopic, "topic", "topic_links"), ALSO_IN)


def _cards(articles: list[Article]) -> list[Article]:
    from django.db.models import prefetch_related_objects

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
    highlights: dict = field(default_factory=dict)  # article id -> search.Highlight


def article_page(
    filterset: ArticleFilter, *, cursor: str = "", number: int = 1, size: int = PAGE_SIZE, sample: list[int] | None = None
) -> ArticlePage:
    """The page of a valid filter set: keyset by date, offset by rank; highlights for this page only.

    The first page newest first is the head of the facet sample when it is given (article_sample
    reads the result in that order already), so the result is searched once, not twice.
    Raises pagination.BadCursor for a damaged cursor.
    """
    queryset = filterset.qs
    if sample is not None and not cursor and filterset.sort_order == "newest":
        page = pagination.page_of_ids(Article.objects.select_related("source"), sample, size=size)
    elif filterset.sort_order == "relevance":
        page = pagination.offset_page(queryset, number=number, size=size)
    else:
        page = pagination.keyset_page(queryset, cursor=cursor, newest_first=filterset.sort_order == "newest", size=size,
                                      date_field=filterset.date_field)
    articles = _cards(page.items)
    found = {}
    if filterset.searching:
        found = highlights(Article, [a.pk for a in articles], filterset.form.cleaned_data["q"])
    return ArticlePage(articles, page.number, page.has_next, page.next_cursor, page.is_first, found)


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


@dataclass(frozen=True)
class FacetItem:
    slug: str
    name: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str  # the list parameter
    label: str
    items: list[FacetItem]


def article_facets(sample: list[int], params: QueryDict) -> list[Facet]:
    """Languages, then top people, organizations, topics, places and outlets of the result: one
    grouped query each.

    Counted over the result's sample (article_sample), passed as ids: as a subquery the database
    would find the sample again for every facet.
    """
    sample = sample[:FACET_SAMPLE]
    if not sample:
        return []
    facets = []
    for kind in ("person", "organization", "topic", "place"):
        entity = ENTITY_KINDS[kind]
        rows = (
            entity.link_model.objects.filter(article__in=sample, rejected=False)
            .values(slug=F(f"{kind}__slug"), name=F(f"{kind}__name"))
            .annotate(n=Count("id"))
            .order_by("-n", "name")[:FACET_SIZE]
        )
        facets.append(_facet(kind, entity.label, rows, params))
    rows = (
        Article.objects.filter(pk__in=sample, source__isnull=False)
        .values(slug=F("source__slug"), name=F("source__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "name")[:FACET_SIZE]
    )
    facets.append(_facet("source", "Outlets", rows, params))
    rows = (
        Article.objects.filter(pk__in=sample).exclude(language="")
        .values(slug=F("language")).annotate(n=Count("id"))
        .order_by("-n", "slug")[:FACET_SIZE]
    )
    facets.insert(0, _facet("language", "Languages", [{**r, "name": language_name(r["slug"])} for r in rows], params))
    return [f for f in facets if f.items]


def _facet(name: str, label: str, rows, params: QueryDict) -> Facet:
    chosen = set(params.getlist(name))
    return Facet(name, label, [
        FacetItem(r["slug"], r["name"], r["n"], r["slug"] in chosen, narrowing(params, name, r["slug"])) for r in rows
    ])


@dataclass(frozen=True)
class AmbiguousName:
    """A value of parameter `kind` that names several entities: `choices`, by name."""

    kind: str
    value: str
    choices: tuple[names.Candidate, ...]


@dataclass(frozen=True)
class ResolvedNames:
    params: QueryDict  # each value that names one entity replaced by its slug
    ambiguous: list[AmbiguousName]


def resolve_names(params: QueryDict) -> ResolvedNames:
    """The query string with entities given by name, alias, acronym or another case as slugs.

    A value that is a slug, or names nothing, is left for the filter to accept or refuse; a value
    that names several entities is reported in `ambiguous` and left as it is.
    """
    resolved = params.copy()
    ambiguous = []
    for kind in names.MODELS:
        values = []
        for value in params.getlist(kind):
            candidates = names.name_candidates(kind, value)
            if len(candidates) > 1:
                ambiguous.append(AmbiguousName(kind, value, candidates))
            values.append(candidates[0].slug if len(candidates) == 1 else value)
        if values:
            resolved.setlist(kind, values)
    return ResolvedNames(resolved, ambiguous)


# --- an article ---------------------------------------------------------------------------------


def article_detail(*, pk: int) -> Article:
    return (
        Article.objects.select_related("source", "duplicate_of", "duplicate_of__source")
        .prefetch_related(
            _links(ArticlePerson, "person", "person_links"),
            _links(ArticleOrganization, "organization", "organization_links"),
            _links(ArticlePlace, "place", "place_links"),
            _links(ArticleTopic, "topic", "topic_links"),
            Prefetch("events", queryset=Event.objects.select_related("place").order_by("start_date")),
        )
        .get(pk=pk)
    )


def _linked_entities(article: Article) -> dict[tuple[str, int], Linked]:
    linked = {}
    for kind in ("person", "organization", "place"):
        for link in getattr(article, f"{kind}_links").all():
            entity = getattr(link, kind)
            linked[(kind, entity.pk)] = Linked(kind, entity.name, entity.get_absolute_url())
    return linked


def article_body_html(article: Article):
    """The body with its linked mentions of people, organizations and places marked up."""
    return body_html(article.body, _linked_entities(article))


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


# --- entity pages -------------------------------------------------------------------------------


def entity_get(kind: str, slug: str):
    """The entity with what its profile shows; raises the model's DoesNotExist."""
    model = ENTITY_KINDS[kind].model
    queryset = model.objects.all()
    if kind == "person":
        queryset = queryset.select_related("affiliation").prefetch_related(
            Prefetch("roles", queryset=PersonRole.objects.select_related("organization")
                     .order_by(F("start_date").asc(nulls_first=True)))
        )
    elif kind in ("organization", "place", "topic"):
        queryset = queryset.select_related("parent").prefetch_related(
            Prefetch("children", queryset=model.objects.order_by("name"))
        )
    return queryset.get(slug=slug)


def _entity_tags(kind: str, entity) -> QuerySet:
    """An entity's accepted tags on relevant stories (copies left out): a range of its (entity,
    published_at) index."""
    return ENTITY_KINDS[kind].link_model.objects.filter(
        rejected=False, article_relevant=True, article_is_copy=False, **{kind: entity})


def _entity_sample(kind: str, entity):
    """The newest stories tagged with an entity (by id, which the (entity, article) index serves)."""
    return (
        ENTITY_KINDS[kind].link_model.objects.filter(rejected=False, article_is_copy=False, **{kind: entity})
        .order_by("-article_id").values("article_id")[:FACET_SAMPLE]
    )


def entity_mentions_chart(kind: str, entity) -> MonthlyChart | None:
    return monthly_chart(entity_months(kind, entity.pk))


@dataclass(frozen=True)
class CoMention:
    kind: str
    slug: str
    name: str
    count: int


def entity_co_mentions(kind: str, entity, *, limit: int = FACET_SIZE) -> dict[str, list[CoMention]]:
    """The people and organizations most often named in the same articles (over the newest ones)."""
    sample = _entity_sample(kind, entity)
    result = {}
    for other in ("person", "organization"):
        links = ENTITY_KINDS[other].link_model.objects.filter(article_id__in=sample, rejected=False)
        if other == kind:
            links = links.exclude(**{kind: entity})
        rows = links.values(slug=F(f"{other}__slug"), name=F(f"{other}__name")).annotate(n=Count("id")).order_by(
            "-n", "name")[:limit]
        result[other] = [CoMention(other, r["slug"], r["name"], r["n"]) for r in rows]
    return result


def entity_events(kind: str, entity, *, limit: int = 12, reviewed: bool = True) -> list[Event]:
    """The entity's events on the timeline (curated or confirmed), or with `reviewed=False` the
    tagger's unreviewed ones: the page shows them apart."""
    events = Event.objects.select_related("place").filter(reviewed=reviewed, rejected=False)
    if kind in ("person", "organization"):
        events = events.filter(Exists(EventParticipant.objects.filter(event=OuterRef("pk"), **{kind: entity})))
    elif kind == "place":
        events = events.filter(Q(place=entity) | Q(place__parent=entity))
    else:
        events = events.filter(articles__in=_entity_sample(kind, entity)).distinct()
    return list(events.order_by(F("start_date").desc(nulls_last=True), "title")[:limit])


def entity_latest_articles(kind: str, entity, *, limit: int = 10) -> list[Article]:
    """The newest dated stories, with their copies: the newest tags of the entity's date index,
    then those articles."""
    newest = (
        _entity_tags(kind, entity).filter(published_at__isnull=False)
        .order_by("-published_at", "-article_id").values("article_id")[:limit]
    )
    return list(Article.objects.filter(pk__in=newest).select_related("source").prefetch_related(ALSO_IN)
                .order_by(*NEWEST))


def entity_article_count(kind: str, entity) -> tuple[int, bool]:
    return pagination.capped_count(_entity_tags(kind, entity))


# --- events -------------------------------------------------------------------------------------

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
    page = pagination.offset_page(queryset, number=number, size=EVENTS_PER_PAGE)
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


# --- home ---------------------------------------------------------------------------------------


def home_stories(*, limit: int = 10) -> list[Article]:
    """The latest dated relevant stories, one per story: copies in other outlets come as `also_in`."""
    stories = list(
        Article.objects.filter(is_relevant=True, duplicate_of__isnull=True, published_at__isnull=False)
        .select_related("source")
        .prefetch_related(*CARD_PREFETCH)
        .order_by(*NEWEST)[:limit]
    )
    return stories


@dataclass(frozen=True)
class Trend:
    kind: str
    slug: str
    name: str
    count: int
    before: int

    @property
    def change(self) -> int:
        return self.count - self.before


def home_week_end() -> dt.datetime:
    """The end of 'this week': now, or the newest relevant article when the archive has stopped."""
    newest = (
        Article.objects.filter(is_relevant=True, published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-published_at").values_list("published_at", flat=True).first()
    )
    return newest or timezone.now()


def home_trends(kind: str, *, end: dt.datetime, limit: int = 8) -> list[Trend]:
    """The most mentioned entities of a kind in the week to `end`, with the week before's count."""
    week = dt.timedelta(days=7)
    rows = (
        ENTITY_KINDS[kind].link_model.objects.filter(
            rejected=False, article__is_relevant=True, article__duplicate_of__isnull=True,
            article__published_at__gt=end - 2 * week, article__published_at__lte=end,
        )
        .values(slug=F(f"{kind}__slug"), name=F(f"{kind}__name"))
        .annotate(
            this_week=Count("id", filter=Q(article__published_at__gt=end - week)),
            last_week=Count("id", filter=Q(article__published_at__lte=end - week)),
        )
        .filter(this_week__gt=0)
        .order_by("-this_week", "name")[:limit]
    )
    return [Trend(kind, r["slug"], r["name"], r["this_week"], r["last_week"]) for r in rows]


def home_events(*, limit: int = 6) -> list[Event]:
    """The latest events of the reviewed timeline."""
    return list(
        Event.objects.filter(reviewed=True, rejected=False, start_date__isnull=False, start_date__lte=timezone.now().date())
        .select_related("place").order_by("-start_date", "title")[:limit]
    )


# --- the type-ahead picker ----------------------------------------------------------------------

SUGGEST_LIMIT = 8


def entity_suggest(*, kind: str, text: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
    """Entities whose name, alias or acronym contains `text`, names that start with it first."""
    text = text.strip()
    if len(text) < 2:
        return []
    kinds = [kind] if kind in ENTITY_KINDS or kind in ("source", "event") else [*ENTITY_KINDS, "source"]
    found = []
    for name in kinds:
        if name == "source":
            rows = Source.objects.filter(name__icontains=text).values("slug", "name")
            extra = ""
        elif name == "event":
            rows = Event.objects.filter(title__icontains=text).values("slug", name=F("title"))
            extra = ""
        else:
            condition = Q(name__icontains=text) | Q(aliases__icontains=text)
            if name == "organization":
                condition |= Q(acronyms__icontains=text)
            rows = ENTITY_KINDS[name].model.objects.filter(condition).values("slug", "name")
            extra = "title" if name == "person" else ("kind" if name in ("organization", "place") else "")
            if extra:
                rows = rows.values("slug", "name", extra)
        lowered = text.lower()
        for row in rows.order_by("name")[: limit * 3]:
            found.append({
                "kind": name, "slug": row["slug"], "name": row["name"],
                "detail": str(row.get(extra, "") or "").replace("_", " ") if extra else "",
                "_rank": (not row["name"].lower().startswith(lowered), len(row["name"])),
            })
    found.sort(key=lambda r: r.pop("_rank"))
    return found[:limit]


# --- quotes (the tagger's Quote model) ----------------------------------------------------------


def _quote_model():
    """The tagger's Quote model, or None on a schema without it."""
    return apps.all_models["articles"].get("quote")


def article_quotes(article: Article) -> list:
    Quote = _quote_model()
    if Quote is None:
        return []
    return list(Quote.objects.filter(article=article).select_related("speaker_person", "speaker_organization")
                .order_by("offset")[:30])


def entity_quotes(kind: str, entity, *, limit: int = 8) -> list:
    """What a person or organization was quoted saying, latest found first, with the article it is from."""
    Quote = _quote_model()
    if Quote is None or kind not in ("person", "organization"):
        return []
    return list(
        Quote.objects.filter(**{f"speaker_{kind}": entity}, article__is_relevant=True)
        .select_related("article", "article__source")
        .order_by("-id")[:limit]
    )
