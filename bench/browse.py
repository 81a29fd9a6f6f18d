"""Deep pages and counts on the article list: keyset cursor against OFFSET, capped against full COUNT.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale .venv/bin/python bench/browse.py --depth 400

Uses whatever articles the database holds (fill it with `generate_corpus` first). For the
unfiltered list and for the most mentioned person it measures, in one run on the same data:
1. the first page, and the page at --depth by keyset cursor (articles.queries.keyset) and by
   OFFSET (the same query with a position), each --runs times;
2. the capped count the list shows against a full COUNT(*) of the same result.
It prints p50 times and the ratios (deep/first page, OFFSET/keyset, full/capped count). Timings on
a shared machine are noisy: compare the ratios of one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from articles.models import ArticlePerson  # noqa: E402
from articles.queries import articles as selectors  # noqa: E402
from articles.queries import keyset as pagination  # noqa: E402


def p50(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cursor_at(queryset, depth: int, size: int) -> str:
    """The cursor of page `depth`, found by walking (not timed)."""
    cursor = ""
    for _ in range(depth - 1):
        page = pagination.keyset_page(queryset, cursor=cursor, size=size)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return cursor


def measure(label: str, query: str, *, depth: int, runs: int, size: int) -> None:
    filterset = selectors.article_list(params=QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    queryset = filterset.qs
    cursor = cursor_at(queryset, depth, size)
    first = p50(lambda: pagination.keyset_page(queryset, size=size), runs)
    keyset = p50(lambda: pagination.keyset_page(queryset, cursor=cursor, size=size), runs)
    ordered = queryset.order_by("-published_at", "-id")
    offset = p50(lambda: list(ordered[(depth - 1) * size : depth * size + 1]), runs)
    capped = p50(lambda: pagination.capped_count(queryset), runs)
    full = p50(lambda: queryset.order_by().count(), max(3, runs // 3))
    print(f"## {label} (`?{query}`), page {depth} of {size}")
    print("| measure | p50 ms | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| first page (keyset) | {first:.1f} | 1.00 |")
    print(f"| page {depth} by keyset cursor | {keyset:.1f} | {keyset / first:.2f} x first page |")
    print(f"| page {depth} by OFFSET | {offset:.1f} | {offset / keyset:.2f} x keyset |")
    print(f"| capped count (<= {pagination.COUNT_CAP:,}) | {capped:.1f} | 1.00 |")
    print(f"| full COUNT(*) | {full:.1f} | {full / capped:.2f} x capped |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=400)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    size = selectors.PAGE_SIZE
    top = (ArticlePerson.objects.values("person__slug").annotate(n=Count("id")).order_by("-n")
           .values_list("person__slug", flat=True).first())
    measure("unfiltered list", "", depth=args.depth, runs=args.runs, size=size)
    if top:
        measure("most mentioned person", f"person={top}", depth=args.depth // 4, runs=args.runs, size=size)


if __name__ == "__main__":
    main()
