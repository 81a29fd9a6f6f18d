"""A real Celery worker on Redis runs a topic re-tag job to the end, handing over between tasks."""

import datetime as dt
import time

import pytest

from articles.models import ArticleTopic, RetagJob, Topic
from articles.tagging import article_tag
from articles.tagging.retag import retag_job_request


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_topic_job_after_a_rules_change(worker_queue, celery_client, make_article, tmp_path):
    from articles.knowledge_base import load_knowledge_base

    load_knowledge_base()
    articles = [
        make_article(f"Envoys discussed the frozen reserves on Monday, round {n}.", published=dt.date(2022, 2, 14))
        for n in range(5)
    ]
    for article in articles:
        article_tag(article=article)
    topic = Topic.objects.get(slug="drug-trade")
    topic.rules = {"phrases": [{"phrase": "frozen reserves", "weight": 10}], "entities": []}
    topic.save()
    job = retag_job_request(kind="topic", topic=topic, reason="worker test")

    celery_client.send_task("articles.tagging.tasks.retag_job_run", args=[job.pk], queue=worker_queue)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            break
        time.sleep(0.5)
    else:
        print((tmp_path / "worker.log").read_text())
        pytest.fail(f"the job did not finish: {job}")
    assert job.status == RetagJob.Status.DONE and job.retagged == 5 and job.failures == 0
    assert ArticleTopic.objects.filter(topic=topic, article__in=articles).count() == 5
