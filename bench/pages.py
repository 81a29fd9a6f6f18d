"""Server time and query count of every page and API list, side by side with the admin and a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale .venv/bin/python bench/pages.py --articles 100000

1. Migrate, load the knowledge base, and top the database up to N synthetic articles
   (`generate_corpus`, seed 1 unless --seed) when it holds fewer.
2. Pick the parameters from the corpus plan: the most mentioned person, a mid-ranked one, the
   most common topic, a year, words the bodies use.
3. Request each page in-process through Django's test Client (the whole middleware stack and the
   template, no network), a few times to warm up and then --runs times, and record the wall time
   of each request and the queries it made. Pages that do not exist yet (404) are reported as such.
4. The floor is a bare page of 50 articles by date (bench/floor.py), measured the same way; every
   p50 and p95 is also given as a ratio to the floor's, so runs on different machines compare.
5. Write bench/results/pages-<N>-<time>.json and .md, and print the markdown table.

Not a test: timings on a shared 2-core machine are noisy, so nothing here fails on a number. The
targets of issue 7 are checked and printed as met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# The API's per-client rate limit would answer 429 after a few runs: measured here is server time.
os.environ.setdefault("API_ANON_RATE", "100000/minute")
os.environ.setdefault("API_USER_RATE", "100000/minute")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from report import results_write  # noqa: E402  (bench/report.py: this folder is on sys.path when run as a script)

from articles.corpus import corpus_generate, corpus_plan  # noqa: E402
from articles.models import Article, Person  # noqa: E402

TARGET_P95_MS = 150.0
TARGET_FILTERED_P50_MS = 50.0
TARGET_FILTERED_FLOOR_RATIO = 5.0
TARGET_SEARCH_P50_MS = 80.0
TARGET_MAX_QUERIES = 12
MIN_RUNS = 5
SQL_SHOWN = 240


@dataclass
class Scenario:
    name: str
    group: str  # floor | page | api | admin
    urls: list[str]  # rotated through, one per request
    filtered_list: bool = False
    search: bool = False


@dataclass
class Measure:
    name: str
    group: str
    url: str
    status: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries_min: int | None = None
    queries_max: int | None = None
    p50_floor_ratio: float | None = None
    p95_floor_ratio: float | None = None
    runs: int = 0
    note: str = ""
    samples_ms: list[float] = field(default_factory=list)
    slowest_queries: list[tuple[float, str]] = field(default_factory=list)  # of the last run: ms, SQL


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[rank]


def corpus_ready(articles: int, seed: int) -> int:
    """Top the database up to `articles` synthetic articles; returns how many it holds."""
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        call_command("load_knowledge_base", verbosity=0)
    stored = Article.objects.filter(url__contains=f"/s{seed}-").count()
    if stored < articles:
        print(f"generating articles {stored}..{articles - 1} of seed {seed}", flush=True)
        report = corpus_generate(articles=articles - stored, seed=seed, start=stored)
        print(report.summary(), flush=True)
        stored = articles
    elif stored > articles:
        print(f"note: the database holds {stored} synthetic articles (seed {seed}), more than --articles", flush=True)
    return stored


def scenarios(seed: int) -> list[Scenario]:
    plan = corpus_plan(seed=seed)
    people = [p.slug for p in plan.people.items]
    topic = plan.topics.items[0].slug
    top, mid, other = people[0], people[min(20, len(people) - 1)], people[min(5, len(people) - 1)]
    name_words = plan.people.items[min(40, len(people) - 1)].forms[0]
    year = "date_after=2020-01-01&date_before=2020-12-31"
    quarter = "published_at__gte=2020-01-01&published_at__lt=2021-01-01"
    ids = list(Article.objects.order_by("id").values_list("id", flat=True)[:1])
    last = Article.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first = ids[0] if ids else 0
    article_ids = [first + (last - first) * k // 7 for k in range(1, 7)]
    person_ids = dict(Person.objects.filter(slug__in=[top, mid, other]).values_list("slug", "id"))
    topic_id = plan.topics.items[0].id
    return [
        Scenario("floor: 50 articles by date", "floor", ["/bench/floor/"]),
        Scenario("home", "page", ["/"]),
        Scenario("list, unfiltered", "page", ["/articles/"], filtered_list=True),
        Scenario("list, top person + year", "page", [f"/articles/?person={top}&{year}"], filtered_list=True),
        Scenario("list, mid person + year", "page", [f"/articles/?person={mid}&{year}"], filtered_list=True),
        Scenario("list, topic", "page", [f"/articles/?topic={topic}"], filtered_list=True),
        Scenario("list, two people (any)", "page", [f"/articles/?person={top}&person={other}"], filtered_list=True),
        Scenario("list, two people (all)", "page", [f"/articles/?person={top}&person={other}&match=all"],
                 filtered_list=True),
        Scenario("search, common words", "page", ["/articles/?q=prisoner+releases"], search=True),
        Scenario("search, a name", "page", [f"/articles/?q={name_words.replace(' ', '+')}"], search=True),
        Scenario("facet sidebar (top person)", "page", [f"/bench/facets/?person={top}"]),
        Scenario("article page", "page", [f"/articles/{pk}/" for pk in article_ids]),
        Scenario("person page (most mentioned)", "page", [f"/people/{top}/"]),
        Scenario("person page (mid-ranked)", "page", [f"/people/{mid}/"]),
        Scenario("events timeline", "page", ["/events/"]),
        Scenario("API list, unfiltered", "api", ["/api/articles/"]),
        Scenario("API list, top person + year", "api", [f"/api/articles/?person={top}&{year}"]),
        Scenario("API list, topic", "api", [f"/api/articles/?topic={topic}"]),
        Scenario("API search", "api", ["/api/articles/?q=prisoner+releases"]),
        Scenario("admin list, unfiltered", "admin", ["/admin/articles/article/"]),
        Scenario("admin list, top person + year", "admin",
                 [f"/admin/articles/article/?people={person_ids.get(top, 0)}&{quarter}"]),
        Scenario("admin list, topic", "admin", [f"/admin/articles/article/?topics={topic_id}"]),
        Scenario("admin list, two people", "admin",
                 [f"/admin/articles/article/?people__in={person_ids.get(top, 0)},{person_ids.get(other, 0)}"]),
        Scenario("admin search", "admin", ["/admin/articles/article/?q=prisoner+releases"]),
    ]


def measure(client: Client, scenario: Scenario, *, runs: int, warmup: int, budget_s: float) -> Measure:
    """Time one page; a page that fails is reported with its error, and the run goes on."""
    try:
        return _measure(client, scenario, runs=runs, warmup=warmup, budget_s=budget_s)
    except Exception as error:  # any failure of the page under test is a finding
        connection.close()  # the test Client does not reconnect by itself after a lost connection
        reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
        return Measure(scenario.name, scenario.group, scenario.urls[0], 500, note=f"error: {type(error).__name__} {reason}")


def _measure(client: Client, scenario: Scenario, *, runs: int, warmup: int, budget_s: float) -> Measure:
    first = client.get(scenario.urls[0])
    result = Measure(scenario.name, scenario.group, scenario.urls[0], first.status_code)
    if first.status_code != 200:
        result.note = "not available yet" if first.status_code == 404 else f"HTTP {first.status_code}"
        return result
    for number in range(warmup):
        client.get(scenario.urls[number % len(scenario.urls)])
    queries = []
    began_all = time.perf_counter()
    for number in range(runs):
        if number >= MIN_RUNS and time.perf_counter() - began_all > budget_s:
            result.note = f"stopped after {number} runs (time budget {budget_s:.0f} s)"
            break
        url = scenario.urls[number % len(scenario.urls)]
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            result.status, result.note = response.status_code, f"HTTP {response.status_code} on {url}"
            return result
        result.samples_ms.append(round(elapsed, 2))
        queries.append(len(captured.captured_queries))
        timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
        result.slowest_queries = [(round(ms, 1), _sql_gist(sql)) for ms, sql in timed[:3]]
    result.runs = len(result.samples_ms)
    result.p50_ms = round(percentile(result.samples_ms, 0.5), 2)
    result.p95_ms = round(percentile(result.samples_ms, 0.95), 2)
    result.queries_min, result.queries_max = min(queries), max(queries)
    return result


def _sql_gist(sql: str) -> str:
    """The part of a query that tells what it does: from its first FROM on (the column list says little)."""
    start = sql.find(" FROM ")
    head = sql[: min(len(sql), 60)] if start < 0 else sql[:sql.find(" ", 7)] + " …"
    return (head + (sql[start:] if start >= 0 else ""))[:SQL_SHOWN]


def targets(measures: list[Measure], by_name: dict[str, Scenario]) -> list[tuple[str, bool | None, str]]:
    """Issue 7's targets, each as (target, met, the figures that decide it)."""
    pages = [m for m in measures if m.group in ("page", "api") and m.p95_ms is not None]
    missing = [m.name for m in measures if m.group in ("page", "api") and m.p95_ms is None]
    rows = []
    slow = [f"{m.name} {m.p95_ms} ms" for m in pages if m.p95_ms > TARGET_P95_MS]
    rows.append((f"every page p95 <= {TARGET_P95_MS:.0f} ms", not slow, "; ".join(slow) or "all within"))
    filtered = [m for m in pages if by_name[m.name].filtered_list and m.name != "list, unfiltered"]
    bad = [f"{m.name} p50 {m.p50_ms} ms ({m.p50_floor_ratio}x floor)" for m in filtered
           if m.p50_ms > TARGET_FILTERED_P50_MS or (m.p50_floor_ratio or 0) > TARGET_FILTERED_FLOOR_RATIO]
    rows.append((f"filtered list p50 <= {TARGET_FILTERED_P50_MS:.0f} ms and <= {TARGET_FILTERED_FLOOR_RATIO:.0f}x floor",
                 not bad if filtered else None, "; ".join(bad) or ("all within" if filtered else "none measured")))
    searches = [m for m in pages if by_name[m.name].search]
    bad = [f"{m.name} p50 {m.p50_ms} ms" for m in searches if m.p50_ms > TARGET_SEARCH_P50_MS]
    rows.append((f"search p50 <= {TARGET_SEARCH_P50_MS:.0f} ms", not bad if searches else None,
                 "; ".join(bad) or ("all within" if searches else "none measured")))
    bad = [f"{m.name} {m.queries_min}-{m.queries_max}" for m in pages
           if m.queries_max > TARGET_MAX_QUERIES or m.queries_min != m.queries_max]
    rows.append((f"constant query count <= {TARGET_MAX_QUERIES}", not bad, "; ".join(bad) or "all within"))
    if missing:
        rows.append(("pages measured", False, "not available yet: " + ", ".join(missing)))
    return rows


def planner_settings() -> str:
    """The planner costs the figures depend on (the README recommends random_page_cost 1.1 on SSDs)."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost'), current_setting('effective_cache_size')")
        cost, cache = cursor.fetchone()
    return f"random_page_cost {cost}, effective_cache_size {cache}"


def markdown(meta: dict, measures: list[Measure], checks: list) -> str:
    lines = [
        f"# Pages at {meta['articles']:,} articles ({meta['database']}, {meta['runs']} runs each, "
        f"at most {meta['budget_s']:.0f} s per page)",
        "",
        f"{meta['when']} · commit {meta['commit']} · server time in-process (Django test Client), ms · "
        f"load average {meta['load_average']} on {meta['cpus']} CPUs · {meta['planner']}",
        "",
        "| page | p50 | p95 | queries | p50 / floor | p95 / floor | runs | url |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in measures:
        if m.p50_ms is None:
            lines.append(f"| {m.name} | – | – | – | – | – | 0 | {m.note} |")
            continue
        queries = str(m.queries_min) if m.queries_min == m.queries_max else f"{m.queries_min}-{m.queries_max}"
        lines.append(f"| {m.name} | {m.p50_ms:.1f} | {m.p95_ms:.1f} | {queries} | {m.p50_floor_ratio:.1f}x | "
                     f"{m.p95_floor_ratio:.1f}x | {m.runs} | `{m.url}` |")
    lines += ["", "| target | met | figures |", "| --- | --- | --- |"]
    for name, met, figures in checks:
        lines.append(f"| {name} | {'n/a' if met is None else 'yes' if met else 'NO'} | {figures} |")
    slow = [m for m in measures if m.group in ("page", "api") and (m.p95_ms or 0) > TARGET_P95_MS]
    if slow:
        lines += ["", f"Where the time goes in pages over {TARGET_P95_MS:.0f} ms (the three slowest queries of the "
                  "last run, ms):", ""]
        for m in slow:
            lines.append(f"- **{m.name}**: " + "; ".join(f"{ms} `{sql[:150]}…`" for ms, sql in m.slowest_queries))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="corpus size to measure at")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per page after which it stops (keeping at least 5 runs)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args()

    stored = corpus_ready(args.articles, args.seed)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.org"}
    )
    all_scenarios = [s for s in scenarios(args.seed) if args.only.lower() in s.name.lower() or s.group == "floor"]
    by_name = {s.name: s for s in all_scenarios}
    measures = []
    with override_settings(ROOT_URLCONF="bench.floor", ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        reader, editor = Client(), Client()
        editor.force_login(user)
        for scenario in all_scenarios:
            client = editor if scenario.group == "admin" else reader
            result = measure(client, scenario, runs=args.runs, warmup=args.warmup, budget_s=args.budget)
            measures.append(result)
            print(f"  {result.name}: p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, "
                  f"queries {result.queries_min}-{result.queries_max} {result.note}", flush=True)
    floor = measures[0]
    for m in measures:
        if m.p50_ms is not None and floor.p50_ms:
            m.p50_floor_ratio = round(m.p50_ms / floor.p50_ms, 2)
            m.p95_floor_ratio = round(m.p95_ms / floor.p95_ms, 2)
    checks = targets(measures, by_name)
    commit = os.popen(f"git -C {REPO} rev-parse --short HEAD").read().strip()
    meta = {
        "articles": stored, "seed": args.seed, "runs": args.runs, "budget_s": args.budget, "database": connection.vendor,
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
        "cpus": os.cpu_count(), "planner": planner_settings(), "load_average": round(os.getloadavg()[0], 2),
    }
    print()
    stem = results_write(
        f"pages-{stored}",
        {"meta": meta, "pages": [asdict(m) for m in measures],
         "targets": [{"target": n, "met": met, "figures": f} for n, met, f in checks]},
        markdown(meta, measures, checks).splitlines(),
    )
    print(f"written: {stem}.json and .md")


if __name__ == "__main__":
    main()
