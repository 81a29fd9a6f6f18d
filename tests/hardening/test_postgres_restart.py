"""A PostgreSQL restart in the middle of a run is survived and the run completes.

The workers and this test's own checks run on a cluster of the test's own (the `private_postgres`
fixture), which is stopped hard (`pg_ctl stop -m immediate`: connections cut, crash recovery on
start) while pages are being fetched, kept down a few seconds, and started again.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection

from articles.ingest.polling import feed_upsert
from articles.knowledge_base import load_knowledge_base
from articles.models import Article, IngestItem, ItemStatus

from .conftest import wait_for
from .test_crashes import assert_each_story_once, serve_feed, serve_stories, settled

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 3


def _reconnect(timeout: float = 30) -> None:
    """This process's connection died with the server: open a new one once it answers."""
    deadline = time.monotonic() + timeout
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_postgresql_restart_mid_run_is_survived(private_postgres, workers_factory, web):
    load_knowledge_base()
    numbers = range(100, 130)
    serve_stories(web, numbers, delay=0.2)
    feed = feed_upsert(url=serve_feed(web, "/feed/restart.xml", numbers))
    workers = workers_factory()
    workers.start()
    workers.start()
    workers.send("feed_fetch", feed.pk)
    wait_for(lambda: sum(web.hits(f"/story/{n}") for n in numbers) >= 5, timeout=60, what="the run to start", workers=workers)

    private_postgres.stop("immediate")
    time.sleep(OUTAGE_SECONDS)  # the outage: every task that touches the database now fails
    private_postgres.start()
    _reconnect()

    def finished() -> bool:
        try:
            return Article.objects.count() >= len(numbers) and settled()
        except Exception:
            connection.close()
            return False

    def items() -> str:
        rows = IngestItem.objects.exclude(status=ItemStatus.DONE).values_list("url", "status", "attempts", "error", "page_note")
        return "\n".join(map(str, rows))

    try:
        wait_for(finished, timeout=float(os.environ.get("HARDENING_RESTART_WAIT", 240)),
                 what="the run to complete after the restart", workers=workers)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nitems not done:\n{items()}") from None
    assert_each_story_once(numbers, web)
    assert "OperationalError" in workers.logs() or "InterfaceError" in workers.logs(), "the outage reached no task"
