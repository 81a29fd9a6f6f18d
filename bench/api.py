"""The API's hot paths: does a page deep in the list cost what the first page costs?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_api .venv/bin/python bench/api.py --articles 100000

1. Migrate, load the knowledge base, top the database up to N synthetic articles
   (`generate_corpus`, seed 1) when it holds fewer.
2. Pick depths: the first page, and pages starting 50% and 90% into the unfiltered list and into
   the list of the most mentioned person over the corpus' busiest year.
3. For each depth, measure in the same run:
   - the API page through Django's test Client (middleware, filters, keyset, serializer, JSON),
     reached with a cursor built from the row just before that depth;
   - the bare keyset query alone (ids of 25 rows after that row, the API's filters applied);
   - the bare OFFSET query alone (`LIMIT 25 OFFSET depth`), what a page-number API would run.
4. The export: rows per second through `export_articles`' serializer, against iterating the same
   queryset (same prefetches) without serializing: the serializer's own cost.
5. Print a markdown table with p50/p95 in ms and each figure as a ratio to the first page's bare
   keyset query (the floor); write bench/results/api-<N>-<time>.json and .md.

Not a test: timings on a shared 2-core machine are noisy, so nothing here fails on a number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.http import urlencode  # noqa: E402
from report import results_write  # noqa: E402  (bench/report.py: this folder is on sys.path when run as a script)

from articles.api.export import export_queryset, iter_export  # noqa: E402
from articles.api.filters import ApiArticleFilter  # noqa: E402
from articles.api.pagination import Keyset, Position, encode_cursor  # noqa: E402
from articles.models import Article, ArticlePerson  # noqa: E402

PAGE = 25
NEWEST_FIRST = Keyset("published_at", descending=True)


def timed(action: Callable[[], object], *, runs: int, warmup: int = 2) -> tuple[list[float], int]:
    """Milliseconds per run, and the queries of the last run."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
    return samples, len(queries)


def ok(response) -> dict:
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.content[:500]!r}")
    return response.json()


def p(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


def corpus_ready(articles: int) -> int:
    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", verbosity=0)
    stored = Article.objects.count()
    if stored < articles:
        call_command("generate_corpus", articles=articles - stored, start=stored, seed=1)
    return Article.objects.count()


def busiest_person_and_year() -> tuple[str, int]:
    top = ArticlePerson.objects.values("person__slug").annotate(n=Count("id")).order_by("-n")[0]["person__slug"]
    years = (
        Article.objects.filter(person_links__person__slug=top, published_at__isnull=False)
        .values_list("published_at__year").annotate(n=Count("id")).order_by("-n")
    )
    return top, years[0][0]


def dated(queryset):
    return queryset.filter(published_at__isnull=False).order_by("-published_at", "-id").prefetch_related(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--export-rows", type=int, default=5000)
    args = parser.parse_args()

    total = corpus_ready(args.articles)
    person, year = busiest_person_and_year()
    client = Client(HTTP_HOST="127.0.0.1")
    lists = {
        "unfiltered": {},
        f"person={person}, {year}": {"person": person, "date_after": f"{year}-01-01", "date_before": f"{year}-12-31"},
    }
    rows = []
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}):
        for name, params in lists.items():
            # The bare queries: the API's own filters, without serializing anything.
            bare = dated(ApiArticleFilter(QueryDict(urlencode(params)), queryset=Article.objects.all()).qs)
            size = bare.count()
            for share in (0.0, 0.5, 0.9):
                depth = int(size * share)
                if depth and depth >= size - PAGE:
                    continue
                query = {**params, "page_size": PAGE}
                keyset_bare = bare
                if depth:
                    before = bare.values_list("published_at", "id")[depth - 1]
                    query["cursor"] = encode_cursor(NEWEST_FIRST, Position(*before))
                    keyset_bare = bare.filter(published_at__lte=before[0]).exclude(
                        published_at=before[0], id__gte=before[1]
                    )
                url = "/api/articles/?" + urlencode(query)
                api, api_queries = timed(lambda url=url: ok(client.get(url)), runs=args.runs)
                keyset, _ = timed(lambda q=keyset_bare: list(q.values_list("id", flat=True)[:PAGE]), runs=args.runs)
                offset, _ = timed(
                    lambda d=depth, q=bare: list(q.values_list("id", flat=True)[d : d + PAGE]), runs=args.runs
                )
                rows.append({
                    "list": name, "depth": depth, "rows_in_list": size, "api_p50": p(api, 0.5), "api_p95": p(api, 0.95),
                    "api_queries": api_queries, "keyset_p50": p(keyset, 0.5), "offset_p50": p(offset, 0.5),
                })
    floor = rows[0]["keyset_p50"] or 0.01
    for row in rows:
        row["api_p50_floor_ratio"] = round(row["api_p50"] / floor, 1)
        row["keyset_floor_ratio"] = round(row["keyset_p50"] / floor, 1)
        row["offset_floor_ratio"] = round(row["offset_p50"] / floor, 1)

    export_rows = min(args.export_rows, total)
    queryset = export_queryset()[:export_rows]

    def iterate_only():
        for _ in queryset.iterator(chunk_size=500):
            pass

    def serialize():
        for _ in iter_export(queryset):
            pass

    bare_ms = statistics.median(timed(iterate_only, runs=3, warmup=1)[0])
    export_ms = statistics.median(timed(serialize, runs=3, warmup=1)[0])
    export = {
        "rows": export_rows, "load_rows_per_s": round(export_rows / bare_ms * 1000),
        "export_rows_per_s": round(export_rows / export_ms * 1000), "ratio": round(export_ms / bare_ms, 2),
    }
    report(total, args.runs, rows, export)


def report(total: int, runs: int, rows: list[dict], export: dict) -> None:
    lines = [
        f"# API at {total:,} articles ({connection.vendor}, {runs} runs each, page of {PAGE})",
        "",
        "| list | depth | API p50 ms | API p95 ms | queries | API / floor | keyset query ms | offset query ms "
        "| keyset / floor | offset / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['list']} | {r['depth']:,} of {r['rows_in_list']:,} | {r['api_p50']} | {r['api_p95']} | "
            f"{r['api_queries']} | {r['api_p50_floor_ratio']}x | {r['keyset_p50']} | {r['offset_p50']} | "
            f"{r['keyset_floor_ratio']}x | {r['offset_floor_ratio']}x |"
        )
    lines += [
        "",
        "Floor: the bare keyset query for the first page of the unfiltered list.",
        "",
        f"Export of {export['rows']:,} rows: {export['export_rows_per_s']:,} rows/s through the serializer, "
        f"{export['load_rows_per_s']:,} rows/s loading the same rows without it ({export['ratio']}x the time).",
    ]
    results_write(f"api-{total}", {"pages": rows, "export": export}, lines)


if __name__ == "__main__":
    main()
