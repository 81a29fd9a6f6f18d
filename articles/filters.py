"""The article list's filters: one FilterSet for the pages (and later the API)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    Organization,
    Person,
    Place,
    Source,
    Topic,
)


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Several entities by slug (`?person=a&person=b`), matching articles that mention any of them.

    The form field checks the slugs with one query; an unknown slug is a form error (400).
    Links an editor rejected never match.
    """

    def __init__(self, *args, link_model=None, link_field: str = "", **kwargs):
        self.link_model = link_model
        self.link_field = link_field
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.MultipleHiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        links = self.link_model.objects.filter(
            article=OuterRef("pk"), rejected=False, **{f"{self.link_field}__in": [v.pk for v in value]}
        )
        return qs.filter(Exists(links))


class ArticleFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after > before:
            self.add_error("date_before", "The end date is before the start date.")
        return data


class ArticleFilter(django_filters.FilterSet):
    person = SlugsFilter(queryset=Person.objects.all(), link_model=ArticlePerson, link_field="person")
    organization = SlugsFilter(
        queryset=Organization.objects.all(), link_model=ArticleOrganization, link_field="organization"
    )
    place = SlugsFilter(queryset=Place.objects.all(), link_model=ArticlePlace, link_field="place")
    topic = SlugsFilter(queryset=Topic.objects.all(), link_model=ArticleTopic, link_field="topic")
    source = django_filters.ModelMultipleChoiceFilter(
        field_name="source", to_field_name="slug", queryset=Source.objects.all(), widget=forms.MultipleHiddenInput
    )
    date_after = django_filters.DateFilter(method="filter_date_after", label="From")
    date_before = django_filters.DateFilter(method="filter_date_before", label="To")
    relevant = django_filters.ChoiceFilter(
        method="filter_relevant",
        choices=[("yes", "Relevant only"), ("no", "Not relevant only"), ("all", "All")],
        empty_label=None,
        label="Relevance",
    )

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    @staticmethod
    def _midnight(day: dt.date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)

    def filter_date_after(self, qs, name, value):
        # A range on the column itself (not __date) so the published_at index serves it.
        return qs.filter(published_at__gte=self._midnight(value))

    def filter_date_before(self, qs, name, value):
        return qs.filter(published_at__lt=self._midnight(value + dt.timedelta(days=1)))

    def filter_relevant(self, qs, name, value):
        if value == "no":
            return qs.filter(is_relevant=False)
        if value == "all":
            return qs
        return qs.filter(is_relevant=True)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("relevant"):
            queryset = queryset.filter(is_relevant=True)
        return queryset
