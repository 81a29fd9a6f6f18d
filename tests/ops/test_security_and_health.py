"""Operations and the web side of hardening: health check, production settings, admin lockout."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks.security.base import check_secret_key
from django.test import override_settings
from django.urls import reverse

from newsroom.settings import secret_key_is_strong

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
        # 45 random characters: what the start-up check let through while `check --deploy` warned.
        ({"NEWSROOM_PRODUCTION": "1", "SECRET_KEY": secrets.token_hex(23)[:45]}, "SECRET_KEY"),
        ({"NEWSROOM_PRODUCTION": "1", "SECRET_KEY": "k" * 50, "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


RANDOM_50 = secrets.token_urlsafe(50)[:50]


@pytest.mark.parametrize(
    "key",
    [
        RANDOM_50,
        RANDOM_50[:49],  # one short
        RANDOM_50[:40],
        "abcd" * 13,  # long enough, 4 different characters
        "abcde" * 10,  # 5 different: enough
        "django-insecure-" + RANDOM_50,  # what startproject writes
        "Django-insecure-" + RANDOM_50,
        "",
    ],
)
def test_the_start_up_check_agrees_with_check_deploy(settings, key):
    settings.SECRET_KEY = key
    warned = any(warning.id == "security.W009" for warning in check_secret_key(None))
    assert secret_key_is_strong(key) is not warned


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
