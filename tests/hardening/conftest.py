"""Hardening tests reuse the ingest tests' local web on 127.0.0.1 and their fetch settings."""

from tests.ingest.conftest import LocalWeb, fetch_settings, web  # noqa: F401  (fixtures shared by import)

__all__ = ["LocalWeb"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright (needs /usr/bin/chromium)")
