"""What the tagger records beyond tags: quotes, the evidence behind what it found, re-tag jobs.

Evidence rows say which article made the tagger create or attach something (a discovered person,
an extracted event), so that re-tagging an article can take back exactly what it gave and
nothing an editor did.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .core import Article, Event, Organization, Person, Topic, _choices_check

__all__ = ["EventEvidence", "EvidenceBasis", "PersonEvidence", "Quote", "RetagJob", "RetagJobKind", "RetagJobStatus"]


class Quote(models.Model):
    """A direct quotation in an article, with the person or organization the text attributes it to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    offset = models.PositiveIntegerField(help_text="Where the quotation starts in the body.")
    speaker_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="quotes"
    )
    speaker_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="quotes"
    )
    attribution = models.CharField(max_length=300, blank=True, help_text="The words that attribute it.")

    class Meta:
        ordering = ["article", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["article", "offset"], name="quote_unique_per_offset"),
            models.CheckConstraint(
                condition=(Q(speaker_person__isnull=False) & Q(speaker_organization__isnull=True))
                | (Q(speaker_person__isnull=True) & Q(speaker_organization__isnull=False)),
                name="quote_speaker_is_person_xor_organization",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    @property
    def speaker(self) -> Person | Organization:
        return self.speaker_person or self.speaker_organization


class PersonEvidence(models.Model):
    """Why the tagger believes a person it did not know exists: the role it was introduced with."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_evidence")
    role = models.CharField(max_length=300)
    snippet = models.CharField(max_length=500)
    offset = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "person evidence"
        ordering = ["person", "article"]
        constraints = [
            models.UniqueConstraint(fields=["person", "article", "offset"], name="person_evidence_unique"),
            models.CheckConstraint(condition=~Q(role=""), name="person_evidence_role_not_empty"),
        ]
        indexes = [models.Index(fields=["article"], name="person_evidence_article_idx")]

    def __str__(self) -> str:
        return f"{self.person}: {self.role}"


class EvidenceBasis(models.TextChoices):
    REPORTED = "reported", "the article reports it"
    NAMED = "named", "the article names it"
    DESCRIBED = "described", "the article describes it"


class EventEvidence(models.Model):
    """The sentence from which the tagger attached an article to an event, and what dated it.

    An article linked to an event without evidence was linked by an editor; re-tagging leaves it.
    """

    Basis = EvidenceBasis

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="event_evidence")
    sentence = models.TextField()
    offset = models.PositiveIntegerField(help_text="Where the sentence starts in the article's body.")
    end = models.PositiveIntegerField(null=True, blank=True, help_text="Where it ends.")
    basis = models.CharField(max_length=10, choices=EvidenceBasis.choices, default=EvidenceBasis.REPORTED)
    date_text = models.CharField(
        max_length=200, blank=True, help_text="The words that date it ('on Monday'), read against the article's date."
    )
    confidence = models.FloatField()

    class Meta:
        verbose_name_plural = "event evidence"
        ordering = ["event", "article", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["event", "article"], name="event_evidence_unique"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="event_evidence_confidence_in_unit_range"
            ),
            _choices_check("basis", EvidenceBasis, "event_evidence_basis_valid"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("offset")), name="event_evidence_end_after_offset"),
        ]
        indexes = [models.Index(fields=["article"], name="event_evidence_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} -> {self.event}"


class RetagJobKind(models.TextChoices):
    ALL = "all", "every article"
    STALE = "stale", "articles tagged by an older tagger"
    TOPIC = "topic", "articles a topic's rules change may affect"


class RetagJobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_JOB_STATUSES = [RetagJobStatus.QUEUED, RetagJobStatus.RUNNING]


class RetagJob(models.Model):
    """Re-tagging a set of articles in id order, resumable from `cursor` after an interruption.

    Progress is measured on the id range fixed at creation, so it needs no COUNT over articles.
    """

    Kind = RetagJobKind
    Status = RetagJobStatus

    kind = models.CharField(max_length=8, choices=Kind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="retag_jobs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=300, blank=True)
    first_id = models.PositiveBigIntegerField(default=0)
    last_id = models.PositiveBigIntegerField(default=0)
    cursor = models.PositiveBigIntegerField(default=0, help_text="Articles up to this id are done.")
    examined = models.PositiveIntegerField(default=0)
    retagged = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            _choices_check("kind", RetagJobKind, "retag_job_kind_valid"),
            _choices_check("status", RetagJobStatus, "retag_job_status_valid"),
            models.CheckConstraint(
                condition=Q(kind=RetagJobKind.TOPIC, topic__isnull=False) | (~Q(kind=RetagJobKind.TOPIC) & Q(topic__isnull=True)),
                name="retag_job_topic_iff_topic_kind",
            ),
            models.CheckConstraint(condition=Q(last_id__gte=F("first_id")) | Q(last_id=0), name="retag_job_id_range"),
            # One unfinished job per kind (and per topic): a second request joins the first.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status__in=ACTIVE_JOB_STATUSES, topic__isnull=True),
                name="retag_job_one_active_per_kind",
            ),
            models.UniqueConstraint(
                fields=["topic"], condition=Q(status__in=ACTIVE_JOB_STATUSES, topic__isnull=False),
                name="retag_job_one_active_per_topic",
            ),
        ]

    def __str__(self) -> str:
        what = f"topic {self.topic}" if self.topic_id else self.get_kind_display()
        return f"Re-tag {what} ({self.status}, {self.progress:.0%})"

    @property
    def progress(self) -> float:
        if self.status == RetagJobStatus.DONE:
            return 1.0
        if self.last_id == 0 or self.cursor < self.first_id:
            return 0.0
        return min(1.0, (self.cursor - self.first_id + 1) / (self.last_id - self.first_id + 1))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES
