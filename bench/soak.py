"""Soak: browsing and ingestion at once, on loopback only, for a bounded time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_hardening .venv/bin/python bench/soak.py --minutes 5

A feed on a local server (127.0.0.1) grows by a few stories every couple of seconds and is read
in this process (`InProcess(report).feed_fetch`, the command's --sync path) while browsing threads request the pages
and the API from the app served on another local port. It prints, as JSON: requests by status,
errors (5xx or exceptions), latency p50/p95, stories published and articles stored (lost = the
difference), and the process's resident memory sampled through the run (growth after warm-up).
The database needs migrations and the knowledge base (`manage.py migrate`, `load_knowledge_base`).
tests/hardening/test_soak.py runs the same for about a minute.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

PAGES = ["/", "/articles/", "/articles/?q=Doha", "/articles/?person=zalmay-khalilzad", "/articles/?sort=oldest",
         "/people/zalmay-khalilzad/", "/events/", "/articles/feed/", "/api/articles/", "/api/articles/?q=ceasefire"]


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve_app():
    """The Django app on 127.0.0.1 in threads (as runserver would), quiet."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, connections_override=None)
    server.daemon_threads = True
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def soak(seconds: float, *, browsers: int = 3, batch: int = 3, every: float = 2.0, start: int = 10_000) -> dict:
    """Run the soak for `seconds`; return the figures (see the module's docstring)."""
    from django.db import connection

    from articles.ingest import IngestReport, InProcess
    from articles.ingest.fetch import FetchPolicy
    from articles.ingest.polling import feed_upsert
    from articles.models import Article
    from tests.hardening.test_crashes import serve_feed, serve_stories
    from tests.ingest.conftest import LocalWeb

    web = LocalWeb()
    web.thread.start()
    app = serve_app()
    base = f"http://127.0.0.1:{app.server_address[1]}"
    policy = FetchPolicy(connect_timeout=2, read_timeout=5, total_timeout=10, host_interval=0,
                         allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    published: list[int] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    latencies: list[float] = []
    memory: list[tuple[float, float]] = []
    lock = threading.Lock()
    stop = threading.Event()
    began = time.monotonic()

    def browse(seed: int) -> None:
        chooser = random.Random(seed)
        while not stop.is_set():
            path = chooser.choice(PAGES)
            if published and chooser.random() < 0.3:
                ids = list(Article.objects.order_by("-id").values_list("id", flat=True)[:20])
                path = f"/articles/{chooser.choice(ids)}/" if ids else path
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except Exception as exc:  # a refused or dropped connection is an error of the soak too
                status = 0
                with lock:
                    errors.append(f"{path}: {exc!r}")
            with lock:
                statuses[status] += 1
                latencies.append(time.monotonic() - t0)
                if status >= 500:
                    errors.append(f"{path}: HTTP {status}")
        connection.close()

    threads = [threading.Thread(target=browse, args=(i,), daemon=True) for i in range(browsers)]
    for thread in threads:
        thread.start()
    feed = None
    report = IngestReport()
    cycles = 0
    try:
        while time.monotonic() - began < seconds:
            new = range(start + len(published), start + len(published) + batch)
            serve_stories(web, new)
            published.extend(new)
            feed_url = serve_feed(web, "/soak/feed.xml", range(max(start, new.stop - 30), new.stop))
            feed = feed or feed_upsert(url=feed_url)
            InProcess(report, policy=policy).feed_fetch(feed.pk)
            cycles += 1
            memory.append((round(time.monotonic() - began, 1), round(resident_mb(), 1)))
            time.sleep(max(0.0, every - (time.monotonic() - began) % every))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        app.shutdown()
        app.server_close()
        web.server.shutdown()
        web.server.server_close()
    stored = set(Article.objects.filter(url__startswith=web.base + "/story/").values_list("url", flat=True))
    lost = [n for n in published if web.url(f"/story/{n}") not in stored]
    warm = [mb for t, mb in memory if t >= min(15.0, seconds / 4)] or [mb for _t, mb in memory]
    ordered = sorted(latencies)
    return {
        "seconds": round(time.monotonic() - began, 1),
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": len(errors),
        "error_samples": errors[:10],
        "latency_p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "latency_p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 1) if ordered else None,
        "ingest_cycles": cycles,
        "stories_published": len(published),
        "articles_stored": len(stored),
        "lost": len(lost),
        "ingest_failures": report.failures[:10],
        "rss_mb_first": memory[0][1] if memory else None,
        "rss_mb_after_warmup": warm[0],
        "rss_mb_last": memory[-1][1] if memory else None,
        "rss_mb_max": max(mb for _t, mb in memory) if memory else None,
        "rss_growth_after_warmup_mb": round(warm[-1] - warm[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--browsers", type=int, default=3, help="browsing threads")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query in memory, which is no soak of the app
    print(json.dumps(soak(args.minutes * 60, browsers=args.browsers), indent=2))


if __name__ == "__main__":
    main()
