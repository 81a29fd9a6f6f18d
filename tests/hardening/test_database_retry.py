"""A database error in a worker's task is retried with a backoff and a budget of its own, never a failure.

The end-to-end proof is test_postgres_restart.py; this is the policy, on one task, with the
database error raised by the step the task calls and Celery's retry (a message to the broker) recorded.
"""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from articles.ingest import items
from articles.retry import DATABASE_BACKOFF_MAX, DATABASE_RETRIES, DatabaseOutageRetryTask, database_retry_delay
from newsroom.celery import app


def test_every_task_of_the_app_waits_out_a_database_outage():
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if name.startswith("articles.")]
    assert len(ours) >= 8
    for task in ours:
        assert isinstance(task, DatabaseOutageRetryTask), task.name
        assert OperationalError in task.dont_autoretry_for, f"{task.name}'s quick network retries would take database errors"


def test_the_backoff_doubles_to_a_ceiling_and_is_never_near_zero():
    for retries in range(DATABASE_RETRIES):
        ceiling = min(2**retries, DATABASE_BACKOFF_MAX)
        assert ceiling / 2 <= database_retry_delay(retries) <= ceiling
    assert sum(min(2**n, DATABASE_BACKOFF_MAX) / 2 for n in range(DATABASE_RETRIES)) >= 180, "the budget outlasts a restart"


def _task(name: str):
    """The task as the app registered it (the module's proxy follows Celery's current app, which a test's client app may be)."""
    return app.tasks[f"articles.ingest.tasks.{name}"]


def _run_as_worker(task, *args, retries: int):
    """Run the task as a worker would (a request that is not eager), with Celery's retry recorded."""
    task.push_request(id="database-retry-test", retries=retries, is_eager=False, called_directly=False)
    try:
        return task(*args)
    finally:
        task.pop_request()


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   InterfaceError("connection already closed")])
def test_a_database_error_past_the_network_retry_budget_is_still_retried(monkeypatch, error):
    def database_gone(**_kwargs):
        raise error

    asked: list[dict] = []

    def retry(**kwargs):
        asked.append(kwargs)
        return Retry("retry requested")

    items_fetch = _task("items_fetch")
    monkeypatch.setattr(items, "items_fetch", database_gone)
    monkeypatch.setattr(items_fetch, "retry", retry)
    beyond_network_budget = items_fetch.max_retries + 2

    with pytest.raises(Retry):
        _run_as_worker(items_fetch, [1], retries=beyond_network_budget)

    (kwargs,) = asked
    assert kwargs["exc"] is error
    assert kwargs["max_retries"] == DATABASE_RETRIES
    assert DATABASE_BACKOFF_MAX / 2 <= kwargs["countdown"] <= DATABASE_BACKOFF_MAX


def test_in_process_a_database_error_is_raised_not_retried_inline(monkeypatch):
    """Eager runs (the web's in-process ingest, tests) have no worker to come back: retrying inline would spin."""
    def database_gone(**_kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(items, "items_process", database_gone)
    items_process = _task("items_process")
    monkeypatch.setattr(items_process, "retry", lambda **_: pytest.fail("retried in-process"))
    with pytest.raises(OperationalError):
        items_process.delay([1])
