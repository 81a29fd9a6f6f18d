"""/api/: the read API, its OpenAPI schema and its documentation page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api import views

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register(r"articles/(?P<id>[0-9]+)/versions", views.ArticleVersionViewSet, basename="article-version")
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("places", views.PlaceViewSet, basename="place")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("events", views.EventViewSet, basename="event")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP forbids inline scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("ingest/url/", views.ingest_url_create, name="ingest-url"),
    path("ingest/feed/", views.ingest_feed_create, name="ingest-feed"),
    path("", include(router.urls)),
    # [\s\S] rather than `.`: a path with a newline in it is still an API path, answered in JSON.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
