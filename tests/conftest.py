"""Shared fixtures: the knowledge base loaded once, the seed article, an editor and a reader."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.core.management import call_command
from django.db import connection

from articles.knowledge_base import load_knowledge_base
from articles.models import Article
from articles.tagging.knowledge import index_recheck
from newsroom.celery import app as celery_app

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("NEWSROOM_SEEDS_DIR", REPO.parent / "shared" / "seeds"))
SEED_TEXT = SEEDS / "000_589b11b7a67e217d.txt"
SEED_GOLD = SEEDS / "000_589b11b7a67e217d.gold.json"
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reviewed knowledge base once into the test database."""
    with django_db_blocker.unblock():
        load_knowledge_base()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Creating users takes milliseconds instead of half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def knowledge_index_recheck():
    """Each test's tagger sees the knowledge base as it is, not as a rolled-back test left it."""
    index_recheck()


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process unless a test starts a real worker (see test_celery_worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def seed_path() -> Path:
    if not SEED_TEXT.exists():
        pytest.fail(f"seed article missing at {SEED_TEXT} (set NEWSROOM_SEEDS_DIR)")
    return SEED_TEXT


@pytest.fixture
def seed_gold() -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture
def seed_article(db, seed_path) -> Article:
    call_command("ingest", str(seed_path), "--sync", verbosity=0)
    return Article.objects.get()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", "editor-password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop without the services; fail in CI, which promises them."""
    if condition:
        return
    if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker_queue(tmp_path):
    """A real Celery worker process on Redis and the test database, consuming a queue of its own.

    Both of the app's queues (fetch and process) are pointed at that one queue, so the tasks a
    task queues stay with this worker. Its log is tmp_path / "worker.log".
    """
    require(connection.vendor == "postgresql", "a worker process needs a shared database: set DATABASE_URL")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require(False, f"Redis not reachable at {REDIS_URL}: {exc}")
    queue = f"newsroom-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "NEWSROOM_FETCH_QUEUE": queue,
        "NEWSROOM_PROCESS_QUEUE": queue,
        # Tests serve their pages from 127.0.0.1, with no pause between requests.
        "NEWSROOM_FETCH_ALLOW_PRIVATE": "1",
        "NEWSROOM_FETCH_HOST_INTERVAL": "0",
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


@pytest.fixture
def celery_client() -> Celery:
    """A Celery client of the test Redis, for sending tasks to the worker of `worker_queue`."""
    return Celery("newsroom-test-client", broker=REDIS_URL, backend=REDIS_URL)
