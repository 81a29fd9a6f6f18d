"""The OpenAPI description validates and covers every endpoint; the docs page runs under the CSP."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

KINDS = ("people", "organizations", "places", "topics", "events", "sources")
OPERATIONS = (
    {("get", "/api/articles/"), ("get", "/api/articles/{id}/"), ("post", "/api/articles/{id}/tags/"),
     ("get", "/api/articles/{id}/versions/")}
    | {("get", f"/api/{kind}/") for kind in KINDS}
    | {("get", f"/api/{kind}/{{identifier}}/") for kind in KINDS}
)


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema


def test_schema_has_every_operation_with_its_errors(schema):
    found = {(method, path) for path, operations in schema["paths"].items() for method in operations}
    assert found >= OPERATIONS
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "429"} <= set(operation["responses"]), (method, path)
            if method == "post":
                assert {"401", "403"} <= set(operation["responses"])
                assert {} not in operation["security"]
            else:
                assert {} in operation["security"], "anyone may read"


def test_article_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {
        "person", "organization", "place", "topic", "source", "event", "date_after", "date_before", "q",
        "relevant", "cursor", "page_size",
    } <= names
    events = {p["name"] for p in schema["paths"]["/api/events/"]["get"]["parameters"]}
    assert {"person", "organization", "place", "kind", "date_after", "date_before"} <= events


def test_schema_as_json_too(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "Newsroom API"


def test_docs_page_loads_only_same_origin_files_and_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), f"{url} is not on this site"
    script = client.get("/api/docs/", {"script": ""})
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_schema_generates_without_a_warning(tmp_path):
    """A filter or serializer drf-spectacular cannot describe would show as a warning: fail on it."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["paths"]
