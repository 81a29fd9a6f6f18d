"""Throughput of ingest-plus-tag with two Celery worker processes on the fetch and process queues.

    .venv/bin/pip install -r requirements-bench.txt      # psutil, for the workers' memory
    .venv/bin/python bench/throughput.py --feeds 20 --items 100
    .venv/bin/python bench/throughput.py --profile 300   # cProfile of the process step, in this process

1. Recreates its own PostgreSQL database (`--database`, default newsroom_tp; the name must end in
   `bench` or `_tp`), migrates it and loads the knowledge base; empties its Redis database (`--redis`,
   default DB 5), which is the broker.
2. Composes a local feed corpus from the knowledge base with the synthetic corpus's generator
   (articles.corpus: deterministic for a seed, Zipf-popular people, places and topics), its stock
   filler sentences replaced by sentences of the demo corpus (bench/ingest.py's): with 24 fillers
   shared by every article, each new article had hundreds of near-duplicate candidates to compare,
   which no real news does. About 550 words an article. N RSS feeds of M items, each item a
   one-line summary whose page (bench/ingest.py's: navigation, ads, related links, comments,
   footer around the article) must be fetched and extracted; a threaded HTTP server on
   127.0.0.1 serves them.
3. Starts two worker processes: `celery worker -Q fetch --pool threads` and `celery worker -Q
   process --pool prefork` (their concurrency is printed and recorded), with
   NEWSROOM_FETCH_ALLOW_PRIVATE=1 (127.0.0.1) and NEWSROOM_FETCH_HOST_INTERVAL=0 (the per-host rate
   limit, which would otherwise allow one request a second to the one local host).
4. Phase "both": `fetch_feed` is queued for every feed and both workers run; measured: the wall
   time from queueing to the last article stored, and the sustained rate from 10% to 90% stored.
5. Phase "process alone": new feeds; only the fetch worker runs until every page is fetched (the
   process_item tasks wait in the process queue), then it is stopped and the process worker
   started: its drain rate, 10% to 90%, is the process side's throughput on its own.
6. The resident memory (RSS) of each worker's process tree, its parent and children, sampled every
   0.25 s (psutil): peak and median.
7. bench/results/throughput-<N>x<M>-<time>.json and .md; the markdown is printed.

`--profile K` instead stages K fetched items in the database and runs `item_process` on each in
this process, one process, no workers: the first half timed (articles per second, queries per
article), the second half under cProfile (the functions that cost most), and the queries of one
article listed (a text file in bench/results/).

Not a test: on a shared 2-core machine timings are noisy; both workers and this script share the
same two cores, so the process side alone is the figure that tells what one machine can tag.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import html
import io
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from databases import postgres_database_recreate
from ingest import PAGE, demo_sentences, serve  # bench/ingest.py: the page, the demo corpus's sentences, the server
from report import results_write

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
TARGET_PROCESS_PER_S = 200
SAMPLE_SECONDS = 0.25
STALL_SECONDS = 120  # no item finished for this long: a task failed for good (its item stays fetched)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/newsroom_tp")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="the broker: a Redis database of its own (flushed)")
    parser.add_argument("--fetch-concurrency", type=int, default=8, help="threads of the fetch worker")
    parser.add_argument("--process-concurrency", type=int, default=os.cpu_count() or 2, help="prefork children of the process worker")
    parser.add_argument("--timeout", type=float, default=900, help="seconds a phase may take before the run gives up")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="profile item_process on K staged items instead")
    return parser.parse_args()


def prepare_database(url: str) -> None:
    if url.startswith("sqlite:///"):  # --profile only: the workers need a database server
        Path(url.removeprefix("sqlite://")).unlink(missing_ok=True)
        return
    postgres_database_recreate(url, suffixes=("bench", "_tp"))


# The corpus ----------------------------------------------------------------------------------------

def compose_corpus(phase: str, first: int, feeds: int, items: int, seed: int, base: str) -> tuple[dict, list[str]]:
    """Routes (path -> body, content type) of one phase's feeds and pages, and the feeds' URLs.

    Article k of the synthetic corpus (seed, first + k) is item k % items of feed k // items, on
    bench/ingest.py's cluttered page; the feed is titled with its number's synthetic outlet.
    """
    from articles.corpus import text
    from articles.corpus.generator import article_compose, corpus_plan, outlet_names

    plan = corpus_plan(seed=seed)
    outlets = outlet_names()
    bank = demo_sentences()
    fillers = re.compile("|".join(re.escape(s) for s in sorted({*text.FILLER, *text.OFF_TOPIC}, key=len, reverse=True)))
    routes: dict[str, tuple[bytes, str]] = {}
    feed_urls = []
    for f in range(feeds):
        outlet = outlets[f % len(outlets)].name
        entries = []
        for i in range(items):
            article = article_compose(plan, first + f * items + i)
            pick = random.Random(f"{seed}-{article.index}").choice
            article.body = fillers.sub(lambda _match, pick=pick: pick(bank), article.body)
            path = f"/{phase}/f{f}/{article.published_at:%Y/%m/%d}/story-{i}"
            url = f"{base}{path}"
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.body.split("\n\n"))
            related = "".join(f'<li><a href="{base}/{phase}/f{f}/story-{j}">Story {j}</a></li>' for j in range(5))
            routes[path] = (
                PAGE.format(title=html.escape(article.title), feed=f, published=article.published_at.isoformat(), url=url,
                            paragraphs=paragraphs, related=related).encode(),
                "text/html; charset=utf-8",
            )
            summary = article.body.split(". ")[0] + "."
            entries.append(
                f"<item><title>{html.escape(article.title)}</title><link>{url}</link><guid>{url}</guid>"
                f"<pubDate>{article.published_at.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{html.escape(summary)}</description></item>"
            )
        feed_path = f"/{phase}/f{f}/feed.xml"
        routes[feed_path] = (
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{html.escape(outlet)}</title>'
             f"<link>{base}/</link>{''.join(entries)}</channel></rss>").encode(),
            "application/rss+xml; charset=utf-8",
        )
        feed_urls.append(f"{base}{feed_path}")
    return routes, feed_urls


def register_feeds(feed_urls: list[str]) -> list[int]:
    """Feed rows for the URLs, each with its outlet (the channel title the server gives)."""
    from articles.corpus.generator import outlet_names
    from articles.ingest.services import source_for
    from articles.models import Feed

    outlets = outlet_names()
    ids = []
    for number, url in enumerate(feed_urls):
        source = source_for(outlets[number % len(outlets)].name)
        feed, _ = Feed.objects.get_or_create(url=url, defaults={"source": source})
        ids.append(feed.pk)
    return ids


# Workers ---------------------------------------------------------------------------------------------


class Worker:
    """One `celery worker` process (and its pool's children), with its memory sampled."""

    def __init__(self, name: str, queue: str, pool: str, concurrency: int, env: dict, log: Path):
        self.name = name
        self.command = [
            sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-Q", queue, "-n", f"{name}@bench",
            f"--pool={pool}", f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=WARNING",
        ]
        self.log = log.open("w")
        self.process = subprocess.Popen(self.command, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.rss_mb: list[float] = []
        self.processes: set[int] = set()

    def sample(self) -> None:
        import psutil

        try:
            parent = psutil.Process(self.process.pid)
            tree = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        total = 0
        for process in tree:
            try:
                total += process.memory_info().rss
                self.processes.add(process.pid)
            except psutil.NoSuchProcess:
                pass
        self.rss_mb.append(total / 2**20)

    def wait_ready(self, app, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited: see {self.log.name}")
            if app.control.ping(destination=[f"{self.name}@bench"], timeout=0.5):
                return time.monotonic()
        raise RuntimeError(f"worker {self.name} not ready after {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def memory(self) -> dict:
        samples = self.rss_mb or [0.0]
        return {
            "peak_rss_mb": round(max(samples), 1),
            "median_rss_mb": round(statistics.median(samples), 1),
            "processes": len(self.processes),
        }


def done_count(feed_ids: list[int]) -> tuple[int, int]:
    """Items finished (stored as articles or failed) and items fetched, of these feeds."""
    from django.db.models import Count, Q

    from articles.models import IngestItem, ItemStatus

    counts = IngestItem.objects.filter(feed_id__in=feed_ids).aggregate(
        finished=Count("id", filter=Q(status__in=[ItemStatus.DONE, ItemStatus.FAILED])),
        fetched=Count("id", filter=~Q(status=ItemStatus.QUEUED)),
    )
    return counts["finished"], counts["fetched"]


def watch(
    feed_ids: list[int], expected: int, workers: list[Worker], timeout: float, *, fetched: bool = False
) -> list[tuple[float, int]]:
    """Sample progress (finished items, or fetched ones) and the workers' memory until all `expected` are there."""
    started = progressed = time.monotonic()
    timeline = []
    while True:
        finished, fetched_n = done_count(feed_ids)
        now = time.monotonic()
        timeline.append((now, fetched_n if fetched else finished))
        for worker in workers:
            worker.sample()
        if timeline[-1][1] >= expected:
            return timeline
        if len(timeline) > 1 and timeline[-1][1] > timeline[-2][1]:
            progressed = now
        if now - started > timeout or now - progressed > STALL_SECONDS:
            logs = ", ".join(worker.log.name for worker in workers)
            raise RuntimeError(f"only {timeline[-1][1]} of {expected} after {now - started:.0f} s; see {logs}")
        for worker in workers:
            if worker.process.poll() is not None:
                raise RuntimeError(f"worker {worker.name} exited: see {worker.log.name}")
        time.sleep(SAMPLE_SECONDS)


def sustained(timeline: list[tuple[float, int]], expected: int, low: float = 0.1, high: float = 0.9) -> float:
    """Articles per second between the samples where `low` and `high` of them were done."""
    first = next((t, n) for t, n in timeline if n >= low * expected)
    last = next((t, n) for t, n in timeline if n >= high * expected)
    return (last[1] - first[1]) / (last[0] - first[0]) if last[0] > first[0] else float("nan")


def outcome_counts(feed_ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from articles.models import Article, IngestItem

    items = dict(IngestItem.objects.filter(feed_id__in=feed_ids).values_list("status").annotate(n=Count("id")))
    stored = IngestItem.objects.filter(feed_id__in=feed_ids, article__isnull=False)
    articles = Article.objects.filter(ingest_items__in=stored)
    return {
        **{f"items_{status}": n for status, n in items.items()},
        "articles": articles.distinct().count(),
        "duplicates": articles.filter(duplicate_of__isnull=False).distinct().count(),
        "tagged": articles.filter(status=Article.Status.TAGGED).distinct().count(),
        "relevant": articles.filter(is_relevant=True).distinct().count(),
    }


# The run --------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    import redis

    from articles.ingest.tasks import fetch_feed
    from newsroom.celery import app

    redis.Redis.from_url(args.redis).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "CELERY_BROKER_URL": args.redis,
        "NEWSROOM_FETCH_ALLOW_PRIVATE": "1",
        "NEWSROOM_FETCH_HOST_INTERVAL": "0",
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "newsroom-throughput"
    logs.mkdir(exist_ok=True)
    routes: dict[str, tuple[bytes, str]] = {}
    server = serve(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    expected = args.feeds * args.items
    composed = time.perf_counter()
    routes_both, urls_both = compose_corpus("both", 0, args.feeds, args.items, args.seed, base)
    routes_alone, urls_alone = compose_corpus("alone", expected, args.feeds, args.items, args.seed, base)
    routes.update(routes_both)
    routes.update(routes_alone)
    page_bytes = [len(body) for path, (body, _) in routes_both.items() if not path.endswith(".xml")]
    print(f"composed {2 * expected} pages in {time.perf_counter() - composed:.1f} s, median page "
          f"{statistics.median(page_bytes) / 1024:.1f} KiB", flush=True)
    feeds_both, feeds_alone = register_feeds(urls_both), register_feeds(urls_alone)
    fetch_spec = ("fetch", "threads", args.fetch_concurrency)
    process_spec = ("process", "prefork", args.process_concurrency)
    result: dict = {
        "feeds": args.feeds, "items": args.items, "articles_per_phase": expected, "seed": args.seed,
        "cpus": os.cpu_count(), "NEWSROOM_FETCH_HOST_INTERVAL": 0,
        "workers": {
            name: {"queue": name, "pool": pool, "concurrency": concurrency}
            for name, pool, concurrency in (fetch_spec, process_spec)
        },
    }

    def start(spec: tuple[str, str, int], tag: str) -> Worker:
        name, pool, concurrency = spec
        worker = Worker(name, name, pool, concurrency, env, logs / f"{name}-{tag}.log")
        result["workers"][name]["command"] = " ".join(worker.command[1:])
        return worker

    # Phase 1: both workers, from queueing the feeds to the last article stored.
    fetch_worker, process_worker = start(fetch_spec, "both"), start(process_spec, "both")
    try:
        fetch_worker.wait_ready(app)
        process_worker.wait_ready(app)
        queued = time.monotonic()
        for feed_id in feeds_both:
            fetch_feed.delay(feed_id)
        timeline = watch(feeds_both, expected, [fetch_worker, process_worker], args.timeout)
        wall = timeline[-1][0] - queued
        result["both"] = {
            "wall_s": round(wall, 2),
            "articles_per_s_overall": round(expected / wall, 1),
            "articles_per_s_sustained": round(sustained(timeline, expected), 1),
            "memory": {"fetch": fetch_worker.memory(), "process": process_worker.memory()},
            "outcomes": outcome_counts(feeds_both),
        }
        print(f"both workers: {expected} articles in {wall:.1f} s, sustained "
              f"{result['both']['articles_per_s_sustained']} articles/s", flush=True)
    finally:
        fetch_worker.stop()
        process_worker.stop()

    # Phase 2: the fetch worker alone fills the process queue; then the process worker alone drains it.
    fetch_worker = start(fetch_spec, "alone")
    try:
        fetch_worker.wait_ready(app)
        queued = time.monotonic()
        for feed_id in feeds_alone:
            fetch_feed.delay(feed_id)
        timeline = watch(feeds_alone, expected, [fetch_worker], args.timeout, fetched=True)
        fetch_wall = timeline[-1][0] - queued
    finally:
        fetch_worker.stop()
    print(f"fetch worker alone: {expected} pages fetched in {fetch_wall:.1f} s", flush=True)
    process_worker = start(process_spec, "alone")
    try:
        ready = process_worker.wait_ready(app)
        timeline = watch(feeds_alone, expected, [process_worker], args.timeout)
        wall = timeline[-1][0] - ready
        result["process_alone"] = {
            "fetch_wall_s": round(fetch_wall, 2),
            "fetch_pages_per_s": round(expected / fetch_wall, 1),
            "wall_s": round(wall, 2),
            "articles_per_s_overall": round(expected / wall, 1),
            "articles_per_s_sustained": round(sustained(timeline, expected), 1),
            "memory": {"process": process_worker.memory()},
            "outcomes": outcome_counts(feeds_alone),
        }
        print(f"process worker alone: {expected} articles in {wall:.1f} s, sustained "
              f"{result['process_alone']['articles_per_s_sustained']} articles/s", flush=True)
    finally:
        process_worker.stop()
        server.shutdown()
    return result


def markdown(result: dict) -> list[str]:
    both, alone = result["both"], result["process_alone"]
    workers = result["workers"]
    lines = [
        f"# Throughput: {result['feeds']} feeds x {result['items']} items per phase, PostgreSQL, {result['cpus']} CPUs",
        "",
        "| worker | queue | pool | concurrency | command |",
        "| --- | --- | --- | ---: | --- |",
        *(f"| {name} | {w['queue']} | {w['pool']} | {w['concurrency']} | `{w.get('command', '')}` |" for name, w in workers.items()),
        "",
        "| phase | articles | wall s | articles/s overall | articles/s sustained (10-90%) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| both workers, feeds queued to last article stored | {result['articles_per_phase']} | {both['wall_s']} | "
        f"{both['articles_per_s_overall']} | {both['articles_per_s_sustained']} |",
        f"| fetch worker alone, feeds queued to last page fetched | {result['articles_per_phase']} | {alone['fetch_wall_s']} | "
        f"{alone['fetch_pages_per_s']} | |",
        f"| process worker alone, draining fetched items | {result['articles_per_phase']} | {alone['wall_s']} | "
        f"{alone['articles_per_s_overall']} | {alone['articles_per_s_sustained']} |",
        "",
        "| worker tree (parent + pool) | phase | processes | peak RSS MiB | median RSS MiB |",
        "| --- | --- | ---: | ---: | ---: |",
        *(f"| {name} | both | {m['processes']} | {m['peak_rss_mb']} | {m['median_rss_mb']} |" for name, m in both["memory"].items()),
        *(f"| {name} | alone | {m['processes']} | {m['peak_rss_mb']} | {m['median_rss_mb']} |" for name, m in alone["memory"].items()),
        "",
        f"Outcomes (both): {both['outcomes']}. Outcomes (alone): {alone['outcomes']}.",
        f"Process side alone: {alone['articles_per_s_sustained']} articles/s sustained against a target of "
        f"{TARGET_PROCESS_PER_S}: {'met' if alone['articles_per_s_sustained'] >= TARGET_PROCESS_PER_S else 'not met'}. "
        "Per-host rate limit: NEWSROOM_FETCH_HOST_INTERVAL=0.",
    ]
    return lines


# Profile ---------------------------------------------------------------------------------------------


def profile(args: argparse.Namespace) -> dict:
    """Stage K fetched items (pages on the rows, as fetch_item leaves them) and process them under cProfile."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.ingest.items import item_process
    from articles.models import IngestItem, ItemStatus

    base = "http://127.0.0.1:9"  # never fetched: the pages are staged on the rows
    routes, feed_urls = compose_corpus("profile", 0, 1, args.profile, args.seed, base)
    feed_id = register_feeds(feed_urls)[0]
    items = IngestItem.objects.bulk_create(
        IngestItem(
            feed_id=feed_id, key=f"guid:{base}{path}", guid=f"{base}{path}", url=f"{base}{path}", page_url=f"{base}{path}",
            page_html=body.decode(), status=ItemStatus.FETCHED,
        )
        for path, (body, _) in routes.items() if not path.endswith(".xml")
    )
    warmup = 5  # the index build and first-use set-up are not what a long-running worker pays per article
    for item in items[:warmup]:
        item_process(item_id=item.pk)
    half = (len(items) + warmup) // 2
    timed, profiled, last = items[warmup:half], items[half:-1], items[-1]
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        for item in timed:
            item_process(item_id=item.pk)
        elapsed = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for item in profiled:
        item_process(item_id=item.pk)
    profiler.disable()
    with CaptureQueriesContext(connection) as queries:
        item_process(item_id=last.pk)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    stream.write(f"\nThe {len(queries.captured_queries)} queries of one article:\n")
    stream.writelines(f"{q['sql'][:300]}\n" for q in queries.captured_queries)
    result = {
        "articles_timed": len(timed), "seconds": round(elapsed, 3), "articles_per_s": round(len(timed) / elapsed, 1),
        "queries_per_article": round(statements[0] / len(timed), 1), "articles_profiled": len(profiled),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"throughput-profile-{args.profile}-{stamp}.txt"
    path.write_text(json.dumps(result) + "\n\n" + stream.getvalue())
    print(json.dumps(result), f"\nprofile: {path}")
    return result


def main() -> None:
    args = parse_args()
    if args.database.startswith("sqlite") and not args.profile:
        sys.exit("the workers need a PostgreSQL database (SQLite only with --profile)")
    prepare_database(args.database)
    os.environ["DATABASE_URL"] = args.database
    if args.profile:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = args.redis
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", verbosity=0)
    if args.profile:
        profile(args)
        return
    result = run(args)
    results_write(f"throughput-{args.feeds}x{args.items}", result, markdown(result))


if __name__ == "__main__":
    main()
