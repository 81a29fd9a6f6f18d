"""Anonymous clients are throttled by address; a forged X-Forwarded-For does not reset the count."""

from __future__ import annotations

import pytest
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})


def test_anonymous_client_is_throttled_with_retry_after(api_client, low_rates):
    for _ in range(3):
        assert api_client.get("/api/topics/").status_code == 200
    response = api_client.get("/api/topics/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_forged_forwarded_for_does_not_escape_the_throttle(api_client, low_rates):
    for n in range(3):
        assert api_client.get("/api/topics/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    assert api_client.get("/api/topics/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_other_addresses_keep_their_own_count(api_client, low_rates):
    for _ in range(3):
        api_client.get("/api/topics/")
    assert api_client.get("/api/topics/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_logged_in_users_have_their_own_higher_rate(reader_client, low_rates):
    statuses = [reader_client.get("/api/topics/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
