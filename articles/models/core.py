"""Newsroom's data: outlets and feeds, articles, the knowledge base, and the tags between them.

Invariants live in the database (unique and check constraints), so that no code path, admin
form or concurrent worker can break them.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from articles.text.hygiene import visible

__all__ = [
    "Article",
    "ArticleOrganization",
    "ArticlePerson",
    "ArticlePlace",
    "ArticleStatus",
    "ArticleTopic",
    "DatePrecision",
    "DecidedBy",
    "Entity",
    "Event",
    "EventKey",
    "EventKind",
    "EventParticipant",
    "Feed",
    "Organization",
    "OrganizationKind",
    "Person",
    "PersonRole",
    "Place",
    "PlaceKind",
    "PublishedBasis",
    "Source",
    "SourceKind",
    "TagLink",
    "TimestampedModel",
    "Topic",
]


class DatePrecision(models.TextChoices):
    EXACT = "exact", "exact time"
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    APPROXIMATE = "approximate", "approximate"


class DecidedBy(models.TextChoices):
    """Who made a tag. Re-tagging replaces the tagger's tags and never an editor's."""

    TAGGER = "tagger", "tagger"
    EDITOR = "editor", "editor"


def _choices_check(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SourceKind(models.TextChoices):
    NEWSPAPER = "newspaper", "newspaper"
    BROADCASTER = "broadcaster", "broadcaster"
    AGENCY = "agency", "news agency"
    WIRE = "wire", "wire service"
    OFFICIAL = "official", "official source"
    BLOG = "blog", "blog"
    OTHER = "other", "other"


class Source(TimestampedModel):
    """A news outlet."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    languages = models.CharField(
        max_length=100, blank=True, help_text="The languages it publishes in: ISO 639-1 codes, space-separated."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Demo content written for Newsroom, not real reporting."
    )

    class Meta:
        ordering = ["name"]
        constraints = [_choices_check("kind", SourceKind, "source_kind_valid")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = visible(self.name, one_line=True)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()


class Feed(TimestampedModel):
    url = models.URLField(max_length=2000, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failure_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    fetch_interval = models.PositiveIntegerField(
        default=3600, help_text="Seconds between polls; adapts to how often the feed publishes."
    )
    body_hash = models.CharField(max_length=64, blank=True, help_text="Hash of the last body, to skip an unchanged feed.")
    guids_unreliable = models.BooleanField(
        default=False, help_text="The feed reuses GUIDs for different items, so its items are told apart by URL."
    )

    class Meta:
        ordering = ["url"]
        indexes = [models.Index(fields=["next_fetch_at"], condition=Q(active=True), name="feed_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(failure_count__gte=0), name="feed_failure_count_non_negative"),
            models.CheckConstraint(condition=Q(fetch_interval__gte=60), name="feed_fetch_interval_at_least_a_minute"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class ArticleStatus(models.TextChoices):
    NEW = "new", "new"
    TAGGED = "tagged", "tagged"
    FAILED = "failed", "failed"


class PublishedBasis(models.TextChoices):
    """Where an article's publication date comes from, most trusted first; an editor's always wins."""

    EDITOR = "editor", "set by an editor"
    METADATA = "metadata", "the page's metadata"
    FEED = "feed", "the feed"
    DATELINE = "dateline", "the dateline"
    TEXT = "text", "the text"
    NONE = "", "no safe date"


class Article(TimestampedModel):
    Status = ArticleStatus

    url = models.URLField(
        max_length=2000,
        unique=True,
        help_text="Canonical URL; a file import gets a stable urn:newsroom: identifier.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles")
    title = models.CharField(max_length=1000)
    byline = models.CharField(max_length=500, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    published_basis = models.CharField(
        max_length=10, choices=PublishedBasis.choices, default=PublishedBasis.METADATA, blank=True,
        help_text="Where the publication date comes from; the tagger re-reads only a date it read itself.",
    )
    body = models.TextField(help_text="Clean main text.")
    body_html = models.TextField(blank=True, help_text="The body as HTML, sanitized (nh3) before it was stored.")
    ingest_note = models.CharField(
        max_length=500, blank=True, help_text="Why the text came from where it did, e.g. the page returned 404."
    )
    language = models.CharField(max_length=12, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    relevance = models.FloatField(default=0.0)
    is_relevant = models.BooleanField(default=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    tagged_at = models.DateTimeField(null=True, blank=True)
    tagger_version = models.PositiveIntegerField(default=0)
    # Title (weight A) and body (B) as a tsvector, written by a PostgreSQL trigger on insert and
    # update (migration 0002) and searched through a GIN index; unused (always null) on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    people = models.ManyToManyField("Person", through="ArticlePerson", related_name="articles")
    organizations = models.ManyToManyField("Organization", through="ArticleOrganization", related_name="articles")
    places = models.ManyToManyField("Place", through="ArticlePlace", related_name="articles")
    topics = models.ManyToManyField("Topic", through="ArticleTopic", related_name="articles")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["source", "-published_at"], name="article_source_published_idx"),
            # A language's articles newest first: the list's `language` filter for a language that is rare.
            models.Index(fields=["language", "-published_at"], name="article_language_published_idx"),
            models.Index(fields=["is_relevant", "-published_at"], name="article_relevant_published_idx"),
            # Relevant articles newest first, undated last: the capped counts and facet samples of
            # filtered lists walk it (at a million articles, a rarer person and a year: 3.6 s of SQL
            # without it, 0.5 s with it; see bench/README.md).
            models.Index(
                "is_relevant", F("published_at").desc(nulls_last=True), F("id").desc(),
                name="article_relevant_recent_idx",
            ),
            # The same over stories only (no copy of another outlet's), which lists show by default.
            models.Index(
                "is_relevant", F("published_at").desc(nulls_last=True), F("id").desc(),
                name="article_story_recent_idx", condition=Q(duplicate_of__isnull=True),
            ),
        ]
        constraints = [
            _choices_check("status", ArticleStatus, "article_status_valid"),
            _choices_check("published_precision", DatePrecision, "article_published_precision_valid"),
            _choices_check("published_basis", PublishedBasis, "article_published_basis_valid"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(published_basis=""), name="article_published_has_a_basis"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="article_not_duplicate_of_itself"),
            models.CheckConstraint(
                condition=Q(relevance__gte=0) & Q(relevance__lte=1), name="article_relevance_in_unit_range"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    def clean(self) -> None:
        """What an editor types goes through the same hygiene as what ingestion stores (articles.text.hygiene)."""
        self.title = visible(self.title, one_line=True)
        self.byline = visible(self.byline, one_line=True)
        self.dateline = visible(self.dateline, one_line=True)
        self.body = visible(self.body)

    def get_versions_url(self) -> str:
        return reverse("articles:versions", args=[self.pk])


class Entity(TimestampedModel):
    """What the tagger links: a person, organization, place or topic of the knowledge base."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the news uses.")
    names = models.JSONField(
        default=dict, blank=True,
        help_text='Names in Dari, Pashto and Urdu as their press writes them: {"fa": [...], "ps": [...], "ur": [...]}.',
    )
    description = models.TextField(blank=True)
    reviewed = models.BooleanField(default=False, help_text="Curated by an editor, not found automatically.")
    wikidata_id = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(f"articles:{self._meta.model_name}", args=[self.slug])

    def get_articles_url(self) -> str:
        """The article list filtered to this entity."""
        return reverse("articles:list") + f"?{self._meta.model_name}={self.slug}"

    @property
    def entity_kind(self) -> str:
        return self._meta.model_name


def _entity_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=["wikidata_id"], condition=~Q(wikidata_id=""), name=f"{prefix}_wikidata_id_unique"
        ),
        models.CheckConstraint(condition=~Q(name=""), name=f"{prefix}_name_not_empty"),
    ]


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    MILITARY = "military"
    INTELLIGENCE = "intelligence"
    MILITANT = "militant"
    POLITICAL = "political"
    INTERNATIONAL = "international"
    DIPLOMATIC_MISSION = "diplomatic_mission"
    MEDIA = "media"
    NGO = "ngo"
    OTHER = "other"


class Organization(Entity):
    Kind = OrganizationKind

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=2, blank=True)
    acronyms = models.JSONField(default=list, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")

    class Meta(Entity.Meta):
        constraints = [*_entity_constraints("organization"), _choices_check("kind", OrganizationKind, "organization_kind_valid")]


class Person(Entity):
    title = models.CharField(max_length=300, blank=True, help_text="The role they are best known by.")
    affiliation = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    nationality = models.CharField(max_length=2, blank=True)
    honorifics = models.JSONField(default=list, blank=True)

    class Meta(Entity.Meta):
        verbose_name_plural = "people"
        constraints = _entity_constraints("person")


class PersonRole(models.Model):
    """A dated role: envoys, ministers and commanders change, and dates resolve who is meant."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=300)
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # What the dates are known to: '2002' is stored as 1 January 2002 and shown as '2002'.
    start_precision = models.CharField(max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_precision = models.CharField(max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY)

    class Meta:
        ordering = ["person", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="person_role_ends_after_start",
            ),
            models.UniqueConstraint(fields=["person", "title", "start_date"], name="person_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"


class PlaceKind(models.TextChoices):
    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    VENUE = "venue"
    REGION = "region"


class Place(Entity):
    Kind = PlaceKind

    kind = models.CharField(max_length=10, choices=Kind.choices)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")

    class Meta(Entity.Meta):
        constraints = [
            *_entity_constraints("place"),
            _choices_check("kind", PlaceKind, "place_kind_valid"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="place_longitude_range",
            ),
        ]


class Topic(Entity):
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    rules = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"phrases": [{"phrase": ..., "weight": ...}], "entities": [{"kind": ..., "slug": ..., "weight": ...}]}',
    )
    threshold = models.FloatField(default=2.0)

    class Meta(Entity.Meta):
        constraints = [
            *_entity_constraints("topic"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="topic_threshold_positive"),
        ]


class TagLink(models.Model):
    """How an article mentions an entity, and who decided the link."""

    mentions = models.PositiveIntegerField(default=1)
    first_offset = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.CharField(max_length=6, choices=DecidedBy.choices, default=DecidedBy.TAGGER)
    rejected = models.BooleanField(default=False, help_text="An editor rejected this tag; re-tagging keeps it off.")
    created_at = models.DateTimeField(auto_now_add=True)
    # The article's published_at and is_relevant, and whether it is a copy of another outlet's
    # story, copied by database triggers (migrations 0006 and 0009) on every insert and whenever
    # the article's change, so an entity's stories in a date range and its monthly mentions are
    # one range of the (entity, published_at) index instead of a walk over every article of the
    # period.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    article_relevant = models.BooleanField(default=True, editable=False)
    article_is_copy = models.BooleanField(default=False, editable=False)

    entity_field = ""  # the name of the subclass's foreign key to the entity

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # What an editor sees heading each row of an article's tags: the entity and its kind.
        return f"{getattr(self, self.entity_field)} ({self.entity_field})"

    @classmethod
    def constraints_for(cls, name: str, entity_field: str) -> list[models.BaseConstraint]:
        return [
            models.UniqueConstraint(fields=["article", entity_field], name=f"{name}_unique"),
            _choices_check("decided_by", DecidedBy, f"{name}_decided_by_valid"),
            models.CheckConstraint(
                condition=Q(rejected=False) | Q(decided_by=DecidedBy.EDITOR), name=f"{name}_only_editors_reject"
            ),
        ]


class ArticlePerson(TagLink):
    entity_field = "person"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        verbose_name = "person tag"
        verbose_name_plural = "person tags"
        constraints = TagLink.constraints_for("article_person", "person")
        indexes = [
            models.Index(fields=["person", "article"], name="article_person_by_person_idx"),
            models.Index(
                fields=["person", "-published_at", "-article", "article_relevant", "article_is_copy"],
                name="article_person_by_date_idx",
                condition=Q(rejected=False),
            ),
        ]


class ArticleOrganization(TagLink):
    entity_field = "organization"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="organization_links")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        verbose_name = "organization tag"
        verbose_name_plural = "organization tags"
        constraints = TagLink.constraints_for("article_organization", "organization")
        indexes = [
            models.Index(fields=["organization", "article"], name="article_org_by_org_idx"),
            models.Index(
                fields=["organization", "-published_at", "-article", "article_relevant", "article_is_copy"],
                name="article_org_by_date_idx",
                condition=Q(rejected=False),
            ),
        ]


class ArticlePlace(TagLink):
    entity_field = "place"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        verbose_name = "place tag"
        verbose_name_plural = "place tags"
        constraints = TagLink.constraints_for("article_place", "place")
        indexes = [
            models.Index(fields=["place", "article"], name="article_place_by_place_idx"),
            models.Index(
                fields=["place", "-published_at", "-article", "article_relevant", "article_is_copy"],
                name="article_place_by_date_idx",
                condition=Q(rejected=False),
            ),
        ]


class ArticleTopic(TagLink):
    entity_field = "topic"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(default=0.0)

    class Meta:
        verbose_name = "topic tag"
        verbose_name_plural = "topic tags"
        constraints = TagLink.constraints_for("article_topic", "topic")
        indexes = [
            models.Index(fields=["topic", "article"], name="article_topic_by_topic_idx"),
            models.Index(
                fields=["topic", "-published_at", "-article", "article_relevant", "article_is_copy"],
                name="article_topic_by_date_idx",
                condition=Q(rejected=False),
            ),
        ]



class EventKind(models.TextChoices):
    MEETING = "meeting"
    VISIT = "visit"
    TALKS = "talks"
    AGREEMENT = "agreement"
    STATEMENT = "statement"
    ANNOUNCEMENT = "announcement"
    CONFERENCE = "conference"
    DEADLINE = "deadline"
    ATTACK = "attack"
    OTHER = "other"


class Event(TimestampedModel):
    Kind = EventKind

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=300, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_date = models.DateField(null=True, blank=True)
    place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    summary = models.TextField(blank=True)
    reference = models.CharField(max_length=500, blank=True, help_text="The public source it rests on.")
    aliases = models.JSONField(
        default=list, blank=True, help_text="Names the news gives it ('the Doha agreement'): an article naming it is linked."
    )
    confidence = models.FloatField(default=1.0)
    reviewed = models.BooleanField(default=False, help_text="On the timeline: curated, or confirmed by an editor.")
    machine_made = models.BooleanField(default=False, help_text="Found by the tagger in an article's sentence.")
    rejected = models.BooleanField(
        default=False, help_text="An editor rejected it: shown nowhere, and re-tagging never brings it back."
    )
    articles = models.ManyToManyField(Article, blank=True, related_name="events")

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [
            models.Index(fields=["start_date"], name="event_start_date_idx"),
            models.Index(fields=["reviewed", "-start_date"], name="event_timeline_idx", condition=Q(rejected=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=~(Q(rejected=True) & Q(reviewed=True)), name="event_rejected_not_reviewed"),
            _choices_check("kind", EventKind, "event_kind_valid"),
            _choices_check("start_precision", DatePrecision, "event_start_precision_valid"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="event_confidence_in_unit_range"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def origin(self) -> str:
        """curated (the reviewed timeline), confirmed (a machine event an editor confirmed) or machine."""
        if not self.machine_made:
            return "curated"
        return "confirmed" if self.reviewed else "machine"


class EventKey(models.Model):
    """What a machine-made event is, as the tagger names it: kind, day and lead participant.

    One key, one event: two workers (or two articles) finding the same happening attach to one row,
    and a key an editor merged or rejected keeps pointing where the editor put it, so re-tagging
    never brings back what they removed.
    """

    key = models.CharField(max_length=200, unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="keys")

    def __str__(self) -> str:
        return self.key


class EventParticipant(models.Model):
    """A person or an organization taking part in an event, with its role."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="event_roles")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="event_roles"
    )
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="event_participant_is_person_xor_organization",
            ),
            models.UniqueConstraint(fields=["event", "person"], name="event_participant_person_unique"),
            models.UniqueConstraint(fields=["event", "organization"], name="event_participant_org_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.role})" if self.role else str(self.entity)

    @property
    def entity(self) -> Person | Organization:
        return self.person or self.organization
