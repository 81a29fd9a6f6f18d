"""A PostgreSQL restart in the middle of a run is survived and the run completes.

In a file of its own, named to run after every other test here: the restart disturbs the whole machine.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from articles.ingest.polling import feed_upsert
from articles.knowledge_base import load_knowledge_base
from articles.models import Article
from tests.conftest import require

from .conftest import wait_for
from .test_crashes import assert_each_story_once, serve_feed, serve_stories, settled

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _cluster() -> str:
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]


def test_a_postgresql_restart_mid_run_is_survived(workers_factory, web):
    """The outage lasts the few seconds of a restart; other tests on this machine see it too.

    Opt-in (NEWSROOM_TEST_PG_RESTART=1): it restarts the machine's shared PostgreSQL under every
    other test run on it, and 1 run in 4 timed out waiting for the run to complete (cause not yet
    found: see the hardening issue's note), so it is not yet part of CI.
    """
    if os.environ.get("NEWSROOM_TEST_PG_RESTART") != "1":
        pytest.skip("opt-in: set NEWSROOM_TEST_PG_RESTART=1 to restart PostgreSQL mid-run")
    require(Path("/etc/postgresql").is_dir() and os.geteuid() == 0, "restarting PostgreSQL needs pg_ctlcluster as root")
    load_knowledge_base()
    numbers = range(100, 130)
    serve_stories(web, numbers, delay=0.2)
    feed = feed_upsert(url=serve_feed(web, "/feed/restart.xml", numbers))
    workers = workers_factory()
    workers.start()
    workers.start()
    workers.send("fetch_feed", feed.pk)
    wait_for(lambda: sum(web.hits(f"/story/{n}") for n in numbers) >= 5, timeout=60, what="the run to start", workers=workers)

    restarted = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", _cluster(), "main", "restart"], capture_output=True, text=True, timeout=60
    )
    assert restarted.returncode == 0, restarted.stderr
    connection.close()  # this process's connection died with the server
    deadline = time.monotonic() + 30
    while True:
        try:
            connection.ensure_connection()
            break
        except Exception:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)

    def finished() -> bool:
        try:
            return Article.objects.count() >= len(numbers) and settled()
        except Exception:
            connection.close()
            return False

    wait_for(finished, timeout=float(os.environ.get("HARDENING_RESTART_WAIT", 240)), what="the run to complete after the restart", workers=workers)
    assert_each_story_once(numbers, web)
