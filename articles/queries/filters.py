"""The filters of the article list and the events timeline: one FilterSet each, for the pages and the API.

Parameter names are stable (the API relies on them): person, organization, place, topic, source,
event (slugs, repeatable), language (codes, repeatable), match (any | all), date_after, date_before,
period, relevant, q, sort, copies (stories | all). Every bad value is a form error, which the pages answer with 400 and the reason.

One row per story: an article whose `duplicate_of` is set is another outlet's copy of a story, and
the lists leave it out unless `copies=all`. Filters are read on each story's own article, so a copy
whose words or tags differ from its original's shows only with `copies=all`: the list stays one
walk of an index (no copy is checked against its original's filters), and a count is of stories.
An outlet's list (`source`) shows its own copies too, which are what it published.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from articles.models import ENTITY_KINDS, Article, Event, EventParticipant, Organization, Person, Place, Source
from articles.queries.search import search_filter
from articles.text.language_names import is_known_language

MAX_VALUES_PER_FILTER = 20
# A chosen entity with at most this many tag rows in the range drives the list (see
# ArticleFilter.driving_entity); a commoner one is found as quickly by walking the articles.
DRIVING_ENTITY_LIMIT = 5000
MAX_QUERY_LENGTH = 200
PERIODS = {"7d": 7, "30d": 30, "365d": 365}
PERIOD_CHOICES = [("7d", "Last 7 days"), ("30d", "Last 30 days"), ("365d", "Last 12 months")]
SORT_CHOICES = [("newest", "Newest first"), ("oldest", "Oldest first"), ("relevance", "Most relevant")]
COPIES_CHOICES = [("stories", "One per story"), ("all", "Every copy")]
MATCH_CHOICES = [("any", "any of them"), ("all", "all of them")]

EventArticle = Event.articles.through


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Several entities by slug (`?person=a&person=b`): articles that mention any (or, with
    `match=all`, every) one of them.

    The form field checks the slugs with one query; an unknown slug is a form error (400).
    Links an editor rejected never match.
    """

    def __init__(
        self, *args, link_model=None, link_field: str = "", link_filter: dict | None = None,
        owner_field: str = "article", **kwargs,
    ):
        self.link_model = link_model
        self.link_field = link_field
        self.owner_field = owner_field
        self.link_filter = {"rejected": False} if link_filter is None else link_filter
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.MultipleHiddenInput)
        kwargs.setdefault("error_messages", {
            "invalid_choice": f"No {kwargs.get('label', 'entity').lower()} is known by “%(value)s”."})
        super().__init__(*args, **kwargs)

    def _exists(self, ids: list[int]) -> Exists:
        return Exists(self.link_model.objects.filter(
            **{self.owner_field: OuterRef("pk")}, **self.link_filter, **{f"{self.link_field}__in": ids}
        ))

    def tag_count(self, entity_id: int, *, after: dt.datetime | None, before: dt.datetime | None,
                  relevant: bool | None, stories: bool, cap: int) -> int:
        """How many accepted tag rows the entity has in the range (of stories only, when `stories`),
        counting no further than `cap`.

        One range of the tag table's (entity, published_at) index; only for article tags.
        """
        links = self.link_model.objects.filter(rejected=False, **{self.link_field: entity_id})
        if after:
            links = links.filter(published_at__gte=after)
        if before:
            links = links.filter(published_at__lt=before)
        if relevant is not None:
            links = links.filter(article_relevant=relevant)
        if stories:
            links = links.filter(article_is_copy=False)
        return links.values("pk")[:cap].count()

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        # The entity whose tag rows drive the list (ArticleFilter.driving) is joined, not checked.
        driving = getattr(self.parent, "driving", None)
        if self.parent.form.cleaned_data.get("match") == "all":
            for entity in value:
                if driving != (self.field_name, entity.pk):
                    qs = qs.filter(self._exists([entity.pk]))
            return qs
        ids = [entity.pk for entity in value]
        if len(ids) == 1 and driving == (self.field_name, ids[0]):
            return qs
        return qs.filter(self._exists(ids))


class LanguageCodesField(forms.MultipleChoiceField):
    """Language codes as articles carry them (`fa`, `ps`, `ur`, `en`); one CLDR does not know is a
    form error. An empty value counts as none."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid_choice": "No language is known by the code “%(value)s”: give a code such as fa, ps, ur or en.",
    }

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]

    def valid_value(self, value) -> bool:
        return is_known_language(value)


class LanguagesFilter(django_filters.Filter):
    """Articles in any of the chosen languages, as stored (the detector's or the feed's code): a
    condition on the article's own row, which its (language, published_at) index can serve when
    the language is rare. `fa` does not match `fa-AF`: the code is compared as stored."""

    field_class = LanguageCodesField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        return qs.filter(language__in=value) if value else qs


class _LimitedForm(forms.Form):
    """Common checks: not too many values in one parameter, a start before the end."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, QuerySet | list | tuple) and len(value) > MAX_VALUES_PER_FILTER:
                self.add_error(name, f"Choose at most {MAX_VALUES_PER_FILTER}.")
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after > before:
            self.add_error("date_before", "The end date is before the start date.")
        return data


class ArticleFilterForm(_LimitedForm):
    def clean(self):
        data = super().clean()
        if data.get("period") and (data.get("date_after") or data.get("date_before")):
            self.add_error("period", "Choose either a preset period or your own dates, not both.")
        return data


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _slugs(name: str) -> SlugsFilter:
    """The filter of one kind of entity (ENTITY_KINDS) by its tag table."""
    kind = ENTITY_KINDS[name]
    return SlugsFilter(queryset=kind.model.objects.all(), link_model=kind.link_model, link_field=kind.link_field,
                       label=kind.label)


class ArticleFilter(django_filters.FilterSet):
    person = _slugs("person")
    organization = _slugs("organization")
    place = _slugs("place")
    topic = _slugs("topic")
    event = SlugsFilter(
        queryset=Event.objects.all(), link_model=EventArticle, link_field="event", link_filter={}, label="Event"
    )
    source = django_filters.ModelMultipleChoiceFilter(
        field_name="source__slug", to_field_name="slug", queryset=Source.objects.all(),
        widget=forms.MultipleHiddenInput, label="Outlet",
    )
    language = LanguagesFilter(label="Language")
    match = django_filters.ChoiceFilter(
        method="filter_nothing", choices=MATCH_CHOICES, empty_label=None, label="Articles that mention"
    )
    date_after = django_filters.DateFilter(method="filter_date_after", label="From")
    date_before = django_filters.DateFilter(method="filter_date_before", label="To")
    period = django_filters.ChoiceFilter(method="filter_period", choices=PERIOD_CHOICES, label="Period")
    relevant = django_filters.ChoiceFilter(
        method="filter_relevant",
        choices=[("yes", "Relevant only"), ("no", "Not relevant only"), ("all", "All")],
        empty_label=None,
        label="Relevance",
    )
    q = django_filters.CharFilter(method="filter_q", max_length=MAX_QUERY_LENGTH, label="Search")
    sort = django_filters.ChoiceFilter(method="filter_nothing", choices=SORT_CHOICES, empty_label=None, label="Sort")
    copies = django_filters.ChoiceFilter(
        method="filter_nothing", choices=COPIES_CHOICES, empty_label=None, label="Copies of a story"
    )

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    def filter_nothing(self, qs, name, value):
        """`match`, `sort` and `copies` shape how other filters and the ordering work; they filter nothing."""
        return qs

    # Dates, relevance and copies are checked on the driving entity's tag rows when there is one
    # (see driven): the same values, copied by triggers, and conditions of that one index range.

    def filter_date_after(self, qs, name, value):
        # A range on the column itself (not __date) so the published_at index serves it.
        return qs if self.driving else qs.filter(published_at__gte=self.date_range()[0])

    def filter_date_before(self, qs, name, value):
        before = self.date_range()[1]
        return qs.filter(published_at__lt=before) if before and not self.driving else qs

    def filter_period(self, qs, name, value):
        return qs if self.driving else qs.filter(published_at__gte=self.date_range()[0])

    def relevance(self) -> bool | None:
        """True for relevant articles only (the default), False for the others, None for all."""
        return {"": True, "yes": True, "no": False}.get(self.form.cleaned_data.get("relevant") or "")

    @property
    def stories_only(self) -> bool:
        """Whether copies of other outlets' stories are left out (see the module's docstring)."""
        data = getattr(self.form, "cleaned_data", {})
        return data.get("copies") != "all" and not data.get("source")

    def date_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The chosen dates as [after, before) instants; None where unbounded."""
        data = self.form.cleaned_data
        after = before = None
        if data.get("period"):
            after = timezone.now() - dt.timedelta(days=PERIODS[data["period"]])
        if data.get("date_after"):
            after = midnight(data["date_after"])
        day = data.get("date_before")
        if day and day < dt.date.max:  # the last representable day: no upper bound
            before = midnight(day + dt.timedelta(days=1))
        return after, before

    # The date column the result is ordered and paged by: the article's own, or, when a rare
    # entity's tag rows drive the list (see driving_entity), that tag table's copy of it.
    date_field = "published_at"
    # Whether an entity's tag rows may drive the result (see driving_entity).
    drive_from_tags = True

    # (filter name, entity id) of the entity whose tag rows drive the result, or None.
    driving: tuple[str, int] | None = None

    def driving_entity(self) -> tuple[str, int] | None:
        """The chosen entity whose tag rows drive the result: the rarest, if it is rare enough.

        The entity filters are EXISTS checks, which the database applies while walking every
        article by date: fast for a common entity, a walk over the whole period for a rare one
        (at a million articles, ~65,000 rows for a mid-ranked person in one year). A rare
        entity's tag rows are one short range of its (entity, published_at, article) index, in
        the list's order and holding the date and relevance, so joining them reads only its
        articles and a page or the facet sample stops after its rows. For a common entity the
        walk is as short and the planner handles it better (the top person driving: 101 -> 216
        ms at a million), so one capped count per chosen entity decides. Several entities that
        may each match cannot drive: their rows would repeat articles.
        """
        if not self.drive_from_tags:
            return None
        data = self.form.cleaned_data
        chosen = [
            (name, entity.pk) for name in ENTITY_KINDS
            for entity in (data.get(name) or [])
            if len(data.get(name)) == 1 or data.get("match") == "all"
        ]
        after, before = self.date_range()
        counts = {
            (name, entity_id): self.filters[name].tag_count(
                entity_id, after=after, before=before, relevant=self.relevance(), stories=self.stories_only,
                cap=DRIVING_ENTITY_LIMIT + 1)
            for name, entity_id in chosen
        }
        rare = [key for key in chosen if counts[key] <= DRIVING_ENTITY_LIMIT]
        return min(rare, key=lambda key: counts[key]) if rare else None

    def driven(self, queryset: QuerySet) -> QuerySet:
        """The result joined to the driving entity's tag rows, ordered by their copy of the date.

        One tag row per article and entity, so the join repeats no article; the date alias reuses
        the join (filtering on the relation again would add another).
        """
        name, entity_id = self.driving
        links = f"{name}_links"
        joined = {f"{links}__{name}": entity_id, f"{links}__rejected": False}
        after, before = self.date_range()
        if after:
            joined[f"{links}__published_at__gte"] = after
        if before:
            joined[f"{links}__published_at__lt"] = before
        if self.relevance() is not None:
            joined[f"{links}__article_relevant"] = self.relevance()
        if self.stories_only:
            joined[f"{links}__article_is_copy"] = False
        self.date_field = "driving_date"
        return queryset.filter(**joined).alias(driving_date=F(f"{links}__published_at"))

    def filter_relevant(self, qs, name, value):
        relevant = self.relevance()
        return qs if relevant is None or self.driving else qs.filter(is_relevant=relevant)

    def filter_q(self, qs, name, value):
        value = value.strip()
        return search_filter(qs, value) if value else qs

    @property
    def sort_order(self) -> str:
        """newest, oldest or relevance (by search rank when searching, else by the relevance score)."""
        return getattr(self.form, "cleaned_data", {}).get("sort") or "newest"

    @property
    def searching(self) -> bool:
        data = getattr(self.form, "cleaned_data", {})
        return bool((data.get("q") or "").strip())

    def ordering(self) -> list:
        date = self.date_field
        if self.sort_order == "oldest":
            return [F(date).asc(nulls_last=True), "id"]
        if self.sort_order == "relevance":
            if self.searching:
                return ["-search_rank", F(date).desc(nulls_last=True), "-id"]
            return ["-relevance", F(date).desc(nulls_last=True), "-id"]
        return [F(date).desc(nulls_last=True), "-id"]

    def filter_queryset(self, queryset):
        self.driving = self.driving_entity()
        queryset = super().filter_queryset(queryset)
        if self.driving is not None:
            queryset = self.driven(queryset)
        else:
            if not self.form.cleaned_data.get("relevant"):
                queryset = queryset.filter(is_relevant=True)
            if self.stories_only:
                queryset = queryset.filter(duplicate_of__isnull=True)
        return queryset.order_by(*self.ordering())


class EventFilterForm(_LimitedForm):
    pass


ORIGIN_CHOICES = [
    ("curated", "On the timeline (curated or confirmed)"),
    ("machine", "Found by the tagger, not yet reviewed"),
    ("all", "Both"),
]


class EventFilter(django_filters.FilterSet):
    """The timeline's filters: kind, actor, place, dates (an event overlapping the range) and origin:
    the reviewed timeline by default, the tagger's unreviewed events on request; rejected ones never."""

    kind = django_filters.MultipleChoiceFilter(choices=Event.Kind.choices, label="Kind")
    person = SlugsFilter(
        queryset=Person.objects.all(), link_model=EventParticipant, link_field="person", link_filter={},
        owner_field="event", label="Person",
    )
    organization = SlugsFilter(
        queryset=Organization.objects.all(), link_model=EventParticipant, link_field="organization",
        link_filter={}, owner_field="event", label="Organization",
    )
    place = django_filters.ModelMultipleChoiceFilter(
        field_name="place__slug", to_field_name="slug", queryset=Place.objects.all(),
        widget=forms.MultipleHiddenInput, label="Place",
    )
    date_after = django_filters.DateFilter(method="filter_date_after", label="From")
    date_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label="To")
    origin = django_filters.ChoiceFilter(
        method="filter_nothing", choices=ORIGIN_CHOICES, empty_label=None, label="Events shown"
    )

    class Meta:
        model = Event
        fields: list[str] = []
        form = EventFilterForm

    def filter_date_after(self, qs, name, value):
        return qs.filter(Q(start_date__gte=value) | Q(end_date__gte=value))

    def filter_nothing(self, qs, name, value):
        """`origin` is applied in filter_queryset, where its default (the reviewed timeline) applies too."""
        return qs

    @property
    def shown_origin(self) -> str:
        """curated (the default), machine or all."""
        return getattr(self.form, "cleaned_data", {}).get("origin") or "curated"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset).filter(rejected=False)
        if self.shown_origin == "curated":
            return queryset.filter(reviewed=True)
        if self.shown_origin == "machine":
            return queryset.filter(reviewed=False)
        return queryset
