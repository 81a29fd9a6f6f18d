"""The one network client: every request Newsroom makes to the outside world goes through `fetch`.

What it guarantees, whoever calls it:

1. Only http and https, at most `max_redirects` hops, each hop checked like the first.
2. The SSRF guard: the host is resolved and *every* address it resolves to must be public
   (no loopback, private, link-local, CGNAT, multicast, reserved, unspecified, IPv6
   unique-local or IPv4-mapped); the socket then connects to one of those vetted addresses and
   the peer address is checked again, so DNS cannot swap in a private address between the check
   and the connection. `NEWSROOM_FETCH_ALLOW_PRIVATE=1` lifts the guard (tests and local demos).
3. Connect and read timeouts, plus a deadline for the whole body, so a server that drips bytes
   cannot hold a worker.
4. A size cap on the decoded body, enforced while streaming (a lying Content-Length or a
   compression bomb stops at the cap).
5. A clear User-Agent, and a per-host rate limit (`articles.ingest.ratelimit`).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from . import ratelimit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.9, application/xhtml+xml;q=0.9, */*;q=0.5"
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


class FetchError(Exception):
    """A fetch that did not give a usable body; `transient` says whether trying later may help."""

    transient = False

    def __init__(self, message: str, *, url: str = ""):
        super().__init__(message)
        self.url = url


class BlockedAddress(FetchError):
    """The SSRF guard refused the host or one of its addresses."""


class UnsupportedScheme(FetchError):
    pass


class TooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class FetchTimeout(FetchError):
    transient = True


class ConnectionFailed(FetchError):
    transient = True


class RateLimited(FetchError):
    """The host's rate limit would make us wait too long; try again later."""

    transient = True


class HTTPStatusError(FetchError):
    def __init__(self, status: int, *, url: str = ""):
        super().__init__(f"HTTP {status}", url=url)
        self.status = status
        self.transient = status in TRANSIENT_STATUSES


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    # Exceptions to the guard, for one known address (a test server); empty in production.
    allowed_networks: tuple[IPNetwork, ...] = ()
    user_agent: str = "Newsroom/1.0 (news archive of the Afghanistan peace process)"
    host_interval: float = 1.0
    max_rate_wait: float = 10.0


def default_policy() -> FetchPolicy:
    return FetchPolicy(
        allow_private=settings.NEWSROOM_FETCH_ALLOW_PRIVATE,
        user_agent=settings.NEWSROOM_FETCH_USER_AGENT,
        host_interval=settings.NEWSROOM_FETCH_HOST_INTERVAL,
    )


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


def address_refusal(ip: IPAddress) -> str:
    """Why an address must not be fetched from ('' when it is a public one)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "IPv4-mapped IPv6"
        if ip in UNIQUE_LOCAL:
            return "IPv6 unique-local"
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_multicast, "multicast"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "carrier-grade NAT"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "non-public"),
    )
    return next((reason for refused, reason in checks if refused), "")


def check_address(ip: IPAddress, *, host: str, policy: FetchPolicy) -> None:
    if policy.allow_private or any(ip in network for network in policy.allowed_networks):
        return
    reason = address_refusal(ip)
    if reason:
        shown = host if host == str(ip) else f"{host} ({ip})"
        a_or_an = "an" if reason[0].lower() in "aeiou" else "a"  # "an unspecified", "an IPv4-mapped"
        raise BlockedAddress(f"refused to fetch from {shown}: {a_or_an} {reason} address")


def _parse_ip(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None


def check_url(url: str, policy: FetchPolicy) -> tuple[str, str]:
    """The scheme and host of a URL we may try; a literal IP address is checked here already."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise FetchError(f"invalid URL {url[:200]!r}: {exc}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsupportedScheme(f"only http and https URLs are fetched, not {scheme or 'a relative URL'!r}", url=url)
    if not host:
        raise FetchError(f"no host in URL {url[:200]!r}", url=url)
    literal = _parse_ip(host)
    if literal is not None:
        check_address(literal, host=host, policy=policy)
    return scheme, host


def guarded_connection(
    host: str, port: int, timeout: float | None, policy: FetchPolicy, source_address=None, socket_options=None
) -> socket.socket:
    """Resolve, refuse if any address is not public, connect to a vetted one, check the peer."""
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    for *_rest, sockaddr in infos:
        ip = _parse_ip(sockaddr[0])
        if ip is None:
            raise BlockedAddress(f"refused to fetch from {host}: unparseable address {sockaddr[0]!r}")
        check_address(ip, host=host, policy=policy)
    error: OSError | None = None
    for family, kind, proto, _canonname, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            peer = _parse_ip(sock.getpeername()[0])
            if peer is None:
                raise BlockedAddress(f"refused to fetch from {host}: unknown peer address")
            check_address(peer, host=host, policy=policy)
            return sock
        except BlockedAddress:
            sock.close()
            raise
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"no address for {host}")


class _GuardMixin:
    policy: FetchPolicy

    def _new_conn(self) -> socket.socket:
        try:
            return guarded_connection(
                self._dns_host, self.port, self.timeout, self.policy, self.source_address, self.socket_options
            )
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connecting to {self.host} timed out") from exc
        except BlockedAddress:
            raise
        except OSError as exc:
            raise NewConnectionError(self, f"failed to connect: {exc}") from exc


@lru_cache(maxsize=8)
def _pool_manager(policy: FetchPolicy) -> urllib3.PoolManager:
    """A connection pool whose sockets all pass the guard of `policy` (kept alive between fetches)."""
    http_conn = type("GuardedHTTPConnection", (_GuardMixin, HTTPConnection), {"policy": policy})
    https_conn = type("GuardedHTTPSConnection", (_GuardMixin, HTTPSConnection), {"policy": policy})
    manager = urllib3.PoolManager(num_pools=50, maxsize=4, block=False)
    manager.pool_classes_by_scheme = {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }
    return manager


def _wait_for_host(host: str, policy: FetchPolicy, url: str) -> None:
    wait = ratelimit.reserve(host, policy.host_interval)
    if wait > policy.max_rate_wait:
        raise RateLimited(f"{host} is rate limited for another {wait:.0f} s", url=url)
    if wait > 0:
        time.sleep(wait)


def _read_capped(response: urllib3.BaseHTTPResponse, policy: FetchPolicy, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise TooLarge(f"body of {int(declared)} bytes is over the {policy.max_bytes} byte cap", url=url)
    chunks, size = [], 0
    for chunk in response.stream(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > policy.max_bytes:
            raise TooLarge(f"body is over the {policy.max_bytes} byte cap", url=url)
        if time.monotonic() > deadline:
            raise FetchTimeout(f"body not received within {policy.total_timeout:g} s", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str, *, policy: FetchPolicy | None = None, etag: str = "", last_modified: str = ""
) -> FetchResult:
    """GET a URL under the policy; a 304 comes back as a result, anything else unusable raises FetchError."""
    policy = policy or default_policy()
    manager = _pool_manager(policy)
    deadline = time.monotonic() + policy.total_timeout
    headers = {"User-Agent": policy.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = urllib3.Timeout(connect=policy.connect_timeout, read=policy.read_timeout)
    current, redirects = url, []
    for _hop in range(policy.max_redirects + 1):
        _scheme, host = check_url(current, policy)
        _wait_for_host(host, policy, current)
        try:
            response = manager.request(
                "GET", current, headers=headers, redirect=False, retries=False, preload_content=False, timeout=timeout
            )
        except (ConnectTimeoutError, ReadTimeoutError, TimeoutError) as exc:
            raise FetchTimeout(f"{host} did not answer in time", url=current) from exc
        except (NameResolutionError, NewConnectionError, ProtocolError, ConnectionError) as exc:
            raise ConnectionFailed(f"could not connect to {host}: {_reason(exc)}", url=current) from exc
        except SSLError as exc:
            raise FetchError(f"TLS error with {host}: {_reason(exc)}", url=current) from exc
        except (LocationParseError, HTTPError) as exc:
            raise FetchError(f"request to {host} failed: {_reason(exc)}", url=current) from exc
        consumed = False
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("location"):
                current = urljoin(current, response.headers["location"].strip())
                redirects.append(current)
                continue
            result_headers = {name.lower(): value for name, value in response.headers.items()}
            if response.status == 304:
                return FetchResult(url=current, status=304, headers=result_headers, redirects=redirects)
            if response.status >= 400 or response.status < 200:
                raise HTTPStatusError(response.status, url=current)
            try:
                body = _read_capped(response, policy, deadline, current)
            except (ReadTimeoutError, TimeoutError) as exc:
                raise FetchTimeout(f"{host} stopped sending", url=current) from exc
            except (ProtocolError, DecodeError, HTTPError) as exc:
                raise ConnectionFailed(f"broken response from {host}: {_reason(exc)}", url=current) from exc
            consumed = True
            return FetchResult(
                url=current, status=response.status, headers=result_headers, body=body, redirects=redirects
            )
        finally:
            if not consumed:  # never hand a half-read socket back to the pool
                response.close()
            response.release_conn()
    raise TooManyRedirects(f"more than {policy.max_redirects} redirects", url=url)


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", None) or exc)
    return text[:300]
