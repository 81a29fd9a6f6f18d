"""A real Celery worker process on Redis runs the ingest task against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from articles.knowledge_base import load_knowledge_base
from articles.models import Article

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop without the services; fail in CI, which promises them."""
    if condition:
        return
    if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker_queue(tmp_path):
    require(connection.vendor == "postgresql", "a worker process needs a shared database: set DATABASE_URL")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require(False, f"Redis not reachable at {REDIS_URL}: {exc}")
    queue = f"newsroom-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-Q", queue, "--pool=solo",
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_ingests_seed_article(worker_queue, seed_path, tmp_path):
    load_knowledge_base()
    client = Celery("newsroom-test-client", broker=REDIS_URL, backend=REDIS_URL)
    result = client.send_task("articles.ingest.tasks.ingest_file", args=[str(seed_path)], queue=worker_queue)
    try:
        report = result.get(timeout=180)
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise
    assert report["counts"]["created"] == 1, report
    article = Article.objects.get()
    assert article.source.name == "PNI"
    assert article.person_links.filter(person__slug="zalmay-khalilzad").exists()

    again = client.send_task("articles.ingest.tasks.ingest_file", args=[str(seed_path)], queue=worker_queue)
    assert again.get(timeout=180)["counts"]["unchanged"] == 1
    assert Article.objects.count() == 1
