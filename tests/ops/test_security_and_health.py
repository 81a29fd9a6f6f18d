"""Operations and the web side of hardening: health check, production settings, admin lockout."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_freshness(client, seed_article):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["database"]["ok"] and body["broker"]["ok"]
    assert body["newest_article"]["age_seconds"] >= 0


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert "error" in response.json()["broker"]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what production would have: no test-only switches such as DJANGO_ALLOW_ASYNC_UNSAFE.
    leave_out = {"DEBUG", "SECRET_KEY", "NEWSROOM_PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=120
    )


def test_deploy_checks_are_clean_in_production():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        NEWSROOM_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="newsroom.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSROOM_PRODUCTION": "1"}, "SECRET_KEY"),
        ({"NEWSROOM_PRODUCTION": "1", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"NEWSROOM_PRODUCTION": "1", "SECRET_KEY": "k" * 50, "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_admin_login_is_rate_limited(client, editor):
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post(url, {"username": "editor", "password": "wrong"}).status_code == 429  # the fifth
    locked = client.post(url, {"username": "editor", "password": "editor-password"})
    assert locked.status_code == 429
    other = client.post(url, {"username": "someone-else", "password": "wrong"})
    assert other.status_code == 200


def test_forms_carry_csrf_tokens(client):
    response = client.get(reverse("admin:login"))
    assert "csrfmiddlewaretoken" in response.content.decode()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    rejected = csrf_client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert rejected.status_code == 403


def test_no_secret_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    # Spelled in pieces so that this file does not match itself.
    suspicious = tuple("".join(parts) for parts in (
        ("BEGIN RSA ", "PRIVATE KEY"), ("BEGIN OPENSSH ", "PRIVATE KEY"), ("sk", "_live_"), ("xo", "xb-"),
    ))
    for name in tracked:
        path = REPO / name
        if path.suffix in {".png", ".jpg", ".gz"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for marker in suspicious:
            assert marker not in text, f"{name} contains {marker!r}"
