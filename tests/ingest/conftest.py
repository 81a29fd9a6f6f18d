"""A small web of our own on 127.0.0.1: feeds and pages (hostile ones among them) for the ingest tests."""

from __future__ import annotations

import ipaddress
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.ingest.fetch import FetchPolicy

PAGES = Path(__file__).parent / "pages"
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    drip: float = 0.0  # between chunks of the body, sent chunked
    etag: str = ""
    last_modified: str = ""


class LocalWeb:
    """Routes by path; every request is logged with its headers."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

            def log_message(self, *args):
                pass

            def do_GET(self):
                web.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = web.routes.get(self.path) or Route(body=b"not here", status=404)
                time.sleep(route.delay)
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.drip:
                    headers["Transfer-Encoding"] = "chunked"
                elif "Content-Length" not in headers:
                    headers["Content-Length"] = str(len(route.body))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if route.drip:
                        for start in range(0, len(route.body), 64):
                            chunk = route.body[start : start + 64]
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                            self.wfile.flush()
                            time.sleep(route.drip)
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", *, content_type: str = "text/html; charset=utf-8", **options) -> str:
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": content_type, **options.pop("headers", {})}
        self.routes[path] = Route(body=body, headers=headers, **options)
        return self.url(path)

    def add_file(self, path: str, name: str, *, content_type: str, **replacements: str) -> str:
        """Serve one of tests/ingest/pages, with {placeholders} filled in (such as the server's own address)."""
        text = (PAGES / name).read_text(encoding="utf-8").replace("{base}", self.base)
        for key, value in replacements.items():
            text = text.replace("{" + key + "}", value)
        return self.add(path, text, content_type=content_type)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@pytest.fixture
def web():
    server = LocalWeb()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def newsroom_web(web):
    """Three feeds (full text; links that 404; Atom with summaries) and two article pages."""
    web.add_file("/ledger/feed.xml", "ledger_fulltext.xml", content_type="application/rss+xml; charset=utf-8")
    web.add_file("/ledger/khalilzad-baradar-doha", "ledger_page_khalilzad.html", content_type="text/html; charset=utf-8")
    web.add_file("/ledger/teaser-only", "ledger_page_teaser.html", content_type="text/html; charset=utf-8")
    web.add_file("/post/feed.rdf", "post_links_404.rdf", content_type="application/rdf+xml")
    web.add_file("/wire/feed.atom", "wire.atom", content_type="application/atom+xml")
    web.add_file("/wire/intra-afghan-opening", "wire_page.html", content_type="text/html; charset=utf-8")
    web.add_file("/bulletin/wheat-convoy", "bulletin_page_1.html", content_type="text/html; charset=utf-8")
    web.add_file("/bulletin/stanikzai-doha", "bulletin_page_2.html", content_type="text/html; charset=utf-8")
    return web


@pytest.fixture(autouse=True)
def fetch_settings(settings):
    """Tests fetch from their own 127.0.0.1 server, with no pause between requests and no shared limiter."""
    settings.NEWSROOM_FETCH_ALLOW_PRIVATE = True
    settings.NEWSROOM_FETCH_HOST_INTERVAL = 0
    settings.NEWSROOM_RATE_LIMIT_REDIS_URL = ""
    return settings


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """Short timeouts and a small cap, so the hostile fixtures end in a second or two."""
    return FetchPolicy(
        connect_timeout=2, read_timeout=1, total_timeout=3, max_bytes=200_000, allow_private=True, host_interval=0
    )


@pytest.fixture
def guarded_policy() -> FetchPolicy:
    """The production guard, except for exactly the test server's address (playing a public site)."""
    return FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=5, allowed_networks=LOOPBACK, host_interval=0)
