"""Admin for outlets, feeds and articles: search, filters, autocomplete, tags inline.

A tag an editor adds or edits here is recorded as the editor's decision, so re-tagging keeps it.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles import tasks
from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    DecidedBy,
    Feed,
    Source,
)


class TagInline(admin.TabularInline):
    extra = 0
    readonly_fields = ("mentions", "first_offset", "decided_by")


class ArticlePersonInline(TagInline):
    model = ArticlePerson
    fields = ("person", "mentions", "first_offset", "decided_by", "rejected")
    autocomplete_fields = ("person",)


class ArticleOrganizationInline(TagInline):
    model = ArticleOrganization
    fields = ("organization", "mentions", "first_offset", "decided_by", "rejected")
    autocomplete_fields = ("organization",)


class ArticlePlaceInline(TagInline):
    model = ArticlePlace
    fields = ("place", "mentions", "first_offset", "decided_by", "rejected")
    autocomplete_fields = ("place",)


class ArticleTopicInline(TagInline):
    model = ArticleTopic
    fields = ("topic", "score", "mentions", "first_offset", "decided_by", "rejected")
    readonly_fields = ("score", "mentions", "first_offset", "decided_by")
    autocomplete_fields = ("topic",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country", "homepage", "is_demo")
    list_filter = ("country", "is_demo")
    search_fields = ("name", "slug", "homepage")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "active", "last_fetched_at", "next_fetch_at", "failure_count")
    list_filter = ("active", "source")
    search_fields = ("url", "title", "source__name")
    autocomplete_fields = ("source",)
    readonly_fields = ("etag", "last_modified", "last_fetched_at", "failure_count", "last_error")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "language", "is_relevant", "relevance", "status", "duplicate_of")
    list_filter = ("is_relevant", "status", "language", "published_precision", "source")
    list_select_related = ("source", "duplicate_of")
    search_fields = ("title", "url")
    date_hierarchy = "published_at"
    autocomplete_fields = ("source", "duplicate_of")
    readonly_fields = ("content_hash", "fetched_at", "tagged_at", "tagger_version", "created_at", "updated_at")
    inlines = [ArticlePersonInline, ArticleOrganizationInline, ArticlePlaceInline, ArticleTopicInline]
    actions = ["retag_selected"]
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        """Tags added or changed here are the editor's, and survive re-tagging."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if hasattr(instance, "decided_by"):
                instance.decided_by = DecidedBy.EDITOR
            instance.save()
        formset.save_m2m()

    @admin.action(description="Re-tag selected articles")
    def retag_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for article_id in ids:
            tasks.tag_article.delay(article_id)
        self.message_user(request, f"Queued {len(ids)} article(s) for re-tagging.", messages.SUCCESS)
