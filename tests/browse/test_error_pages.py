"""Error pages that look like the site: what went wrong in words, a search box and the ways back,
with DEBUG off as in production (the 500 page renders without a request)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def _is_branded(html: str, code: str, title: str) -> None:
    assert f"Error {code}" in html and title in html
    assert 'class="site-nav"' in html and 'name="q"' in html  # navigation and a search box
    assert 'href="/articles/"' in html and 'href="/events/"' in html  # the ways back
    assert "css/site.css" in html


def test_an_unknown_address_gets_the_sites_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    _is_branded(response.content.decode(), "404", "Page not found")


def test_an_unknown_entity_gets_the_sites_404(client):
    response = client.get("/people/no-such-person/")
    assert response.status_code == 404
    _is_branded(response.content.decode(), "404", "Page not found")


@pytest.mark.parametrize(
    ("view", "code", "title"),
    [
        (lambda r: defaults.bad_request(r, SuspiciousOperation("bad")), "400", "Bad request"),
        (lambda r: defaults.permission_denied(r, PermissionDenied()), "403", "Not allowed"),
        (lambda r: defaults.server_error(r), "500", "Something went wrong"),
    ],
)
def test_400_403_and_500_are_branded_too(view, code, title):
    response = view(RequestFactory().get("/x/"))
    assert response.status_code == int(code)
    _is_branded(response.content.decode(), code, title)
