"""Ingestion, end to end, against the bare libraries on the same inputs, in one run.

    .venv/bin/python bench/ingest.py --feeds 10 --items 20 --runs 3
    .venv/bin/python bench/ingest.py --database postgres://postgres@127.0.0.1:5432/newsroom_ingest_bench

1. Compose N feeds of M articles from the sentences of the demo corpus (seeded, so each article is
   a different mix and no two are near-duplicates) and serve them from 127.0.0.1: RSS 2.0 feeds
   whose items carry a one-line summary, and cluttered article pages (navigation, ads, related
   links, comments, footer), so every item needs its page fetched and extracted.
2. Ours: `InProcess(report).url_ingest(url)` for each feed URL, in this process (`ingest --sync`): the guarded fetch of the feed and of
   every page, feedparser, trafilatura, blocks and nh3, URL normalisation, the content hash and the
   MinHash/LSH near-duplicate check, tagging, and the database writes (items, articles, bands,
   tags, fetch records), in a fresh database.
   The time spent in the tagger (articles.tagging, another issue's work) is timed on its own
   and reported beside the total.
3. Bare: the same feeds and pages with plain urllib3, feedparser.parse and trafilatura's
   bare_extraction (the options ours uses), and nothing stored. Also "bare, no network": parsing
   and extraction alone on bytes fetched beforehand.
4. Each run serves new feeds (new URLs, new articles); bare and ours alternate run by run, and the
   ratio ours / bare is given per run and as the median.
5. bench/results/ingest-<N>x<M>-<time>.json and .md; the markdown is printed.

Not a test: on a shared 2-core machine timings are noisy, so only ratios measured in the same run
are reported. The per-host rate limit is set to 0 here (one local host serves everything); in
production it spaces requests to one host by NEWSROOM_FETCH_HOST_INTERVAL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from databases import postgres_database_recreate
from report import results_write

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEMO = REPO / "content" / "demo"
TARGET_RATIO = 1.5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database", default="",
        help="a database URL whose name ends in 'bench' (recreated); default: a new SQLite file in /tmp",
    )
    return parser.parse_args()


def prepare_database(url: str) -> str:
    """A fresh database for the run: a temporary SQLite file, or a PostgreSQL database named *bench, recreated."""
    if not url:
        return f"sqlite:///{tempfile.mkdtemp(prefix='newsroom-bench-ingest-')}/db.sqlite3"
    postgres_database_recreate(url)
    return url


# Inputs ------------------------------------------------------------------------------------------


def feed_texts(path: Path) -> list[str]:
    """The text of each item of a demo feed file (RSS, Atom or JSON Feed), tags dropped."""
    import feedparser

    data = path.read_bytes()
    if path.suffix == ".json":
        contents = [item["content_html"] for item in json.loads(data)["items"]]
    else:
        contents = [e.content[0].value for e in feedparser.parse(io.BytesIO(data)).entries]
    return [html.unescape(re.sub(r"<[^>]+>", " ", content)) for content in contents]


def demo_sentences() -> list[str]:
    """Every sentence of the demo corpus's feed items (our own text), without datelines."""

    sentences = []
    for path in sorted(DEMO.glob("*/feed.*")):
        for text in feed_texts(path):
            text = re.sub(r"^\s*[A-Z][A-Z .'-]+ — ", "", text)
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if len(s.split()) > 5]
    return sentences


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench Outlet {feed}</title>
<meta property="og:site_name" content="Bench Outlet {feed}"><meta name="author" content="Bench Writer {feed}">
<meta property="article:published_time" content="{published}"><link rel="canonical" href="{url}">
<script>window.analytics = {{"section": "world"}};</script></head><body>
<div class="cookie-banner">We use cookies. <a href="/privacy">Privacy</a> <button>Accept</button></div>
<header><a class="logo" href="/">Bench Outlet {feed}</a><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/asia">Asia</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="ad ad-leaderboard">Advertisement</div>
<main><article><p class="kicker">World</p><h1>{title}</h1><p class="byline">By Bench Writer {feed}</p>
<div class="share">Share: <a href="#">X</a> <a href="#">Facebook</a></div><div class="story-body">{paragraphs}</div></article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Comments</h2><p>Log in to comment.</p></section></main>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul>
<p>© 2021 Bench Outlet {feed}. All rights reserved.</p></footer></body></html>"""


def compose(run: int, feeds: int, items: int, seed: int, base: str, sentences: list[str]) -> dict[str, tuple[bytes, str]]:
    """Routes of one run: path -> (body, content type)."""
    rng = random.Random(f"{seed}-{run}")
    routes: dict[str, tuple[bytes, str]] = {}
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    for f in range(feeds):
        entries = []
        for i in range(items):
            chosen = rng.sample(sentences, rng.randint(8, 14))
            title = chosen[0].rstrip(".")[:120]
            published = start + dt.timedelta(hours=run * 1000 + f * items + i)
            url = f"{base}/r{run}/f{f}/story-{i}"
            paragraphs = "".join(f"<p>{html.escape(' '.join(chosen[k:k + 2]))}</p>" for k in range(1, len(chosen), 2))
            related = "".join(f'<li><a href="{base}/r{run}/f{f}/story-{j}">Story {j}</a></li>' for j in range(5))
            routes[f"/r{run}/f{f}/story-{i}"] = (
                PAGE.format(title=html.escape(title), feed=f, published=published.isoformat(), url=url,
                            paragraphs=paragraphs, related=related).encode(),
                "text/html; charset=utf-8",
            )
            entries.append(
                f"<item><title>{html.escape(title)}</title><link>{url}</link><guid>{url}</guid>"
                f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{html.escape(chosen[1])}</description></item>"
            )
        routes[f"/r{run}/f{f}/feed.xml"] = (
            (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench Outlet {f}</title>'
             f"<link>{base}/</link>{''.join(entries)}</channel></rss>").encode(),
            "application/rss+xml; charset=utf-8",
        )
    return routes


def serve(routes: dict[str, tuple[bytes, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def log_message(self, *args):
            pass

        def do_GET(self):
            body, content_type = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# The two sides ------------------------------------------------------------------------------------

EXTRACT_OPTIONS = {
    "with_metadata": True, "include_comments": False, "include_formatting": True, "include_images": False,
    "include_links": False, "favor_precision": True,
    "date_extraction_params": {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
}


def bare(feed_urls: list[str]) -> tuple[float, int, dict[str, bytes]]:
    """Plain urllib3 + feedparser + trafilatura; returns seconds, articles, and the bytes it fetched."""
    import feedparser
    import trafilatura
    import urllib3

    http = urllib3.PoolManager()
    fetched: dict[str, bytes] = {}
    articles = 0
    started = time.perf_counter()
    for feed_url in feed_urls:
        data = http.request("GET", feed_url).data
        fetched[feed_url] = data
        for entry in feedparser.parse(io.BytesIO(data)).entries:
            page = http.request("GET", entry.link).data
            fetched[entry.link] = page
            if trafilatura.bare_extraction(page, url=entry.link, **EXTRACT_OPTIONS) is not None:
                articles += 1
    return time.perf_counter() - started, articles, fetched


def bare_offline(feed_urls: list[str], fetched: dict[str, bytes]) -> float:
    import feedparser
    import trafilatura

    started = time.perf_counter()
    for feed_url in feed_urls:
        for entry in feedparser.parse(io.BytesIO(fetched[feed_url])).entries:
            trafilatura.bare_extraction(fetched[entry.link], url=entry.link, **EXTRACT_OPTIONS)
    return time.perf_counter() - started


def ours(feed_urls: list[str]) -> tuple[float, float, int, dict]:
    """Seconds in all, seconds of them in the tagger (timed around article_tag), articles, outcome counts."""
    from articles.ingest import IngestReport, InProcess, services
    from articles.ingest.fetch import FetchPolicy

    tagging = [0.0]
    article_tag = services.article_tag

    def timed_article_tag(**kwargs):
        started = time.perf_counter()
        try:
            return article_tag(**kwargs)
        finally:
            tagging[0] += time.perf_counter() - started

    policy = FetchPolicy(allow_private=True, host_interval=0)
    report = IngestReport()
    services.article_tag = timed_article_tag
    try:
        started = time.perf_counter()
        for feed_url in feed_urls:
            InProcess(report, policy=policy).url_ingest(feed_url)
        elapsed = time.perf_counter() - started
    finally:
        services.article_tag = article_tag
    return elapsed, tagging[0], report.counts["created"] + report.counts["duplicate"], report.as_dict()["counts"]


def main() -> None:
    args = parse_args()
    database = prepare_database(args.database)
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # in this process; no shared rate limiter
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", verbosity=0)
    sentences = demo_sentences()
    vendor = connection.vendor

    # Run -1 warms both sides up (imports, trafilatura's and the tagger's first-use set-up) and is not reported.
    rows = []
    for run in range(-1, args.runs):
        routes: dict[str, tuple[bytes, str]] = {}
        server = serve(routes)  # the handler reads this dict, filled once the port is known
        base = f"http://127.0.0.1:{server.server_address[1]}"
        size = (1, 3) if run == -1 else (args.feeds, args.items)
        routes.update(compose(run, *size, args.seed, base, sentences))
        feed_urls = [f"{base}{path}" for path in routes if path.endswith("/feed.xml")]
        bare_s, bare_n, fetched = bare(feed_urls)
        offline_s = bare_offline(feed_urls, fetched)
        ours_s, tagging_s, ours_n, counts = ours(feed_urls)
        server.shutdown()
        if run == -1:
            continue
        rows.append({
            "run": run, "articles": ours_n, "bare_articles": bare_n, "counts": counts,
            "ours_s": round(ours_s, 3), "bare_s": round(bare_s, 3), "bare_offline_s": round(offline_s, 3),
            "ours_per_s": round(ours_n / ours_s, 1), "bare_per_s": round(bare_n / bare_s, 1),
            "ratio": round(ours_s / bare_s, 2), "ratio_offline": round(ours_s / offline_s, 2),
            "tagging_s": round(tagging_s, 3), "ratio_without_tagging": round((ours_s - tagging_s) / bare_s, 2),
        })
        print(f"run {run}: ours {ours_s:.2f} s ({ours_n} articles), bare {bare_s:.2f} s, ratio {ours_s / bare_s:.2f}", flush=True)

    summary = {
        "feeds": args.feeds, "items": args.items, "runs": args.runs, "database": vendor,
        "ratio_median": statistics.median(r["ratio"] for r in rows),
        "ratio_offline_median": statistics.median(r["ratio_offline"] for r in rows),
        "ratio_without_tagging_median": statistics.median(r["ratio_without_tagging"] for r in rows),
        "ours_per_s_median": statistics.median(r["ours_per_s"] for r in rows),
        "bare_per_s_median": statistics.median(r["bare_per_s"] for r in rows),
        "target_ratio": TARGET_RATIO,
        "rows": rows,
    }
    summary["target_met"] = summary["ratio_median"] <= TARGET_RATIO
    markdown = [
        f"# Ingest benchmark: {args.feeds} feeds x {args.items} items, {args.runs} runs, {vendor}",
        "",
        "| run | articles | ours s | of which tagging s | bare s | bare (no network) s | ours art/s | bare art/s "
        "| ours/bare | ours without tagging/bare | ours/bare no network |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(f"| {r['run']} | {r['articles']} | {r['ours_s']} | {r['tagging_s']} | {r['bare_s']} | {r['bare_offline_s']} | "
          f"{r['ours_per_s']} | {r['bare_per_s']} | {r['ratio']} | {r['ratio_without_tagging']} | {r['ratio_offline']} |"
          for r in rows),
        "",
        f"Median: ours {summary['ours_per_s_median']} articles/s, bare {summary['bare_per_s_median']} articles/s, "
        f"ratio {summary['ratio_median']} (target at most {TARGET_RATIO}: {'met' if summary['target_met'] else 'not met'}); "
        f"without the tagger's time {summary['ratio_without_tagging_median']}; "
        f"against parsing and extraction alone (no network) {summary['ratio_offline_median']}.",
    ]
    results_write(f"ingest-{args.feeds}x{args.items}", summary, markdown)


if __name__ == "__main__":
    main()
