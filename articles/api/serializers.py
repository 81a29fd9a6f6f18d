"""The API's shapes, and the one article serializer that `export_articles` also writes with.

An article in the API carries the export's fields under the export's names; where the export
writes a name (an outlet, a person, an event's place) the API gives a reference
`{id, name, slug}`, so a client can follow it to `/api/<kind>/<slug>/` or filter by it. The
export is the API's article detail with each reference reduced to its name (`export_row`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from articles.models import (
    ENTITY_KINDS,
    Article,
    ArticleVersion,
    CopyClaim,
    DecidedBy,
    Event,
    EventParticipant,
    Feed,
    Organization,
    Person,
    PersonRole,
    Place,
    Quote,
    Source,
    TagLink,
    Topic,
)

ACTOR_KINDS = ["person", "organization"]
TAG_KINDS = list(ENTITY_KINDS)


def ref(entity: Model | None) -> dict | None:
    """How the API points at a person, organization, place, topic or outlet."""
    if entity is None:
        return None
    return {"id": entity.pk, "name": str(entity), "slug": entity.slug}


class RefSerializer(serializers.Serializer):
    """For the schema: what `ref()` writes."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()

    class Meta:
        ref_name = "Ref"

    def to_representation(self, instance):
        return ref(instance)


class ActorSerializer(serializers.Serializer):
    """A person or an organization, saying which."""

    kind = serializers.ChoiceField(choices=ACTOR_KINDS)
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()

    def to_representation(self, actor: Person | Organization) -> dict:
        return {"kind": actor.entity_kind, **ref(actor)}


class ParticipantSerializer(ActorSerializer):
    role = serializers.CharField(help_text="Their part in the event; may be empty.")

    def to_representation(self, participant: EventParticipant) -> dict:
        return {**super().to_representation(participant.entity), "role": participant.role}


class IsoDateTimeField(serializers.DateTimeField):
    """ISO 8601 as Python writes it (`+00:00`), the form `export_articles` has always written."""

    def to_representation(self, value):
        return value.isoformat() if value is not None else None


@extend_schema_field(RefSerializer(many=True))
class TagLinksField(serializers.Field):
    """The entities an article is tagged with (editors' rejections left out by the queryset)."""

    def __init__(self, link: str, entity: str, **kwargs):
        self.entity = entity
        super().__init__(source=link, read_only=True, **kwargs)

    def to_representation(self, links) -> list[dict]:
        return [ref(getattr(link, self.entity)) for link in links.all()]


class EventSummarySerializer(serializers.ModelSerializer):
    """An event as an article carries it."""

    date = serializers.DateField(source="start_date", allow_null=True, help_text="When it began.")
    place = RefSerializer(allow_null=True)
    participants = ParticipantSerializer(many=True)

    class Meta:
        model = Event
        fields = ["id", "slug", "title", "kind", "date", "place", "participants"]


class QuoteSerializer(serializers.ModelSerializer):
    speaker = ActorSerializer(help_text="Who the text attributes the words to.")

    class Meta:
        model = Quote
        fields = ["text", "speaker", "attribution", "offset"]


class ArticleSerializer(serializers.ModelSerializer):
    """An article in a list: the export's fields but its body.

    With `context={"export": True}` it writes `export_articles`' row instead (see `export_row`).
    """

    source = RefSerializer(allow_null=True, help_text="The outlet.")
    published_at = IsoDateTimeField(allow_null=True)
    published_precision = serializers.CharField(
        help_text="How sure the date is: exact, day, month, year, or approximate when inferred from the text."
    )
    duplicate_of = serializers.SerializerMethodField(help_text="The article this one copies, if any.")
    people = TagLinksField("person_links", "person")
    organizations = TagLinksField("organization_links", "organization")
    places = TagLinksField("place_links", "place")
    topics = TagLinksField("topic_links", "topic")
    events = EventSummarySerializer(many=True)

    class Meta:
        model = Article
        fields = [
            "id", "url", "title", "source", "published_at", "published_precision", "language", "is_relevant",
            "duplicate_of", "byline", "people", "organizations", "places", "topics", "events",
        ]

    @extend_schema_field(
        inline_serializer("DuplicateOf", {"id": serializers.IntegerField(), "url": serializers.CharField()}, allow_null=True)
    )
    def get_duplicate_of(self, article: Article) -> dict | None:
        original = article.duplicate_of
        return {"id": original.pk, "url": original.url} if original else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return export_row(data) if self.context.get("export") else data


class CopyClaimSerializer(serializers.ModelSerializer):
    """This article is another outlet's item that gave a stored article's URL as its own."""

    original = serializers.SerializerMethodField(help_text="The article whose URL it claimed (null once removed).")
    review = serializers.ChoiceField(
        choices=CopyClaim.Review.choices, help_text="pending until an editor confirms it is a copy, or rejects that.",
    )

    class Meta:
        model = CopyClaim
        fields = ["original", "claimed_url", "review"]

    @extend_schema_field(
        inline_serializer("ClaimedArticle", {"id": serializers.IntegerField(), "url": serializers.CharField()}, allow_null=True)
    )
    def get_original(self, claim: CopyClaim) -> dict | None:
        return {"id": claim.original.pk, "url": claim.original.url} if claim.original else None


class ArticleDetailSerializer(ArticleSerializer):
    """One article: the list's fields, its body, the quotations it carries and its history."""

    quotes = QuoteSerializer(many=True)
    version_count = serializers.SerializerMethodField(
        help_text="How many times a later fetch changed its title or text (see /api/articles/{id}/versions/).",
    )
    copy_claim = serializers.SerializerMethodField(help_text="Set when this is an item claiming another outlet's article URL.")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "quotes", "version_count", "copy_claim"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("export"):
            for name in ("quotes", "version_count", "copy_claim"):
                self.fields.pop(name)

    def get_version_count(self, article: Article) -> int:
        return article.versions.count()

    @extend_schema_field(CopyClaimSerializer(allow_null=True))
    def get_copy_claim(self, article: Article) -> dict | None:
        claim = getattr(article, "copy_claim", None)
        return CopyClaimSerializer(claim).data if claim else None


class ArticleVersionSerializer(serializers.ModelSerializer):
    """A text the article had before a later fetch replaced it."""

    source = RefSerializer(allow_null=True, help_text="The outlet it came from then.")
    published_at = IsoDateTimeField(allow_null=True)
    fetched_at = IsoDateTimeField(allow_null=True)
    superseded_at = IsoDateTimeField()

    class Meta:
        model = ArticleVersion
        fields = [
            "number", "title", "byline", "source", "published_at", "fetched_at", "superseded_at", "content_hash", "body",
        ]


def export_row(data: dict[str, Any]) -> dict[str, Any]:
    """The export's row from the API's article: references become names; nothing else changes."""

    def names(refs: list[dict]) -> list[str]:
        return [item["name"] for item in refs]

    return {
        "id": data["id"],
        "url": data["url"],
        "title": data["title"],
        "source": data["source"]["name"] if data["source"] else None,
        "published_at": data["published_at"],
        "language": data["language"],
        "is_relevant": data["is_relevant"],
        "duplicate_of": data["duplicate_of"]["url"] if data["duplicate_of"] else None,
        "byline": data["byline"],
        "body": data["body"],
        "people": names(data["people"]),
        "organizations": names(data["organizations"]),
        "places": names(data["places"]),
        "topics": names(data["topics"]),
        "events": [
            {
                "title": event["title"],
                "kind": event["kind"],
                "date": event["date"],
                "place": event["place"]["name"] if event["place"] else None,
                "participants": names(event["participants"]),
            }
            for event in data["events"]
        ],
    }


# The knowledge base and the outlets


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "slug", "homepage", "country", "is_demo"]


class EntitySerializer(serializers.ModelSerializer):
    """What every person, organization, place and topic has."""

    class Meta:
        fields = ["id", "name", "slug", "aliases", "description", "wikidata_id", "reviewed"]


class PersonRoleSerializer(serializers.ModelSerializer):
    organization = RefSerializer(allow_null=True)

    class Meta:
        model = PersonRole
        fields = ["title", "organization", "start_date", "end_date"]


class PersonSerializer(EntitySerializer):
    affiliation = RefSerializer(allow_null=True)
    roles = PersonRoleSerializer(many=True, help_text="Dated roles, oldest first.")

    class Meta:
        model = Person
        fields = [*EntitySerializer.Meta.fields, "title", "affiliation", "nationality", "roles"]


class OrganizationSerializer(EntitySerializer):
    parent = RefSerializer(allow_null=True)

    class Meta:
        model = Organization
        fields = [*EntitySerializer.Meta.fields, "kind", "acronyms", "country", "parent"]


class PlaceSerializer(EntitySerializer):
    parent = RefSerializer(allow_null=True)

    class Meta:
        model = Place
        fields = [*EntitySerializer.Meta.fields, "kind", "country_code", "latitude", "longitude", "parent"]


class TopicSerializer(EntitySerializer):
    parent = RefSerializer(allow_null=True)

    class Meta:
        model = Topic
        fields = [*EntitySerializer.Meta.fields, "parent"]


class EventSerializer(EventSummarySerializer):
    """An event of the timeline."""

    date_precision = serializers.CharField(source="start_precision")

    class Meta(EventSummarySerializer.Meta):
        fields = [
            *EventSummarySerializer.Meta.fields,
            "date_precision", "end_date", "summary", "reference", "confidence", "reviewed",
        ]


# Writes


class TagDecisionSerializer(serializers.Serializer):
    """An editor's decision on one tag of an article."""

    kind = serializers.ChoiceField(choices=TAG_KINDS)
    entity = serializers.CharField(max_length=300, help_text="The entity's id or slug.")
    decision = serializers.ChoiceField(
        choices=["add", "reject"], help_text="add: tag the article with it; reject: keep the tag off for good."
    )

    def validate(self, data: dict) -> dict:
        model = ENTITY_KINDS[data["kind"]].model
        key = data["entity"]
        lookup = {"pk": int(key)} if key.isascii() and key.isdigit() and len(key) < 19 else {"slug": key}
        entity = model.objects.filter(**lookup).first()
        if entity is None:
            raise serializers.ValidationError({"entity": [f"No {data['kind']} with the id or slug {key!r}."]})
        return {**data, "entity": entity}


class TagLinkSerializer(serializers.Serializer):
    """A tag after an editor's decision."""

    kind = serializers.ChoiceField(choices=TAG_KINDS)
    entity = RefSerializer()
    decided_by = serializers.ChoiceField(choices=DecidedBy.choices)
    rejected = serializers.BooleanField()
    mentions = serializers.IntegerField()

    def to_representation(self, link: TagLink) -> dict:
        entity = getattr(link, link.entity_field)
        return {
            "kind": link.entity_field, "entity": ref(entity), "decided_by": link.decided_by,
            "rejected": link.rejected, "mentions": link.mentions,
        }


class IngestUrlSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text="An http(s) page to fetch, extract and tag.")

    def validate_url(self, url: str) -> str:
        if not url.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https addresses can be ingested.")
        return url


class IngestFeedSerializer(serializers.Serializer):
    feed = serializers.PrimaryKeyRelatedField(queryset=Feed.objects.all(), help_text="The feed's id (see the admin).")


class QueuedSerializer(serializers.Serializer):
    task_id = serializers.CharField(help_text="The Celery task's id.")
    status = serializers.ChoiceField(choices=["queued"])

