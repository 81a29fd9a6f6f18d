"""Throughput of ingest-plus-tag with Celery workers on the fetch and process queues, against the bare libraries.

    .venv/bin/pip install -r requirements-bench.txt      # psutil, for the workers' memory and CPU time
    .venv/bin/python bench/throughput.py --feeds 10 --items 100
    .venv/bin/python bench/throughput.py --feeds 10 --items 100 --process-concurrency 4
    .venv/bin/python bench/throughput.py --profile 300   # the process step in this process, under cProfile

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
   process --pool prefork` with `--process-concurrency` children (their commands are recorded),
   with NEWSROOM_FETCH_ALLOW_PRIVATE=1 (127.0.0.1) and NEWSROOM_FETCH_HOST_INTERVAL=0 (the per-host
   rate limit, which would otherwise allow one request a second to the one local host).
4. Phase "both": `feed_fetch` is queued for every feed and both workers run; measured: the wall
   time from queueing to the last article stored, and the sustained rate from 10% to 90% stored.
5. Phase "process alone": new feeds; only the fetch worker runs until every page is fetched (the
   items_process tasks, a batch each, wait in the process queue), then it is stopped, the bare
   libraries run, and then the process worker drains the queue: its rate, 10% to 90%, is the process
   side's throughput on its own.
6. The floor, "bare": trafilatura's extraction (the options the process step gives it) and the
   tagger's `analyze` on the same pages, nothing else and no database, in as many processes as the
   process worker has children. The process side's cost over the floor is given by rate and by CPU
   time an article (the workers' CPU time between 10% and 90% done, psutil).
7. The resident memory (RSS) of each worker's process tree and of its largest process, sampled
   every 0.25 s (psutil): peak and median; the load average at the start and the end.
8. bench/results/throughput-<N>x<M>-<time>.json and .md (bench/report.py); the markdown is printed.

`--profile K` instead stages K fetched items in the database and runs `items_process` on them in
this process, a batch at a time, no workers: the first half timed (articles per second, CPU and
queries an article, against the bare libraries on the same pages), the second half under cProfile
(the functions that cost most), and the queries of one batch listed (a text file in bench/results/).

Not a test: on a shared 2-core machine timings are noisy; both workers and this script share the
same two cores, so only ratios measured in the same run carry over.
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
TARGET_OVER_BARE = 1.5  # the process side's cost an article, over the bare libraries'
TARGET_BOTH_PER_S = 120  # both workers together, on a 2-core machine
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
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="profile items_process on K staged items instead")
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
        self.peak_process_mb = 0.0
        self.cpu: dict[int, tuple[float, float]] = {}  # pid -> (CPU seconds at its first sample, at its last)
        self.cpu_total = 0.0  # CPU seconds of every process of the tree, at the last sample

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
                rss = process.memory_info().rss
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += rss
            self.processes.add(process.pid)
            self.peak_process_mb = max(self.peak_process_mb, rss / 2**20)
            cpu = times.user + times.system
            self.cpu[process.pid] = (self.cpu.get(process.pid, (cpu, cpu))[0], cpu)
        self.rss_mb.append(total / 2**20)
        self.cpu_total = sum(last for _first, last in self.cpu.values())

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
            "peak_rss_mb_per_process": round(self.peak_process_mb, 1),
            # CPU seconds while watched: the worker's own process (the broker, the pool's dispatch) and its children
            "cpu_s_parent": round(sum(b - a for pid, (a, b) in self.cpu.items() if pid == self.process.pid), 2),
            "cpu_s_children": round(sum(b - a for pid, (a, b) in self.cpu.items() if pid != self.process.pid), 2),
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


class DatabaseCpu:
    """The CPU time of the PostgreSQL server processes serving this run's database (psutil; the server is
    on this machine): what the workers' queries, triggers and index updates cost the same two cores."""

    def __init__(self) -> None:
        self.cpu: dict[int, tuple[float, float]] = {}
        self.total = 0.0

    def sample(self) -> None:
        import psutil
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            pids = [pid for (pid,) in cursor.fetchall()]
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            cpu = times.user + times.system
            self.cpu[pid] = (self.cpu.get(pid, (cpu, cpu))[0], cpu)
        self.total = sum(last - first for first, last in self.cpu.values())


def watch(
    feed_ids: list[int], expected: int, workers: list[Worker], timeout: float, *, fetched: bool = False,
    database: DatabaseCpu | None = None,
) -> list[tuple[float, int, float, float]]:
    """Sample progress (finished items, or fetched ones), the workers' memory, the first worker's CPU time and
    the database server's (`database`) until all `expected` are there."""
    started = progressed = time.monotonic()
    timeline = []
    database = database or DatabaseCpu()
    while True:
        finished, fetched_n = done_count(feed_ids)
        now = time.monotonic()
        for worker in workers:
            worker.sample()
        database.sample()
        timeline.append((now, fetched_n if fetched else finished, workers[0].cpu_total, database.total))
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


def _steady(timeline: list[tuple[float, int, float]], expected: int, low: float, high: float):
    first = next(sample for sample in timeline if sample[1] >= low * expected)
    last = next(sample for sample in timeline if sample[1] >= high * expected)
    return first, last


def sustained(timeline: list[tuple[float, int, float]], expected: int, low: float = 0.1, high: float = 0.9) -> float:
    """Articles per second between the samples where `low` and `high` of them were done."""
    first, last = _steady(timeline, expected, low, high)
    return (last[1] - first[1]) / (last[0] - first[0]) if last[0] > first[0] else float("nan")


def cpu_per_article(timeline: list[tuple], expected: int, low: float = 0.1, high: float = 0.9, column: int = 2) -> float:
    """The watched worker's CPU milliseconds per article over the same stretch (its start-up left out);
    `column=3`: the database server's."""
    first, last = _steady(timeline, expected, low, high)
    return 1000 * (last[column] - first[column]) / (last[1] - first[1]) if last[1] > first[1] else float("nan")


# The bare libraries ------------------------------------------------------------------------------------


def _bare_start() -> None:
    from articles.tagging.knowledge import get_index

    get_index()


def _bare_one(page: bytes) -> float:
    """trafilatura's extraction and the tagger's analysis of one page, as the process step asks for them, and
    nothing else (no cleaning, no de-duplication, no database); the CPU seconds it took."""
    import trafilatura

    from articles.ingest.documents import EXTRACTION
    from articles.tagging import analyze

    started = time.process_time()
    extracted = trafilatura.bare_extraction(page.decode(), **EXTRACTION)
    analyze(title=extracted.title or "", body=extracted.text or "")
    return time.process_time() - started


def bare_libraries(pages: list[bytes], processes: int) -> dict:
    """The floor: the libraries alone on the same pages, in as many processes as the process worker has children."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_bare_start) as pool:
        list(pool.map(_bare_one, pages[: 4 * processes]))  # the knowledge index built, first-use costs paid
        started = time.monotonic()
        cpu = list(pool.map(_bare_one, pages, chunksize=8))
        wall = time.monotonic() - started
    return {
        "articles": len(pages), "processes": processes, "wall_s": round(wall, 2),
        "articles_per_s": round(len(pages) / wall, 1), "cpu_ms_per_article": round(1000 * sum(cpu) / len(pages), 2),
    }


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

    from articles.ingest.tasks import feed_fetch
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
        "command": " ".join([Path(sys.executable).name, *sys.argv]), "load_average_start": os.getloadavg(),
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
            feed_fetch.delay(feed_id)
        timeline = watch(feeds_both, expected, [process_worker, fetch_worker], args.timeout)
        wall = timeline[-1][0] - queued
        result["both"] = {
            "wall_s": round(wall, 2),
            "articles_per_s_overall": round(expected / wall, 1),
            "articles_per_s_sustained": round(sustained(timeline, expected), 1),
            "process_cpu_ms_per_article": round(cpu_per_article(timeline, expected), 2),
            "database_cpu_ms_per_article": round(cpu_per_article(timeline, expected, column=3), 2),
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
            feed_fetch.delay(feed_id)
        timeline = watch(feeds_alone, expected, [fetch_worker], args.timeout, fetched=True)
        fetch_wall = timeline[-1][0] - queued
    finally:
        fetch_worker.stop()
    print(f"fetch worker alone: {expected} pages fetched in {fetch_wall:.1f} s", flush=True)
    pages = [body for path, (body, _) in routes_alone.items() if not path.endswith(".xml")]
    result["bare"] = bare_libraries(pages, args.process_concurrency)
    print(f"bare libraries: {result['bare']['articles_per_s']} articles/s in {args.process_concurrency} processes, "
          f"{result['bare']['cpu_ms_per_article']} ms of CPU an article", flush=True)
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
            "cpu_ms_per_article": round(cpu_per_article(timeline, expected), 2),
            "database_cpu_ms_per_article": round(cpu_per_article(timeline, expected, column=3), 2),
            "memory": {"process": process_worker.memory()},
            "outcomes": outcome_counts(feeds_alone),
        }
        bare, alone = result["bare"], result["process_alone"]
        result["cost_over_bare"] = {
            "rate": round(bare["articles_per_s"] / alone["articles_per_s_sustained"], 2),
            "cpu": round(alone["cpu_ms_per_article"] / bare["cpu_ms_per_article"], 2),
        }
        print(f"process worker alone: {expected} articles in {wall:.1f} s, sustained "
              f"{result['process_alone']['articles_per_s_sustained']} articles/s", flush=True)
    finally:
        process_worker.stop()
        server.shutdown()
    result["load_average_end"] = os.getloadavg()
    return result


def fmt_load(load: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in load)


def markdown(result: dict) -> list[str]:
    both, alone, bare, cost = result["both"], result["process_alone"], result["bare"], result["cost_over_bare"]
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
        f"| bare libraries (trafilatura + the tagger's analysis, no database), same pages | {bare['articles']} | "
        f"{bare['wall_s']} | {bare['articles_per_s']} | |",
        "",
        "| CPU ms an article (10-90%) | process worker, both | process worker, alone | bare libraries |",
        "| --- | ---: | ---: | ---: |",
        f"| process worker (parent + pool) | {both['process_cpu_ms_per_article']} | {alone['cpu_ms_per_article']} | {bare['cpu_ms_per_article']} |",
        f"| PostgreSQL server, this database's backends | {both.get('database_cpu_ms_per_article')} | "
        f"{alone.get('database_cpu_ms_per_article')} | |",
        "",
        "| worker tree (parent + pool) | phase | processes | peak RSS MiB | median RSS MiB | peak RSS MiB of one process |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *(f"| {name} | both | {m['processes']} | {m['peak_rss_mb']} | {m['median_rss_mb']} | {m['peak_rss_mb_per_process']} |"
          for name, m in both["memory"].items()),
        *(f"| {name} | alone | {m['processes']} | {m['peak_rss_mb']} | {m['median_rss_mb']} | {m['peak_rss_mb_per_process']} |"
          for name, m in alone["memory"].items()),
        "",
        f"Outcomes (both): {both['outcomes']}. Outcomes (alone): {alone['outcomes']}.",
        f"The process side costs {cost['rate']}x the bare libraries by rate ({bare['articles_per_s']} against "
        f"{alone['articles_per_s_sustained']} articles/s, {bare['processes']} processes each) and {cost['cpu']}x by CPU "
        f"time an article (target: at most {TARGET_OVER_BARE}x); both workers together sustain "
        f"{both['articles_per_s_sustained']} articles/s (target: {TARGET_BOTH_PER_S}).",
        f"Load average (1, 5, 15 min) at the start {fmt_load(result['load_average_start'])}, at the end "
        f"{fmt_load(result['load_average_end'])}. Per-host rate limit: NEWSROOM_FETCH_HOST_INTERVAL=0. "
        f"Command: `{result['command']}`.",
    ]
    return lines


# Profile ---------------------------------------------------------------------------------------------


def profile(args: argparse.Namespace) -> dict:
    """Stage K fetched items (pages on the rows, as items_fetch leaves them) and process them, a batch at a
    time as the process worker does, under cProfile; the bare libraries on the same pages for the floor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.ingest.items import items_process
    from articles.ingest.services import BATCH_SIZE, chunks
    from articles.models import IngestItem, ItemStatus

    base = "http://127.0.0.1:9"  # never fetched: the pages are staged on the rows
    routes, feed_urls = compose_corpus("profile", 0, 1, args.profile, args.seed, base)
    feed_id = register_feeds(feed_urls)[0]
    pages = [body for path, (body, _) in routes.items() if not path.endswith(".xml")]
    items = [item.pk for item in IngestItem.objects.bulk_create(
        IngestItem(
            feed_id=feed_id, key=f"guid:{base}{path}", guid=f"{base}{path}", url=f"{base}{path}", page_url=f"{base}{path}",
            page_html=body.decode(), status=ItemStatus.FETCHED,
        )
        for path, (body, _) in routes.items() if not path.endswith(".xml")
    )]
    warmup = 5  # the index build and first-use set-up are not what a long-running worker pays per article
    items_process(item_ids=items[:warmup])
    half = warmup + (len(items) - warmup - BATCH_SIZE) // 2 // BATCH_SIZE * BATCH_SIZE
    timed, profiled, last = items[warmup:half], items[half:-BATCH_SIZE], items[-BATCH_SIZE:]
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        for batch in chunks(timed):
            items_process(item_ids=batch)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    bare_started, bare_cpu = time.perf_counter(), sum(_bare_one(page) for page in pages[warmup:half])
    bare_elapsed = time.perf_counter() - bare_started
    profiler = cProfile.Profile()
    profiler.enable()
    for batch in chunks(profiled):
        items_process(item_ids=batch)
    profiler.disable()
    with CaptureQueriesContext(connection) as queries:
        items_process(item_ids=last)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    stream.write(f"\nThe {len(queries.captured_queries)} queries of one batch of {len(last)} articles:\n")
    stream.writelines(f"{q['sql'][:300]}\n" for q in queries.captured_queries)
    result = {
        "articles_timed": len(timed), "seconds": round(elapsed, 3), "articles_per_s": round(len(timed) / elapsed, 1),
        "cpu_ms_per_article": round(1000 * cpu / len(timed), 2),
        "queries_per_article": round(statements[0] / len(timed), 1), "articles_profiled": len(profiled),
        "bare": {"articles_per_s": round(len(timed) / bare_elapsed, 1), "cpu_ms_per_article": round(1000 * bare_cpu / len(timed), 2)},
        "load_average": os.getloadavg(),
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
