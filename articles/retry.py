"""What a Celery task retries on, and how long it waits out a database that went away."""

from __future__ import annotations

import random

from celery import Task
from django.db import InterfaceError, OperationalError

DATABASE_ERRORS = (OperationalError, InterfaceError)
TRANSIENT_ERRORS = (*DATABASE_ERRORS, ConnectionError, TimeoutError)

# A restart or a failover takes seconds to a few minutes; these retries span four to eight.
DATABASE_RETRIES = 20
DATABASE_BACKOFF_MAX = 30


def database_retry_delay(retries: int) -> float:
    """Seconds before retry number `retries + 1`: doubling up to 30 s, each between half and all of that.

    Never near zero (unlike Celery's full jitter), so a burst of retries cannot all land inside a short outage.
    """
    ceiling = min(2**retries, DATABASE_BACKOFF_MAX)
    return ceiling * random.uniform(0.5, 1.0)


class DatabaseOutageRetryTask(Task):
    """The app's task class: a database error retries the task with a backoff and budget of its own.

    Tasks' own `autoretry_for` (network errors, with a few quick retries) leaves database errors
    alone (`dont_autoretry_for`), since a few retries within seconds end inside a restart, and a
    task that gives up leaves its item queued for ever. Connections are opened afresh for each
    attempt: Celery's Django fix-up closes them before and after every task.
    In-process (eager) runs raise instead: nobody would come back to the task.
    """

    dont_autoretry_for = DATABASE_ERRORS

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except DATABASE_ERRORS as exc:
            if self.request.is_eager or self.request.called_directly:
                raise
            raise self.retry(
                exc=exc, countdown=database_retry_delay(self.request.retries), max_retries=DATABASE_RETRIES
            ) from exc
