"""The Celery app, configured from Django settings (CELERY_ namespace) with task autodiscovery.

Every task is a DatabaseOutageRetryTask: a database error is retried for minutes, until the database is back.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom", task_cls="articles.retry:DatabaseOutageRetryTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
