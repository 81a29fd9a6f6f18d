"""Shared fixtures: the knowledge base loaded once, the seed article, an editor and a reader."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.knowledge_base import load_knowledge_base
from articles.models import Article
from newsroom.celery import app as celery_app

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("NEWSROOM_SEEDS_DIR", REPO.parent / "shared" / "seeds"))
SEED_TEXT = SEEDS / "000_589b11b7a67e217d.txt"
SEED_GOLD = SEEDS / "000_589b11b7a67e217d.gold.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reviewed knowledge base once into the test database."""
    with django_db_blocker.unblock():
        load_knowledge_base()


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
