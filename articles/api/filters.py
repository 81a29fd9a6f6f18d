"""The pages' FilterSets, as the API uses them: the same filters, entities also given by id.

Nothing is filtered twice: `ApiArticleFilter` and `ApiEventFilter` are the pages' `ArticleFilter`
and `EventFilter` with two differences. Every entity parameter (`person`, `source`, ...) takes
ids as well as slugs, mixed freely, and a name that names one entity (where a page would redirect
to its slug); and `sort` offers only the orders the API can page through with a keyset (newest,
oldest).
"""

from __future__ import annotations

import copy

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, Q
from drf_spectacular.utils import extend_schema_field

from articles.queries.filters import SORT_CHOICES, ArticleFilter, EventFilter
from articles.queries.names import name_candidates


class IdOrSlugMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Entities by id (digits), slug, or a name that names one (articles.queries.names), checked with
    one query; an unknown one, or a name of several, is a form error."""

    def _check_values(self, value):
        try:
            values = frozenset(str(item) for item in value if item != "")
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for item in values:
            self.validate_no_null_characters(item)
        ids = {int(item) for item in values if item.isascii() and item.isdigit() and len(item) < 19}
        found = list(self.queryset.filter(Q(pk__in=ids) | Q(slug__in=values)))
        known = {str(entity.pk) for entity in found} | {entity.slug for entity in found}
        named = {item: self._named(item) for item in sorted(values - known)}
        if set(named.values()) - known:
            found += list(self.queryset.filter(slug__in=set(named.values()) - known))
        for item, slug in named.items():
            if slug not in {entity.slug for entity in found}:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return found

    def _named(self, item: str) -> str:
        """The slug of the one entity `item` names (itself when it names none); a name of several
        is a form error that lists them."""
        candidates = name_candidates(self.queryset.model._meta.model_name, item)
        if len(candidates) > 1:
            plural = self.queryset.model._meta.verbose_name_plural
            choices = ", ".join(f"{c.slug} ({c.name})" for c in candidates)
            raise ValidationError(f"“{item}” names several {plural}: {choices}. Give one of their slugs.",
                                  code="ambiguous")
        return candidates[0].slug if candidates else item


DESCRIPTIONS = {
    "date_after": "On or after this day (YYYY-MM-DD).",
    "date_before": "On or before this day (YYYY-MM-DD).",
    "q": "Words to search for in the title and the text.",
    "period": "A recent period instead of dates: the last 7, 30 or 365 days.",
    "match": "With several entities: articles that mention any of them (default) or all of them.",
    "relevant": "yes (default): articles about the peace process only; no: the others; all: both.",
    "copies": "stories (default): each story once, leaving out other outlets' copies (duplicate_of set); "
              "all: every copy. With `source`, that outlet's copies are included.",
    "kind": "Kinds of event; repeat the parameter for several.",
    "language": "The article's language code as stored (fa, ps, ur, en...); repeat the parameter for several.",
}


class NonEmptyMultipleChoiceField(django_filters.fields.MultipleChoiceField):
    """Choices, where an empty value (`?kind=`) means no choice, as for every other parameter."""

    def clean(self, value):
        return super().clean([item for item in value or [] if item != ""])


def _for_api(filterset: type[django_filters.FilterSet]) -> None:
    """Let every entity filter of `filterset` take ids, and describe each parameter for the schema.

    An empty value is the same as no value, for every parameter. The filters are copied first,
    so that the pages keep theirs.
    """
    for name, text in DESCRIPTIONS.items():
        if name in filterset.base_filters:
            described = copy.deepcopy(filterset.base_filters[name])
            described.extra["help_text"] = text
            filterset.base_filters[name] = described
    foreign_keys = {field.name for field in filterset._meta.model._meta.get_fields() if isinstance(field, ForeignKey)}
    for name, original in list(filterset.base_filters.items()):
        if type(original) is django_filters.MultipleChoiceFilter:
            choices = copy.deepcopy(original)
            choices.field_class = NonEmptyMultipleChoiceField
            filterset.base_filters[name] = choices
        if not isinstance(original, django_filters.ModelMultipleChoiceFilter):
            continue
        entity_filter = copy.deepcopy(original)
        entity_filter.field_class = IdOrSlugMultipleChoiceField
        plural = entity_filter.queryset.model._meta.verbose_name_plural
        description = (f"{entity_filter.label or name}: a slug or an id (or a name, alias or acronym that names one); "
                       f"repeat the parameter for several {plural}.")
        extend_schema_field({"type": "string", "description": description})(entity_filter)
        if entity_filter.field_name.split("__")[0] in foreign_keys:
            entity_filter.distinct = False  # through a foreign key, each row matches once
        filterset.base_filters[name] = entity_filter


class ApiArticleFilter(ArticleFilter):
    # The API pages by its own keyset over the article's own date column, which a driving join's
    # date alias would not serve; with no facet sample to read, walking the date index finds an
    # API page quickly (bench/pages.py: 22-27 ms at a million).
    drive_from_tags = False

    sort = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=[choice for choice in SORT_CHOICES if choice[0] in {"newest", "oldest"}],
        empty_label=None,
        label="Order: newest first (default) or oldest first",
    )


class ApiEventFilter(EventFilter):
    pass


_for_api(ApiArticleFilter)
_for_api(ApiEventFilter)
