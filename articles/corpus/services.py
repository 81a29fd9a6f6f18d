"""Writes a synthetic corpus: articles, their tag links and event links, in batches.

On PostgreSQL each batch is one COPY per table (ids reserved from the sequence first, so the
links can point at their articles); elsewhere it is bulk_create. Every column of each table is
written, with the model's default for those the corpus has no value for, so a column another
feature adds later does not break the load. Articles are stored as tagged by the current tagger.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import itertools
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction

from articles.ingest.documents import content_hash
from articles.models import ENTITY_KINDS, Article, DecidedBy, Event, Source
from articles.queries.mentions import mention_months_refresh
from articles.tagging.services import TAGGER_VERSION

from .generator import ComposedArticle, CorpusError, CorpusPlan, article_compose, corpus_plan, outlet_names

# kind -> its tag link model, one per kind as the pages know them.
LINK_MODELS = {kind: entity.link_model for kind, entity in ENTITY_KINDS.items()}
EVENT_ARTICLES = Event.articles.through


def _quote_model() -> type[models.Model] | None:
    """The Quote model when it exists and its table has been migrated; quotes are skipped otherwise."""
    try:
        model = apps.get_model("articles", "Quote")
    except LookupError:
        return None
    return model if model._meta.db_table in connection.introspection.table_names() else None


def _quote_rows(article: ComposedArticle, article_id: int) -> Iterable[dict]:
    for kind, speaker_id, quoted, offset in article.quotes:
        yield {"article_id": article_id, f"speaker_{kind}_id": speaker_id, "text": quoted, "offset": offset,
               "attribution": "said"}


@dataclass
class CorpusReport:
    articles: int = 0
    links: dict[str, int] = field(default_factory=dict)
    event_links: int = 0
    quotes: int = 0
    seconds: float = 0.0
    method: str = ""

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        links = ", ".join(f"{n} {kind} links" for kind, n in self.links.items())
        return (
            f"{self.articles} articles ({links}, {self.event_links} event links, {self.quotes} quotes) in {self.seconds:.1f} s "
            f"by {self.method}: {self.articles_per_second:.0f} articles/s"
        )


def outlets_ensure() -> dict[str, int]:
    """The synthetic outlets (marked demo: not real reporting), created once; slug -> id."""
    outlets = outlet_names()
    Source.objects.bulk_create(
        [Source(name=o.name, slug=o.slug, homepage=f"https://{o.host}/", is_demo=True) for o in outlets],
        ignore_conflicts=True,
    )
    return dict(Source.objects.filter(slug__in=[o.slug for o in outlets]).values_list("slug", "id"))


def _article_values(article: ComposedArticle, source_id: int) -> dict:
    stored_at = article.published_at + dt.timedelta(minutes=7)
    return {
        "url": article.url,
        "source_id": source_id,
        "title": article.title,
        "byline": article.byline,
        "published_at": article.published_at,
        "body": article.body,
        "language": "en",
        "content_hash": content_hash(article.body),
        "status": Article.Status.TAGGED,
        "relevance": article.relevance,
        "is_relevant": article.is_relevant,
        "fetched_at": stored_at,
        "tagged_at": stored_at,
        "tagger_version": TAGGER_VERSION,
        "created_at": stored_at,
        "updated_at": stored_at,
    }


def _link_rows(article: ComposedArticle, article_id: int) -> Iterable[tuple[str, dict]]:
    for kind, items in article.links.items():
        entity_field = f"{kind}_id"
        for entity_id, (mentions, offset, score) in items.items():
            values = {
                "article_id": article_id, entity_field: entity_id, "mentions": mentions, "first_offset": offset,
                "decided_by": DecidedBy.TAGGER, "rejected": False, "created_at": article.published_at,
            }
            if kind == "topic":
                values["score"] = score
            yield kind, values


class _CopyTable:
    """Rows of one model as COPY text: every stored column, the model's defaults for the missing values."""

    def __init__(self, model: type[models.Model], *, with_pk: bool):
        with connection.cursor() as cursor:
            # The table's own columns: a field whose migration has not run yet is left out.
            stored = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
        self.fields = [
            f for f in model._meta.concrete_fields
            if f.column in stored and not getattr(f, "generated", False) and (with_pk or not f.primary_key)
        ]
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def line(self, values: dict) -> str:
        return "\t".join(
            _copy_text(values[f.attname] if f.attname in values else self.defaults[f.attname]) for f in self.fields
        ) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).translate(_ESCAPES)


@dataclass
class _CopyJob:
    """What a composer process needs; set before the fork, so nothing is pickled but the ids."""

    plan: CorpusPlan
    outlet_ids: dict[str, int]
    tables: dict[str, _CopyTable]


_job: _CopyJob | None = None


def _copy_batch(first: int, ids: list[int]) -> dict[str, tuple[str, int]]:
    """Articles `first` .. `first + len(ids) - 1` as COPY text per table (and row counts); no database."""
    job = _job
    lines: dict[str, list[str]] = {name: [] for name in job.tables}
    for article_id, index in zip(ids, itertools.count(first), strict=False):
        article = article_compose(job.plan, index)
        lines["article"].append(
            job.tables["article"].line({"id": article_id, **_article_values(article, job.outlet_ids[article.outlet.slug])})
        )
        for kind, values in _link_rows(article, article_id):
            lines[kind].append(job.tables[kind].line(values))
        for event_id in article.event_ids:
            lines["event"].append(job.tables["event"].line({"event_id": event_id, "article_id": article_id}))
        if "quote" in job.tables:
            lines["quote"].extend(job.tables["quote"].line(values) for values in _quote_rows(article, article_id))
    return {name: ("".join(rows), len(rows)) for name, rows in lines.items()}


def _reserve_ids(count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Article._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _generate_copy(plan: CorpusPlan, outlet_ids: dict[str, int], batches: list[range], report: CorpusReport,
                   progress: Callable[[int], None] | None, composers: int) -> None:
    """COPY each batch in its own transaction while composer processes write the next ones.

    Composing (Python) and loading (PostgreSQL: triggers, indexes) each keep a core busy, so on two
    cores the pipeline runs at the pace of the slower of the two instead of their sum.
    """
    global _job
    tables = {"article": _CopyTable(Article, with_pk=True)}
    tables.update({kind: _CopyTable(model, with_pk=False) for kind, model in LINK_MODELS.items()})
    tables["event"] = _CopyTable(EVENT_ARTICLES, with_pk=False)
    quote_model = _quote_model()
    if quote_model is not None:
        tables["quote"] = _CopyTable(quote_model, with_pk=False)
    _job = _CopyJob(plan, outlet_ids, tables)

    def load(texts: dict[str, tuple[str, int]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, (body, rows) in texts.items():
                if rows:
                    cursor.copy_expert(tables[name].sql, io.StringIO(body))
        for kind in LINK_MODELS:
            report.links[kind] = report.links.get(kind, 0) + texts[kind][1]
        report.event_links += texts["event"][1]
        report.quotes += texts.get("quote", ("", 0))[1]
        report.articles += texts["article"][1]
        if progress:
            progress(report.articles)

    if composers < 1:
        for batch in batches:
            load(_copy_batch(batch.start, _reserve_ids(len(batch))))
        return
    # fork: the children inherit the plan; they never touch the parent's database connection.
    with multiprocessing.get_context("fork").Pool(composers) as pool:
        pending: collections.deque = collections.deque()
        for batch in batches:
            pending.append(pool.apply_async(_copy_batch, (batch.start, _reserve_ids(len(batch)))))
            if len(pending) > composers + 1:
                load(pending.popleft().get())
        while pending:
            load(pending.popleft().get())


def _write_orm(batch: list[ComposedArticle], outlet_ids: dict[str, int], report: CorpusReport) -> None:
    rows = Article.objects.bulk_create(
        [Article(**_article_values(a, outlet_ids[a.outlet.slug])) for a in batch]
    )
    links: dict[str, list] = {kind: [] for kind in LINK_MODELS}
    event_links = []
    for article, row in zip(batch, rows, strict=True):
        for kind, values in _link_rows(article, row.pk):
            links[kind].append(LINK_MODELS[kind](**values))
        event_links.extend(EVENT_ARTICLES(event_id=e, article_id=row.pk) for e in article.event_ids)
    for kind, objects in links.items():
        LINK_MODELS[kind].objects.bulk_create(objects)
        report.links[kind] = report.links.get(kind, 0) + len(objects)
    EVENT_ARTICLES.objects.bulk_create(event_links)
    report.event_links += len(event_links)
    quote_model = _quote_model()
    if quote_model is not None:
        quotes = quote_model.objects.bulk_create(
            [quote_model(**values) for article, row in zip(batch, rows, strict=True) for values in _quote_rows(article, row.pk)]
        )
        report.quotes += len(quotes)


def corpus_generate(
    *,
    articles: int,
    seed: int,
    start: int = 0,
    batch_size: int = 2000,
    analyze: bool = True,
    composers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> CorpusReport:
    """Write articles `start` .. `start + articles - 1` of the corpus for `seed`, one transaction per batch.

    Refuses a range whose first article is already stored (the URLs are unique per seed and index).
    On PostgreSQL, `composers` processes compose batches while this one loads them (0: compose here).
    On PostgreSQL it ends with VACUUM (ANALYZE), so that the planner sees the new sizes at once and
    index-only scans work.
    """
    if articles < 0 or start < 0 or batch_size < 1:
        raise CorpusError("articles and start must be zero or more, batch size at least one")
    plan = corpus_plan(seed=seed)
    if articles and Article.objects.filter(url=article_compose(plan, start).url).exists():
        raise CorpusError(f"article {start} of seed {seed} is already stored: pass --start after the last one")
    copy = connection.vendor == "postgresql"
    report = CorpusReport(method=f"COPY, {composers} composer process(es)" if copy else "bulk_create")
    began = time.perf_counter()
    outlet_ids = outlets_ensure()
    end = start + articles
    batches = [range(first, min(first + batch_size, end)) for first in range(start, end, batch_size)]
    if copy:
        _generate_copy(plan, outlet_ids, batches, report, progress, composers)
    else:
        for batch in batches:
            with transaction.atomic():
                _write_orm([article_compose(plan, i) for i in batch], outlet_ids, report)
            report.articles += len(batch)
            if progress:
                progress(report.articles)
    if articles:
        mention_months_refresh()  # the charts' precomputed months, as the periodic task would
    if copy and analyze and articles:
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, without which index-only scans still visit every row;
            # it cannot run inside a transaction, where ANALYZE alone still gives the planner sizes.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    report.seconds = time.perf_counter() - began
    return report
