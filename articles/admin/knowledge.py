"""Admin for the knowledge base: people, organizations, places, topics and events."""

from django.contrib import admin

from articles.models import (
    Event,
    EventParticipant,
    Organization,
    Person,
    PersonRole,
    Place,
    Topic,
)


class EntityAdmin(admin.ModelAdmin):
    search_fields = ("name", "slug", "aliases")
    list_filter = ("reviewed",)
    prepopulated_fields = {"slug": ("name",)}


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0
    autocomplete_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    list_display = ("name", "title", "affiliation", "nationality", "reviewed")
    list_filter = ("reviewed", "nationality")
    list_select_related = ("affiliation",)
    autocomplete_fields = ("affiliation",)
    inlines = [PersonRoleInline]


@admin.register(Organization)
class OrganizationAdmin(EntityAdmin):
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


@admin.register(Topic)
class TopicAdmin(EntityAdmin):
    list_display = ("name", "parent", "threshold", "reviewed")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ("person", "organization")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "start_date", "start_precision", "place", "confidence", "reviewed")
    list_filter = ("kind", "reviewed", "start_precision")
    list_select_related = ("place",)
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "start_date"
    autocomplete_fields = ("place", "articles")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [EventParticipantInline]
