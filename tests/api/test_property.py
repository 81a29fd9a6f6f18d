"""Property-based run over the whole OpenAPI description (schemathesis, in-process through WSGI).

For every operation schemathesis generates parameters and bodies from the schema, valid and
not, and checks each response: no 500, a status code and content type the schema declares, a
body that matches the declared schema. The data are a few articles and the knowledge base, so that filters match something. Writes are tried anonymously (refused, as
documented) and by an editor (tag decisions only: an ingestion request would fetch the web).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Event
from tests.api.conftest import at

EXAMPLES = 60
# CI replays the same examples on every run, so a red build always means a change broke something;
# NEWSROOM_FUZZ_RANDOM=1 explores new inputs instead (then add what it finds as a regression test).
DERANDOMIZE = os.environ.get("NEWSROOM_FUZZ_RANDOM") != "1"
# A schema-valid request may still be refused with 400, rightly: a slug that names no entity, a
# start date after the end date, `period` together with dates. OpenAPI cannot say such rules,
# so "valid by the schema, answered 400" is not a failure here; every other check runs.
NOT_APPLICABLE = [positive_data_acceptance]


# Loaded when the module is collected (the schema needs no database). schemathesis' lazy
# `from_fixture` loader does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """What Django's test client does: a request's end must not close the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def data(db, monkeypatch, make_article):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})
    event = Event.objects.filter(participants__person__slug="zalmay-khalilzad").order_by("id").first()
    for day in range(1, 8):
        make_article(
            published_at=at(f"2020-02-{day:02d}") if day % 3 else None, people=["zalmay-khalilzad"],
            organizations=["taliban"], places=["doha"], topics=["doha-agreement"], events=[event.slug],
            quotes=True,
        )


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
def test_reads_conform_to_the_schema(case):
    case.call_and_validate(excluded_checks=NOT_APPLICABLE)


@pytest.mark.django_db
@schema.exclude(method="GET").parametrize()
@settings(max_examples=EXAMPLES // 3, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
def test_anonymous_writes_are_refused_as_documented(case):
    response = case.call_and_validate(excluded_checks=NOT_APPLICABLE)
    assert response.status_code in {400, 401, 404}


@pytest.mark.django_db
@schema.include(path_regex=r"/tags/$").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
def test_editor_tag_decisions_conform_to_the_schema(case, editor):
    token = Token.objects.get_or_create(user=editor)[0].key
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=NOT_APPLICABLE)
