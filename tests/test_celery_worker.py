"""A real Celery worker process on Redis runs the ingest task against the test database."""

from __future__ import annotations

import pytest

from articles.knowledge_base import load_knowledge_base
from articles.models import Article


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_ingests_seed_article(worker_queue, celery_client, seed_path, tmp_path):
    load_knowledge_base()
    result = celery_client.send_task("articles.ingest.tasks.path_ingest", args=[str(seed_path)], queue=worker_queue)
    try:
        report = result.get(timeout=180)
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise
    assert report["counts"]["created"] == 1, report
    article = Article.objects.get()
    assert article.source.name == "PNI"
    assert article.person_links.filter(person__slug="zalmay-khalilzad").exists()

    again = celery_client.send_task("articles.ingest.tasks.path_ingest", args=[str(seed_path)], queue=worker_queue)
    assert again.get(timeout=180)["counts"]["unchanged"] == 1
    assert Article.objects.count() == 1
