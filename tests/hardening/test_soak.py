"""The soak's short form: about a minute of browsing and ingestion at once (bench/soak.py is the long form)."""

from __future__ import annotations

import json
import os

import pytest
from django.db import connection

from articles.knowledge_base import load_knowledge_base
from bench.soak import soak
from tests.conftest import require

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_minute_of_browsing_and_ingestion_loses_nothing_and_serves_no_error(capsys):
    require(connection.vendor == "postgresql", "the soak's threads share a database: set DATABASE_URL")
    load_knowledge_base()

    figures = soak(float(os.environ.get("NEWSROOM_SOAK_SECONDS", 60)), browsers=3)

    with capsys.disabled():
        print("\nsoak (short form):", json.dumps(figures))
    assert figures["requests"] > 100 and figures["stories_published"] > 30
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["lost"] == 0 and figures["ingest_failures"] == []
    assert set(figures["statuses"]) <= {"200", "429"}, figures["statuses"]
    assert figures["rss_growth_after_warmup_mb"] < 60, figures  # bounded: a leak of every request would exceed it
