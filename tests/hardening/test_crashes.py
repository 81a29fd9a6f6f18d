"""Crashes and concurrency on real PostgreSQL, Redis and worker processes: nothing duplicated, nothing lost.

Faults injected: four workers racing on overlapping feeds, a worker killed with SIGKILL mid-task,
the `ingest` command killed and `retag` interrupted (then both run again), and a PostgreSQL
restart in the middle of a run (test_postgres_restart.py, on a cluster of the test's own).
Each test skips where the services are missing and fails there when NEWSROOM_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from articles.ingest.polling import feed_upsert
from articles.knowledge_base import load_knowledge_base
from articles.models import Article, ArticlePerson, IngestItem, ItemStatus
from tests.conftest import _database_url, require

from .conftest import REPO, LocalWeb, wait_for
from .test_hostile_corpus import page, rss, rss_item

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PEOPLE = ["Zalmay Khalilzad", "Abdullah Abdullah", "Mullah Abdul Ghani Baradar", "Ashraf Ghani", "Hamid Karzai"]


def story(n: int) -> str:
    """Article n's paragraphs, different enough from every other's not to be a near-duplicate."""
    who = PEOPLE[n % len(PEOPLE)]
    return (
        f"<p>DOHA — {who} met negotiators for the {n}th time on day {n} of the talks, and the {n * 7} delegates "
        f"discussed prisoner list number {n * 13}, a district numbered {n * 3} and convoy {n * 11} of the Red Crescent.</p>"
        f"<p>Officials said session {n} ended at hour {n % 24} with agreement number {n * 17} on item {n * 19}; "
        f"observers counted {n * 23} pages of notes and {n * 29} cups of tea before round {n + 1} was scheduled.</p>"
    )


def serve_stories(web: LocalWeb, numbers: range, *, delay: float = 0.0) -> None:
    for n in numbers:
        web.add(f"/story/{n}", page(f"Talks in Doha, session {n}", paragraphs=story(n)), delay=delay)


def serve_feed(web: LocalWeb, path: str, numbers: range) -> str:
    items = "".join(
        rss_item(f"Talks in Doha, session {n}", web.url(f"/story/{n}"), date=f"Tue, {n % 28 + 1:02d} Mar 2020 10:00:00 +0000",
                 content="<p>A teaser.</p>")
        for n in numbers
    )
    return web.add(path, rss(items), content_type="application/rss+xml")


def settled() -> bool:
    return not IngestItem.objects.filter(status__in=[ItemStatus.QUEUED, ItemStatus.FETCHED]).exists()


def assert_each_story_once(numbers: range, web: LocalWeb) -> None:
    urls = list(Article.objects.values_list("url", flat=True))
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert sorted(urls) == sorted(web.url(f"/story/{n}") for n in numbers), "an article is missing or extra"
    assert not IngestItem.objects.filter(status=ItemStatus.FAILED).exists()


def test_four_workers_on_overlapping_feeds_store_each_article_once(workers_factory, web):
    load_knowledge_base()
    serve_stories(web, range(60))
    feeds = [feed_upsert(url=serve_feed(web, f"/feed/{k}.xml", range(k * 10, k * 10 + 30))) for k in range(4)]
    workers = workers_factory()
    for _ in range(4):
        workers.start()

    for feed in feeds + feeds:  # each feed twice, at once: the same entries raced by different workers
        workers.send("feed_fetch", feed.pk)

    wait_for(lambda: Article.objects.count() >= 60 and settled(), timeout=240, what="60 articles", workers=workers)
    time.sleep(1)  # anything still in flight would show up as an extra row now
    assert_each_story_once(range(60), web)
    assert "Traceback" not in workers.logs() or "IntegrityError" not in workers.logs()


def test_a_worker_killed_mid_task_has_its_task_redelivered_and_finished(workers_factory, web):
    """acks_late + reject_on_worker_lost: the message stays unacknowledged in Redis, and after the
    (shortened) visibility timeout it goes to the next worker."""
    load_knowledge_base()
    web.add("/story/slow", page("Talks in Doha, the slow page", paragraphs=story(1)), delay=30)
    workers = workers_factory(visibility_timeout=5)
    first = workers.start()
    workers.send("url_ingest", web.url("/story/slow"))
    wait_for(lambda: web.hits("/story/slow") >= 1, timeout=60, what="the first worker to fetch", workers=workers)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    web.routes["/story/slow"].delay = 0
    workers.start()

    wait_for(lambda: Article.objects.exists() and settled(), timeout=120, what="the redelivered task", workers=workers)
    assert web.hits("/story/slow") >= 2, "the page was fetched again by the task's second delivery"
    article = Article.objects.get()
    assert article.title == "Talks in Doha, the slow page"
    assert Article.objects.count() == 1


def run_command(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def command_env() -> dict:
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "NEWSROOM_FETCH_ALLOW_PRIVATE": "1",
        "NEWSROOM_FETCH_HOST_INTERVAL": "0", "NEWSROOM_RATE_LIMIT_REDIS_URL": "",
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def snapshot() -> tuple[list, list]:
    articles = sorted(Article.objects.values_list("url", "title", "content_hash", "is_relevant"))
    people = sorted(ArticlePerson.objects.values_list("article__url", "person__slug"))
    return articles, people


def test_ingest_and_retag_interrupted_then_run_again_end_as_an_uninterrupted_run(web):
    require(connection.vendor == "postgresql", "the commands run in processes of their own: set DATABASE_URL")
    load_knowledge_base()
    env = command_env()
    numbers = range(40)
    serve_stories(web, numbers, delay=0.05)
    feed_url = serve_feed(web, "/feed/all.xml", numbers)

    # The uninterrupted run, then a clean slate.
    done = subprocess.run([sys.executable, "manage.py", "ingest", "--sync", feed_url], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = snapshot()
    assert len(expected[0]) == 40
    Article.objects.all().delete()
    IngestItem.objects.all().delete()
    from articles.models import Feed

    Feed.objects.all().delete()
    pages_before = sum(web.hits(f"/story/{n}") for n in numbers)

    killed = run_command("ingest", "--sync", feed_url, env=env)
    wait_for(lambda: sum(web.hits(f"/story/{n}") for n in numbers) - pages_before >= 10, timeout=60, what="pages fetched")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)
    again = subprocess.run([sys.executable, "manage.py", "ingest", "--sync", feed_url], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot() == expected, "ingest killed and run again differs from one uninterrupted run"

    # Re-tagging: the uninterrupted result, then tags wiped and a retag interrupted with SIGINT and resumed.
    subprocess.run([sys.executable, "manage.py", "retag", "--all"], cwd=REPO, env=env, check=True, capture_output=True, timeout=300)
    retagged = snapshot()
    assert retagged[1], "the stories name people the tagger links"
    ArticlePerson.objects.all().delete()
    Article.objects.update(tagger_version=0)
    interrupted = run_command("retag", "--all", "--batch-size", "2", env=env)
    lines: list[str] = []
    while len([line for line in lines if "examined" in line]) < 3:
        line = interrupted.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
    interrupted.send_signal(signal.SIGINT)
    output = interrupted.communicate(timeout=60)[0]
    assert interrupted.returncode != 0 and "Interrupted" in output, output
    assert snapshot() != retagged, "the interruption came too late to test anything"
    resumed = subprocess.run([sys.executable, "manage.py", "retag", "--all", "--batch-size", "2"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "Resuming" in resumed.stdout
    assert snapshot() == retagged
