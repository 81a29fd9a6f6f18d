"""Admin for the knowledge base: people, organizations, places, topics and events.

Two editor workflows live here beyond plain editing:
- merging people (a discovered duplicate into the reviewed person): the tags, aliases, event roles,
  quotes and evidence move, and nothing is left pointing at the merged person;
- editing a topic's rules: saving them starts a background job that re-tags the articles whose
  result for that topic changes, and its progress shows on the topic and in "Re-tag jobs";
- reviewing machine-made events: confirm (onto the timeline), reject (gone for good, even after
  re-tagging) or merge several reports of one happening into one, each in one action.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.models import (
    Event,
    EventEvidence,
    EventParticipant,
    Organization,
    Person,
    PersonEvidence,
    PersonRole,
    Place,
    Quote,
    RetagJob,
    RetagJobKind,
    Topic,
)
from articles.tagging.editorial import EventEditError, event_confirm, event_merge, event_reject, merge_target
from articles.tagging.people import MergeError, person_merge
from articles.tagging.retag import retag_job_request
from articles.tagging.rules import RulesError, validate_rules
from articles.tagging.tasks import retag_job_run

from .forms import EntityNamesForm, EventForm, OrganizationForm, PersonForm


class EntityAdmin(admin.ModelAdmin):
    form = EntityNamesForm
    exclude = ("names",)  # edited as one box per language (EntityNamesForm)
    search_fields = ("name", "slug", "aliases")
    list_filter = ("reviewed",)
    prepopulated_fields = {"slug": ("name",)}


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0
    autocomplete_fields = ("organization",)


class PersonEvidenceInline(admin.TabularInline):
    """Why the tagger thinks a person it did not know exists."""

    model = PersonEvidence
    extra = 0
    fields = ("article", "role", "snippet", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Person.objects.none(), widget=forms.RadioSelect, empty_label=None,
        help_text="The person to keep; the others are merged into them and deleted.",
    )

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = people


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    form = PersonForm
    list_display = ("name", "title", "affiliation", "nationality", "reviewed")
    list_filter = ("reviewed", "nationality")
    list_select_related = ("affiliation",)
    autocomplete_fields = ("affiliation",)
    inlines = [PersonRoleInline, PersonEvidenceInline]
    actions = ["merge_people"]

    @admin.action(description="Merge selected people into one of them…")
    def merge_people(self, request: HttpRequest, queryset: QuerySet[Person]) -> HttpResponse | None:
        """Step 1 shows the choice of the person to keep; step 2 (the form posted back) merges."""
        people = queryset.order_by("-reviewed", "name")
        if people.count() < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, people=people)
        if "apply" in request.POST and form.is_valid():
            target = form.cleaned_data["target"]
            merged = []
            try:
                with transaction.atomic():
                    for source in people.exclude(pk=target.pk):
                        merged.append(source.name)
                        person_merge(source=source, target=target)
            except MergeError as exc:
                self.message_user(request, f"Nothing merged: {exc}", messages.ERROR)
                return None
            self.message_user(request, f"Merged {', '.join(merged)} into {target.name}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge people",
            "opts": self.model._meta,
            "form": form,
            "people": people,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/person/merge_people.html", context)


@admin.register(Organization)
class OrganizationAdmin(EntityAdmin):
    form = OrganizationForm
    list_display = ("name", "kind", "country", "parent", "reviewed")
    list_filter = ("reviewed", "kind", "country")
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "aliases", "acronyms")
    autocomplete_fields = ("parent",)


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ("name", "kind", "country_code", "parent", "latitude", "longitude", "reviewed")
    list_filter = ("reviewed", "kind", "country_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


class TopicForm(EntityNamesForm):
    class Meta:
        model = Topic
        fields = ["name", "slug", "aliases", "description", "parent", "threshold", "rules", "reviewed", "wikidata_id"]

    def clean_rules(self):
        rules = self.cleaned_data.get("rules")
        try:
            return validate_rules(rules)
        except RulesError as exc:
            raise forms.ValidationError(str(exc)) from exc


def _job_progress(job: RetagJob | None) -> str:
    if job is None:
        return "no re-tagging yet"
    url = reverse("admin:articles_retagjob_change", args=[job.pk])
    return format_html(
        '<a href="{}">{} {}%</a>, {} examined, {} re-tagged', url, job.get_status_display(),
        round(job.progress * 100), job.examined, job.retagged,
    )


@admin.register(Topic)
class TopicAdmin(EntityAdmin):
    form = TopicForm
    list_display = ("name", "parent", "threshold", "reviewed")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("retagging",)

    @admin.display(description="Re-tagging after the last rules change")
    def retagging(self, obj: Topic) -> str:
        return _job_progress(obj.retag_jobs.order_by("-created_at").first() if obj.pk else None)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"rules", "threshold"} & set(form.changed_data):
            job = retag_job_request(
                kind=RetagJobKind.TOPIC, topic=obj, user=request.user, reason="rules changed in admin", restart=True
            )
            transaction.on_commit(lambda: retag_job_run.delay(job.pk))
            self.message_user(
                request,
                format_html("The rules changed: affected articles are being re-tagged ({}).", _job_progress(job)),
                messages.INFO,
            )


@admin.register(RetagJob)
class RetagJobAdmin(admin.ModelAdmin):
    """Re-tagging in the background: read-only, progress as a share of the id range."""

    list_display = ("__str__", "kind", "topic", "status", "percent", "examined", "retagged", "failures", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("topic",)
    readonly_fields = [f.name for f in RetagJob._meta.fields] + ["percent"]
    show_full_result_count = False

    @admin.display(description="progress")
    def percent(self, obj: RetagJob) -> str:
        return f"{obj.progress:.0%}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "speaker_person", "speaker_organization", "article")
    list_select_related = ("speaker_person", "speaker_organization", "article")
    search_fields = ("text", "speaker_person__name", "speaker_organization__name")
    autocomplete_fields = ("article", "speaker_person", "speaker_organization")
    show_full_result_count = False


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ("person", "organization")


class EventEvidenceInline(admin.TabularInline):
    """The sentences from which the tagger attached articles to this event, and what dated them."""

    model = EventEvidence
    extra = 0
    fields = ("article", "basis", "sentence", "date_text", "confidence")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventOriginFilter(admin.SimpleListFilter):
    title = "origin"
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [
            ("curated", "curated timeline"), ("machine", "found by the tagger, to review"),
            ("confirmed", "found by the tagger, confirmed"), ("rejected", "rejected"),
        ]

    def queryset(self, request, queryset):
        return {
            "curated": lambda q: q.filter(machine_made=False),
            "machine": lambda q: q.filter(machine_made=True, reviewed=False, rejected=False),
            "confirmed": lambda q: q.filter(machine_made=True, reviewed=True),
            "rejected": lambda q: q.filter(rejected=True),
        }.get(self.value(), lambda q: q)(queryset)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = ("title", "kind", "start_date", "start_precision", "place", "origin", "confidence", "article_count")
    list_filter = (EventOriginFilter, "kind", "start_precision")
    list_select_related = ("place",)
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "start_date"
    autocomplete_fields = ("place", "articles")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [EventParticipantInline, EventEvidenceInline]
    actions = ["confirm_events", "reject_events", "merge_events"]
    readonly_fields = ("machine_made", "rejected")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles", distinct=True))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, event: Event) -> int:
        return event.article_count

    @admin.display(description="origin")
    def origin(self, event: Event) -> str:
        return "rejected" if event.rejected else {"curated": "curated", "confirmed": "confirmed", "machine": "to review"}[event.origin]

    @admin.action(description="Confirm: put the selected machine-made events on the timeline")
    def confirm_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        count = event_confirm(events=list(queryset))
        self.message_user(request, f"{count} event(s) confirmed and now on the timeline.", messages.SUCCESS)

    @admin.action(description="Reject: remove the selected machine-made events for good")
    def reject_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        count = event_reject(events=list(queryset))
        self.message_user(
            request, f"{count} event(s) rejected: off every page, and re-tagging will not make them again.",
            messages.SUCCESS,
        )

    @admin.action(description="Merge: the selected events are one happening")
    def merge_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        events = list(queryset)
        if len(events) < 2:
            self.message_user(request, "Select at least two events to merge.", messages.WARNING)
            return
        try:
            target = merge_target(events)
            event_merge(target=target, sources=[e for e in events if e.pk != target.pk])
        except EventEditError as exc:
            self.message_user(request, f"Nothing merged: {exc}", messages.ERROR)
            return
        self.message_user(request, f"Merged {len(events) - 1} event(s) into “{target.title}”.", messages.SUCCESS)
