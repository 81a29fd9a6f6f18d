"""docker compose cannot run here, so the file's structure is checked instead."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def load_compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_services_and_shared_image():
    services = load_compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    app_services = ["migrate", "web", "worker", "beat"]
    assert {services[name]["image"] for name in app_services} == {"newsroom:latest"}
    assert all(services[name]["build"] == "." for name in app_services)
    assert (REPO / "Dockerfile").exists()


def test_health_checks_and_start_order():
    services = load_compose()["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_app_configuration_comes_from_environment():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "newsroom", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "newsroom", "beat"]


def test_worker_scales_by_construction():
    """`--scale worker=N` fails on a fixed container_name or a published port."""
    worker = load_compose()["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker
