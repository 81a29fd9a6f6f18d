"""Thin API views: they pick the queryset, the FilterSet and the serializer; services write."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api import serializers
from articles.api.export import export_queryset
from articles.api.filters import ApiArticleFilter, ApiEventFilter
from articles.api.pagination import Keyset, KeysetPagination
from articles.ingest.tasks import feed_fetch, url_ingest
from articles.models import (
    Article,
    ArticleVersion,
    Event,
    EventParticipant,
    Organization,
    Person,
    PersonRole,
    Place,
    Quote,
    Source,
    Topic,
)
from articles.tagging.editorial import tag_decide


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A public list (keyset-paginated) and detail; filters apply to the list only."""

    pagination_class = KeysetPagination
    keyset = Keyset("name")

    def get_keyset(self) -> Keyset:
        return self.keyset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # A detail is found by its id whatever the filters' defaults would hide (relevant=yes).
        return super().filter_queryset(queryset) if self.action == "list" else queryset


IDENTIFIER = OpenApiParameter(
    "identifier", OpenApiTypes.STR, OpenApiParameter.PATH, description="The id or the slug."
)


class IdOrSlugMixin:
    """Detail at `/<kind>/<id>/` or `/<kind>/<slug>/`."""

    lookup_field = "identifier"
    lookup_value_regex = "[^/]+"

    def get_object(self):
        identifier = self.kwargs["identifier"]
        lookup = {"pk": int(identifier)} if identifier.isascii() and identifier.isdigit() else {"slug": identifier}
        if "pk" in lookup and lookup["pk"] > 2**63 - 1:
            raise Http404
        obj = self.get_queryset().filter(**lookup).first()
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj


@extend_schema_view(
    list=extend_schema(summary="Articles, newest first", description=(
        "The same filters as the article pages. Entity filters take slugs or ids and repeat: "
        "`?person=zalmay-khalilzad&person=abdul-ghani-baradar` finds articles that mention either "
        "(`match=all`: both). Rejected tags never match. Only relevant articles unless `relevant=all` "
        "or `relevant=no`."
    )),
    retrieve=extend_schema(summary="One article, with its body and quotations"),
)
class ArticleViewSet(ReadViewSet):
    lookup_value_regex = "[0-9]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiArticleFilter

    def get_queryset(self) -> QuerySet[Article]:
        queryset = export_queryset()
        if self.action == "list":
            return queryset.defer("body")
        if self.action == "retrieve":
            speakers = Quote.objects.select_related("speaker_person", "speaker_organization").order_by("offset")
            queryset = queryset.prefetch_related(Prefetch("quotes", queryset=speakers), "copy_claim__original")
        return queryset

    def get_serializer_class(self):
        return serializers.ArticleDetailSerializer if self.action == "retrieve" else serializers.ArticleSerializer

    def get_keyset(self) -> Keyset:
        oldest_first = self.request.query_params.get("sort") == "oldest"
        return Keyset("published_at", descending=not oldest_first)

    @extend_schema(
        summary="Add or reject a tag (staff)",
        description="Recorded as an editor's decision, which re-tagging never overrides.",
        request=serializers.TagDecisionSerializer,
        responses={200: serializers.TagLinkSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser], filter_backends=[])
    def tags(self, request: Request, pk: str) -> Response:
        article = Article.objects.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
        if article is None:
            raise Http404
        decision = serializers.TagDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        link = tag_decide(
            article=article, entity=decision.validated_data["entity"],
            rejected=decision.validated_data["decision"] == "reject",
        )
        return Response(serializers.TagLinkSerializer(link).data, status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(
        summary="An article's earlier versions, newest first",
        description="Each title and text the article had before a later fetch changed it (a silent edit by its "
        "outlet); the article itself is the current version. 404 when there is no such article.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The article's id.")],
    ),
)
class ArticleVersionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.ArticleVersionSerializer
    pagination_class = KeysetPagination

    def get_keyset(self) -> Keyset:
        return Keyset("number", descending=True)

    def get_queryset(self) -> QuerySet[ArticleVersion]:
        article_id = int(self.kwargs["id"])
        if article_id > 2**63 - 1 or not Article.objects.filter(pk=article_id).exists():
            raise Http404
        return ArticleVersion.objects.filter(article_id=article_id).select_related("source")


@extend_schema_view(
    list=extend_schema(summary="Events of the timeline, latest first"),
    retrieve=extend_schema(summary="One event", parameters=[IDENTIFIER]),
)
class EventViewSet(IdOrSlugMixin, ReadViewSet):
    serializer_class = serializers.EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiEventFilter
    keyset = Keyset("start_date", descending=True)

    def get_queryset(self) -> QuerySet[Event]:
        participants = EventParticipant.objects.select_related("person", "organization").order_by("id")
        return Event.objects.select_related("place").prefetch_related(Prefetch("participants", queryset=participants))


class EntityViewSet(IdOrSlugMixin, ReadViewSet):
    """People, organizations, places, topics and outlets: by name, and each by id or slug."""

    model: type = Person
    related: tuple[str, ...] = ("parent",)
    prefetch: tuple = ()

    def get_queryset(self) -> QuerySet:
        return self.model.objects.select_related(*self.related).prefetch_related(*self.prefetch)


def _entity_schema(plural: str):
    return extend_schema_view(
        list=extend_schema(summary=f"{plural}, by name"),
        retrieve=extend_schema(summary=f"One of the {plural.lower()}", parameters=[IDENTIFIER]),
    )


@_entity_schema("People")
class PersonViewSet(EntityViewSet):
    model = Person
    serializer_class = serializers.PersonSerializer
    related = ("affiliation",)
    prefetch = (Prefetch("roles", queryset=PersonRole.objects.select_related("organization").order_by("start_date", "id")),)


@_entity_schema("Organizations")
class OrganizationViewSet(EntityViewSet):
    model = Organization
    serializer_class = serializers.OrganizationSerializer


@_entity_schema("Places")
class PlaceViewSet(EntityViewSet):
    model = Place
    serializer_class = serializers.PlaceSerializer


@_entity_schema("Topics")
class TopicViewSet(EntityViewSet):
    model = Topic
    serializer_class = serializers.TopicSerializer


@_entity_schema("Outlets")
class SourceViewSet(EntityViewSet):
    model = Source
    serializer_class = serializers.SourceSerializer
    related = ()


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request: Request, path: str = "") -> Response:
    """Any other address under /api/: a JSON 404 like the API's own, not the site's HTML page."""
    raise NotFound


def _enqueue(task, *args) -> Response:
    """Queue a task once the request's transaction commits; answer 202 with the task's id."""
    task_id = str(uuid.uuid4())
    transaction.on_commit(lambda: task.apply_async(args=args, task_id=task_id))
    return Response({"task_id": task_id, "status": "queued"}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    summary="Ingest a web page or a feed by its URL (staff)",
    description="The URL is fetched by a worker (public addresses only), then extracted, de-duplicated and tagged; "
    "a feed is registered and its entries read.",
    request=serializers.IngestUrlSerializer,
    responses={202: serializers.QueuedSerializer},
    tags=["ingest"],
)
@api_view(["POST"])
@permission_classes([IsAdminUser])
def ingest_url_create(request: Request) -> Response:
    submitted = serializers.IngestUrlSerializer(data=request.data)
    submitted.is_valid(raise_exception=True)
    return _enqueue(url_ingest, submitted.validated_data["url"])


@extend_schema(
    summary="Fetch a registered feed now (staff)",
    request=serializers.IngestFeedSerializer,
    responses={202: serializers.QueuedSerializer},
    tags=["ingest"],
)
@api_view(["POST"])
@permission_classes([IsAdminUser])
def ingest_feed_create(request: Request) -> Response:
    submitted = serializers.IngestFeedSerializer(data=request.data)
    submitted.is_valid(raise_exception=True)
    return _enqueue(feed_fetch, submitted.validated_data["feed"].pk)
