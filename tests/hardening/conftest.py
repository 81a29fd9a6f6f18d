"""Hardening tests: the ingest tests' local web on 127.0.0.1 and their fetch settings, and real worker processes."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection

from tests.conftest import _database_url, require
from tests.ingest.conftest import LocalWeb, fetch_settings, web  # noqa: F401  (fixtures shared by import)

from .private_postgres import PrivatePostgres, missing_reason

__all__ = ["LocalWeb"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright (needs /usr/bin/chromium)")


# Real worker processes, for the crash and concurrency tests ------------------------------------

REPO = Path(__file__).resolve().parents[2]
HARDENING_REDIS_URL = os.environ.get("NEWSROOM_HARDENING_REDIS_URL", "redis://127.0.0.1:6379/6")


class Workers:
    """Celery worker processes on one queue of their own, started and killed at will."""

    def __init__(self, log_dir: Path, *, visibility_timeout: int = 3600):
        self.queue = f"newsroom-hardening-{uuid.uuid4().hex[:8]}"
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": HARDENING_REDIS_URL,
            "CELERY_RESULT_BACKEND": HARDENING_REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "NEWSROOM_FETCH_QUEUE": self.queue,
            "NEWSROOM_PROCESS_QUEUE": self.queue,
            "NEWSROOM_FETCH_ALLOW_PRIVATE": "1",
            "NEWSROOM_FETCH_HOST_INTERVAL": "0",
            "NEWSROOM_RATE_LIMIT_REDIS_URL": "",
        }

    def start(self) -> subprocess.Popen:
        log = (self.log_dir / f"worker-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-Q", self.queue, "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
             "-n", f"hardening{len(self.processes)}@%h"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def send(self, name: str, *args):
        from celery import Celery

        # Not Celery's current app: the task modules' proxies would then resolve to this client's copies.
        client = Celery("newsroom-hardening-client", broker=HARDENING_REDIS_URL, backend=HARDENING_REDIS_URL,
                        set_as_current=False)
        return client.send_task(f"articles.ingest.tasks.{name}", args=list(args), queue=self.queue)

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition, *, timeout: float, what: str, workers: Workers | None = None, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    logs = workers.logs()[-4000:] if workers else ""
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}\n{logs}")


@pytest.fixture
def workers_factory(tmp_path):
    """Start Workers(...) on PostgreSQL and Redis DB 6; all are stopped at the end of the test."""
    require(connection.vendor == "postgresql", "worker processes need a shared database: set DATABASE_URL")
    try:
        redis.Redis.from_url(HARDENING_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require(False, f"Redis not reachable at {HARDENING_REDIS_URL}: {exc}")
    made: list[Workers] = []

    def make(**options) -> Workers:
        workers = Workers(tmp_path, **options)
        made.append(workers)
        return workers

    yield make
    for workers in made:
        workers.stop()


@pytest.fixture
def private_postgres(transactional_db):
    """Django's default connection moved to a migrated PostgreSQL cluster of the test's own, for the test's length.

    Workers made meanwhile get its URL too (Workers reads the connection's settings), so the test
    can stop and start that cluster without touching the machine's shared server. The settings
    are put back before pytest-django flushes the usual test database.
    """
    require(connection.vendor == "postgresql", "the private cluster stands in for PostgreSQL: set DATABASE_URL")
    reason = missing_reason()
    require(not reason, f"no private PostgreSQL cluster: {reason}")
    cluster = PrivatePostgres()
    saved = dict(connection.settings_dict)
    try:
        cluster.create()
        cluster.createdb("newsroom")
        connection.close()
        connection.settings_dict.update(NAME="newsroom", USER="postgres", PASSWORD="", HOST="127.0.0.1", PORT=str(cluster.port))
        call_command("migrate", verbosity=0)
        yield cluster
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        cluster.remove()
