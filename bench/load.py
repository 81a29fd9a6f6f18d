"""Load test: wrk against gunicorn on 127.0.0.1, a realistic mix of pages, rising concurrency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale .venv/bin/python bench/load.py

1. Build the request mix from the corpus already in the database (run bench/pages.py or
   generate_corpus first): 40% filtered lists (person, topic, dates, two people), 20% searches,
   25% article pages, 15% person pages, each drawn at random by a wrk Lua script.
2. Start gunicorn on 127.0.0.1 only (the workers and port given), wait until it answers.
3. For each concurrency, run wrk for --seconds (bounded: wrk stops itself, and so does this script),
   and read requests per second, latency percentiles and errors from wrk's Lua `done` hook.
4. Stop gunicorn (the process this script started), and write bench/results/load-<time>.json/.md
   with the highest concurrency whose p95 stays under --p95-ms with no errors.

Needs wrk (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 and nowhere else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from report import results_write  # noqa: E402  (bench/report.py: this folder is on sys.path when run as a script)

from articles.corpus import corpus_plan  # noqa: E402
from articles.models import Article  # noqa: E402

HOST = "127.0.0.1"

LUA = """
local paths = {%s}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, '
    .. '"errors_connect": %%d, "errors_read": %%d, "errors_write": %%d, "errors_status": %%d, "errors_timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def request_mix(seed: int, size: int = 400) -> list[str]:
    """Paths in the proportions of the mix, from the corpus plan and the stored article ids."""
    rng = random.Random(seed)
    plan = corpus_plan(seed=seed)
    people = [p.slug for p in plan.people.items[:60]]
    topics = [t.slug for t in plan.topics.items]
    first = Article.objects.order_by("id").values_list("id", flat=True).first()
    last = Article.objects.order_by("-id").values_list("id", flat=True).first()
    if first is None:
        raise SystemExit("no articles: run bench/pages.py or manage.py generate_corpus first")
    words = ["ceasefire", "prisoner releases", "delegation", "guarantees", "humanitarian", "elders", "timetable"]
    paths = []
    for _ in range(size):
        draw = rng.random()
        person = people[min(int(rng.paretovariate(1.2)) - 1, len(people) - 1)]
        if draw < 0.40:
            year = rng.randint(2018, 2024)
            paths.append(rng.choice([
                f"/articles/?person={person}&date_after={year}-01-01&date_before={year}-12-31",
                f"/articles/?topic={rng.choice(topics)}",
                f"/articles/?person={person}&person={rng.choice(people)}",
                f"/articles/?person={person}&topic={rng.choice(topics)}",
            ]))
        elif draw < 0.60:
            paths.append("/articles/?q=" + rng.choice(words).replace(" ", "+"))
        elif draw < 0.85:
            paths.append(f"/articles/{rng.randint(first, last)}/")
        else:
            paths.append(f"/people/{person}/")
    return paths


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (other servers on this machine keep theirs)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_start(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": HOST, "DEBUG": "0"}
    process = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "newsroom.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
        cwd=REPO, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/articles/", timeout=10) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    gunicorn_stop(process)
    raise SystemExit("gunicorn did not answer within 30 s")


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wrk_run(script: Path, port: int, concurrency: int, seconds: int) -> dict:
    threads = min(2, concurrency)
    output = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(script), f"http://{HOST}:{port}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["errors"] = sum(result[k] for k in result if k.startswith("errors_"))
    result["concurrency"] = concurrency
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    for key in ("p50", "p95", "p99", "max"):
        result[f"{key}_ms"] = round(result.pop(f"{key}_us") / 1000, 1)
    return result


def worker_memory_mb(process: subprocess.Popen) -> float:
    """Resident memory of gunicorn's master and workers together, from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if status.parent.name == str(process.pid) or fields.get("PPid", "").strip() == str(process.pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return round(total / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--concurrency", default="1,2,4,8", help="comma-separated connection counts")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each level")
    parser.add_argument("--p95-ms", type=float, default=300.0)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    port = args.port or free_port()
    paths = request_mix(args.seed)
    articles = Article.objects.count()
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(json.dumps(p) for p in paths))
    levels = []
    server = gunicorn_start(port, args.workers)
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            result = wrk_run(Path(script.name), port, concurrency, args.seconds)
            result["server_memory_mb"] = worker_memory_mb(server)
            levels.append(result)
            print(f"  c={concurrency}: {result['rps']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
                  f"errors {result['errors']}", flush=True)
    finally:
        gunicorn_stop(server)
        Path(script.name).unlink(missing_ok=True)

    good = [r for r in levels if r["p95_ms"] <= args.p95_ms and r["errors"] == 0]
    best = max(good, key=lambda r: r["rps"]) if good else None
    meta = {"articles": articles, "workers": args.workers, "seconds": args.seconds, "p95_limit_ms": args.p95_ms,
            "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "mix": "40% lists, 20% search, "
            "25% article, 15% person", "paths": len(paths)}
    lines = [f"# Load at {articles:,} articles: gunicorn {args.workers} workers, wrk {args.seconds} s per level", "",
             f"{meta['when']} · mix: {meta['mix']}", "",
             "| connections | req/s | p50 ms | p95 ms | p99 ms | errors | server RSS MB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['concurrency']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} | "
              f"{r['server_memory_mb']} |" for r in levels]
    lines += ["", (f"Best with p95 <= {args.p95_ms:.0f} ms and no errors: {best['rps']} req/s at {best['concurrency']} "
                   f"connections (p95 {best['p95_ms']} ms)." if best else
                   f"No level kept p95 <= {args.p95_ms:.0f} ms with no errors.")]
    stem = results_write(f"load-{articles}", {"meta": meta, "levels": levels, "best": best}, lines)
    print(f"written: {stem}.json and .md")


if __name__ == "__main__":
    main()
