"""Admin for outlets, feeds and articles: search, filters, autocomplete, tags inline.

A tag an editor adds or edits here is recorded as the editor's decision, so re-tagging keeps it.
Feeds show their recent fetches and can be fetched now; any URL (a page or a feed) can be ingested
from the article list ("Ingest a URL"). An article shows its earlier versions; an item that
claimed another outlet's article URL is confirmed or rejected as a copy with one action.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from articles import tasks
from articles.ingest.services import chunks, copy_claims_decide
from articles.models import (
    Article,
    ArticleOrganization,
    ArticlePerson,
    ArticlePlace,
    ArticleTopic,
    ArticleVersion,
    CopyClaim,
    DecidedBy,
    Feed,
    FeedFetch,
    IngestItem,
    ItemStatus,
    Source,
)
from articles.queries.search import search_filter

RECENT_FETCHES = 20
ADMIN_COUNT_CAP = 10_000


class LanguageFilter(admin.SimpleListFilter):
    """The languages of the newest articles; Django's own filter reads every row for its choices."""

    title = "language"
    parameter_name = "language"
    SAMPLE = 5000

    def lookups(self, request, model_admin):
        newest = Article.objects.order_by("-published_at", "-id").values_list("language", flat=True)[: self.SAMPLE]
        return [(code, code or "unknown") for code in sorted(set(newest))]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(language=value)


class CappedPaginator(Paginator):
    """Counts no further than ADMIN_COUNT_CAP rows: a COUNT over a LIMIT, never the whole table.

    At a million articles the admin's full COUNT of a filtered list took 4-9 s; past the cap an
    editor narrows the list with filters or search instead of paging.
    """

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[:ADMIN_COUNT_CAP].count()

    @property
    def capped(self) -> bool:
        """Whether the count stopped at the cap (the list says "10,000 or more")."""
        return self.count >= ADMIN_COUNT_CAP


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


class ArticleVersionInline(admin.TabularInline):
    """The texts a later fetch replaced: read-only, the diff is on the site's versions page."""

    model = ArticleVersion
    extra = 0
    fields = ("number", "title", "byline", "source", "fetched_at", "superseded_at", "content_hash")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CopyClaimFilter(admin.SimpleListFilter):
    """Items that gave another outlet's article URL as their own, by the editor's review."""

    title = "copy claim"
    parameter_name = "copy_claim"

    def lookups(self, request, model_admin):
        return CopyClaim.Review.choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(copy_claim__review=value)


class CopyReviewActions:
    """Confirm or reject copy claims in one action, from the claims' list or the articles'."""

    claim_ids_of: str = "pk"  # how the selected rows name their claim

    def _decide(self, request: HttpRequest, queryset: QuerySet, *, confirmed: bool) -> None:
        ids = queryset.exclude(**{f"{self.claim_ids_of}__isnull": True}).values_list(self.claim_ids_of, flat=True)
        decided = copy_claims_decide(claim_ids=ids, confirmed=confirmed, editor=request.user)
        what = "confirmed as copies" if confirmed else "rejected as copies (kept as articles in their own right)"
        self.message_user(request, f"{decided} claim(s) {what}.", messages.SUCCESS)

    @admin.action(description="Confirm: a copy of the article whose URL it claimed")
    def confirm_copies(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, confirmed=True)

    @admin.action(description="Reject: not a copy, an article in its own right")
    def reject_copies(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, confirmed=False)


@admin.register(CopyClaim)
class CopyClaimAdmin(CopyReviewActions, admin.ModelAdmin):
    list_display = ("article", "source", "original", "review", "reviewed_by", "created_at")
    list_filter = ("review",)
    list_select_related = ("article__source", "original", "reviewed_by")
    search_fields = ("claimed_url",)
    actions = ["confirm_copies", "reject_copies"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="outlet of the item")
    def source(self, claim: CopyClaim) -> str:
        return str(claim.article.source or "-")


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


class FailingFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "failing"), ("ok", "fetching fine")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(failure_count__gt=0)
        if self.value() == "ok":
            return queryset.filter(failure_count=0)
        return queryset


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "active", "last_fetched_at", "next_fetch_at", "fetch_interval", "failure_count")
    list_filter = ("active", FailingFilter, "source")
    list_select_related = ("source",)
    search_fields = ("url", "title", "source__name")
    autocomplete_fields = ("source",)
    fields = (
        "url", "source", "title", "active", "fetch_interval", "next_fetch_at", "last_fetched_at", "failure_count",
        "last_error", "etag", "last_modified", "guids_unreliable", "recent_fetches",
    )
    readonly_fields = (
        "etag", "last_modified", "last_fetched_at", "failure_count", "last_error", "guids_unreliable", "recent_fetches",
    )
    actions = ["fetch_now"]

    @admin.display(description=f"last {RECENT_FETCHES} fetches")
    def recent_fetches(self, feed: Feed) -> str:
        if feed.pk is None:
            return "-"
        fetches = feed.fetches.all()[:RECENT_FETCHES]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td><td>{}</td></tr>",
            (
                (f.started_at.strftime("%Y-%m-%d %H:%M:%S"), f.get_status_display(), f.http_status or "", f.items_seen,
                 f.items_new, f.duration_ms, f.error)
                for f in fetches
            ),
        )
        return format_html(
            "<table><thead><tr><th>started</th><th>status</th><th>HTTP</th><th>items seen</th><th>new</th>"
            "<th>took</th><th>error</th></tr></thead><tbody>{}</tbody></table>",
            rows or format_html("<tr><td colspan='7'>never fetched</td></tr>"),
        )

    @admin.action(description="Fetch now")
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for feed_id in ids:
            tasks.feed_fetch.delay(feed_id)
        self.message_user(request, f"Fetching {len(ids)} feed(s); see each feed's fetches.", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the pipeline: editors look, the pipeline writes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FeedFetch)
class FeedFetchAdmin(ReadOnlyAdmin):
    list_display = ("feed", "started_at", "status", "http_status", "items_seen", "items_new", "duration_ms", "error")
    list_filter = ("status",)
    list_select_related = ("feed",)
    search_fields = ("feed__url", "error")
    date_hierarchy = "started_at"
    show_full_result_count = False


@admin.register(IngestItem)
class IngestItemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "feed", "status", "attempts", "page_note", "error", "article", "created_at")
    list_filter = ("status",)
    list_select_related = ("feed", "article")
    search_fields = ("url", "title", "key")
    exclude = ("page_html", "feed_html")
    actions = ["retry"]
    show_full_result_count = False

    @admin.action(description="Fetch and process again")
    def retry(self, request: HttpRequest, queryset: QuerySet[IngestItem]) -> None:
        """A failed item is tried again; a done one is fetched again, and a changed text becomes
        a new version of its article (an unchanged one changes nothing)."""
        ids = list(queryset.values_list("pk", flat=True))
        IngestItem.objects.filter(pk__in=ids).update(status=ItemStatus.QUEUED, error="", page_note="")
        for batch in chunks(ids):
            tasks.items_fetch.delay(batch)
        self.message_user(request, f"Queued {len(ids)} item(s) again.", messages.SUCCESS)


class IngestURLForm(forms.Form):
    url = forms.URLField(label="URL of a page or a feed", max_length=2000, assume_scheme="https")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https URLs can be ingested.")
        return url


@admin.register(Article)
class ArticleAdmin(CopyReviewActions, admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "language", "is_relevant", "relevance", "status", "duplicate_of")
    list_filter = (
        ("published_at", admin.DateFieldListFilter), "is_relevant", "status", LanguageFilter, "published_precision",
        CopyClaimFilter, "source",
    )
    list_select_related = ("source", "duplicate_of")
    # The site's full-text search (the GIN index on PostgreSQL), or a URL; no date_hierarchy: its
    # drill-down reads the distinct dates of the whole filtered result.
    search_fields = ("title", "url")
    search_help_text = "Words of the title or body (as on the site), or an article's URL."
    paginator = CappedPaginator
    show_facets = admin.ShowFacets.NEVER  # "Show counts" would COUNT every filter choice over the table
    autocomplete_fields = ("source", "duplicate_of")
    readonly_fields = (
        "content_hash", "ingest_note", "fetched_at", "tagged_at", "tagger_version", "created_at", "updated_at",
        "history",
    )
    exclude = ("body_html",)  # written only by ingestion, sanitized
    inlines = [
        ArticlePersonInline, ArticleOrganizationInline, ArticlePlaceInline, ArticleTopicInline, ArticleVersionInline,
    ]
    actions = ["retag_selected", "confirm_copies", "reject_copies"]
    claim_ids_of = "copy_claim"
    show_full_result_count = False
    change_list_template = "admin/articles/article/change_list.html"

    @admin.display(description="history")
    def history(self, article: Article) -> str:
        """Its versions (linked to the site's diff) and the copy claim it is, if any."""
        if article.pk is None:
            return "-"
        claim = CopyClaim.objects.filter(article=article).select_related("original").first()
        versions = format_html('<a href="{}">{} earlier version(s)</a>', article.get_versions_url(), article.versions.count())
        if claim is None:
            return versions
        original = format_html('<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[claim.original_id]),
                               claim.original) if claim.original else "a removed article"
        return format_html("{}; claimed the URL {} of {}: {}", versions, claim.claimed_url, original, claim.get_review_display())

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.startswith(("http://", "https://", "urn:")):
            return queryset.filter(Q(url=term) | Q(url__startswith=term)), False
        return search_filter(queryset, term), False

    def get_urls(self):
        ingest = path("ingest-url/", self.admin_site.admin_view(self.ingest_url_view), name="articles_article_ingest_url")
        return [ingest, *super().get_urls()]

    def ingest_url_view(self, request: HttpRequest) -> HttpResponse:
        """Ingest this URL: a page becomes an article, a feed is registered and read (through Celery)."""
        if not self.has_add_permission(request):
            return HttpResponse("You may not add articles.", status=403)
        form = IngestURLForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            result = tasks.url_ingest.delay(form.cleaned_data["url"])
            if settings.CELERY_TASK_ALWAYS_EAGER:
                outcome = result.get()
                if outcome["error"]:
                    self.message_user(request, f"{outcome['url']}: {outcome['error']}", messages.ERROR)
                else:
                    self.message_user(request, f"Ingested {outcome['url']} ({outcome['kind']}).", messages.SUCCESS)
            else:
                self.message_user(request, f"Queued {form.cleaned_data['url']}; see Ingest items for the result.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Ingest a URL",
        }
        return TemplateResponse(request, "admin/articles/ingest_url.html", context, status=400 if form.errors else 200)

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
