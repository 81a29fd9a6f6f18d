"""The one network client: the SSRF guard on every hop, timeouts, size cap, redirects, conditional GET."""

import dataclasses
import gzip
import ipaddress

import pytest

from articles.ingest import ratelimit
from articles.ingest.fetch import (
    BlockedAddress,
    FetchPolicy,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
    UnsupportedScheme,
    address_refusal,
    default_policy,
    fetch,
)
from articles.ingest.items import url_ingest
from articles.models import Article, IngestItem, ItemStatus
from tests.conftest import REDIS_URL


@pytest.fixture
def guard_on(settings):
    """The production default: NEWSROOM_FETCH_ALLOW_PRIVATE unset."""
    settings.NEWSROOM_FETCH_ALLOW_PRIVATE = False
    return default_policy()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address to refuse, not one to bind
        ("240.0.0.1", "reserved"),
        ("fd12:3456::1", "IPv6 unique-local"),
        ("::ffff:127.0.0.1", "IPv4-mapped IPv6"),
        ("::ffff:8.8.8.8", "IPv4-mapped IPv6"),
        ("192.0.2.1", "private"),  # documentation range, never a real host
        ("93.184.215.14", ""),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""),
    ],
)
def test_address_refusal(address, reason):
    assert address_refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:9/", "loopback"),
        ("http://[::ffff:127.0.0.1]:9/", "IPv4-mapped"),
        ("http://10.0.0.5/admin", "private"),
        ("http://100.64.1.1/", "carrier-grade NAT"),
    ],
)
def test_private_literal_addresses_are_refused_before_connecting(guard_on, url, reason):
    with pytest.raises(BlockedAddress, match=reason):
        fetch(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://0.0.0.0:9/", "an unspecified address"),
        ("http://[::ffff:127.0.0.1]:9/", "an IPv4-mapped IPv6 address"),
        ("http://[fd12:3456::1]:9/", "an IPv6 unique-local address"),
        ("http://10.0.0.5/", "a private address"),
        ("http://100.64.1.1/", "a carrier-grade NAT address"),
    ],
)
def test_refusal_reasons_read_as_english(guard_on, url, reason):
    with pytest.raises(BlockedAddress) as refused:
        fetch(url)
    assert str(refused.value).endswith(f": {reason}")


def test_the_local_server_is_refused_by_address_and_by_name(web, guard_on):
    web.add("/page", "<p>hello</p>")
    with pytest.raises(BlockedAddress, match=r"refused to fetch from 127\.0\.0\.1: a loopback address"):
        fetch(web.url("/page"))
    with pytest.raises(BlockedAddress, match=r"localhost \((127\.0\.0\.1|::1)\)"):
        fetch(f"http://localhost:{web.server.server_address[1]}/page")  # resolved, then checked
    assert web.requests == []


def test_refusal_is_a_clear_recorded_error_for_a_submitted_url(db, web, guard_on):
    web.add("/page", "<p>hello</p>")
    outcome = url_ingest(url=web.url("/page"))
    assert "loopback address" in outcome.error
    item = IngestItem.objects.get()
    assert item.status == ItemStatus.FAILED and "loopback" in item.error
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://127.0.0.2:{port}/secret", "loopback"),
        ("http://[::1]:{port}/secret", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "IPv4-mapped"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_on_that_hop(web, guarded_policy, target, reason):
    """The test server plays a public site (its one address is allowed); where it redirects is not."""
    port = web.server.server_address[1]
    web.add("/public", b"", status=302, headers={"Location": target.format(port=port)})
    web.add("/secret", "<p>internal</p>")
    with pytest.raises(BlockedAddress, match=reason):
        fetch(web.url("/public"), policy=guarded_policy)
    assert web.hits("/secret") == 0


def test_an_allowed_redirect_is_followed_and_reported(web, guarded_policy):
    web.add("/old", b"", status=301, headers={"Location": "/new"})
    web.add("/new", "<p>moved here</p>")
    result = fetch(web.url("/old"), policy=guarded_policy)
    assert result.url == web.url("/new")
    assert result.redirects == [web.url("/new")]
    assert result.body == b"<p>moved here</p>"


def test_redirects_are_capped(web, fast_policy):
    web.add("/loop", b"", status=302, headers={"Location": "/loop"})
    with pytest.raises(TooManyRedirects):
        fetch(web.url("/loop"), policy=dataclasses.replace(fast_policy, max_redirects=3))
    assert web.hits("/loop") == 4


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "/relative"])
def test_only_http_and_https(url):
    with pytest.raises(UnsupportedScheme):
        fetch(url, policy=FetchPolicy(allow_private=True))


def test_a_declared_size_over_the_cap_is_refused_unread(web, fast_policy):
    web.add("/big", b"x" * 300_000)
    with pytest.raises(TooLarge, match="300000 bytes"):
        fetch(web.url("/big"), policy=fast_policy)


def test_an_undeclared_size_over_the_cap_stops_while_streaming(web, fast_policy):
    web.add("/chunked", b"y" * 300_000, drip=0.0001)  # chunked: no Content-Length
    with pytest.raises(TooLarge, match="over the 200000 byte cap"):
        fetch(web.url("/chunked"), policy=fast_policy)


def test_a_compression_bomb_stops_at_the_cap(web, fast_policy):
    web.add("/bomb", gzip.compress(b"z" * 10_000_000), headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch(web.url("/bomb"), policy=fast_policy)


def test_gzip_is_decoded(web, fast_policy):
    web.add("/gz", gzip.compress(b"<p>compressed</p>"), headers={"Content-Encoding": "gzip"})
    assert fetch(web.url("/gz"), policy=fast_policy).body == b"<p>compressed</p>"


def test_a_slow_answer_times_out(web, fast_policy):
    web.add("/slow", "<p>late</p>", delay=3)
    with pytest.raises(FetchTimeout) as caught:
        fetch(web.url("/slow"), policy=fast_policy)
    assert caught.value.transient


def test_a_dripping_body_hits_the_deadline(web, fast_policy):
    web.add("/drip", b"d" * 6400, drip=0.2)  # 100 chunks, 20 s in all; each read is quick
    with pytest.raises(FetchTimeout, match="not received within 3 s"):
        fetch(web.url("/drip"), policy=fast_policy)


@pytest.mark.parametrize(("status", "transient"), [(404, False), (410, False), (403, False), (429, True), (503, True)])
def test_http_errors_say_whether_to_try_again(web, fast_policy, status, transient):
    web.add("/err", "no", status=status)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(web.url("/err"), policy=fast_policy)
    assert caught.value.status == status and caught.value.transient is transient


def test_conditional_get_and_user_agent(web, fast_policy):
    web.add("/feed", "<rss/>", content_type="application/rss+xml", etag='"v1"', last_modified="Tue, 01 Sep 2020 10:00:00 GMT")
    first = fetch(web.url("/feed"), policy=fast_policy)
    assert first.status == 200 and first.etag == '"v1"' and first.content_type == "application/rss+xml"

    second = fetch(web.url("/feed"), policy=fast_policy, etag=first.etag, last_modified=first.last_modified)

    assert second.not_modified and second.body == b""
    headers = web.requests[-1][1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Tue, 01 Sep 2020 10:00:00 GMT"
    assert headers["user-agent"].startswith("Newsroom/")


def test_per_host_rate_limit_queues_callers_in_process(settings):
    settings.NEWSROOM_RATE_LIMIT_REDIS_URL = ""
    ratelimit._redis_script.cache_clear()
    host = "rate-limit-test.example"
    waits = [ratelimit.reserve(host, 5.0) for _ in range(3)]
    assert waits[0] == 0
    assert 4.5 < waits[1] <= 5.0 and 9.5 < waits[2] <= 10.0  # each caller gets the next free slot
    assert ratelimit.reserve("other-host.example", 5.0) == 0


def test_per_host_rate_limit_is_shared_through_redis(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    settings.NEWSROOM_RATE_LIMIT_REDIS_URL = REDIS_URL
    ratelimit._redis_script.cache_clear()
    host = f"shared-{id(settings)}.example"
    try:
        assert ratelimit.reserve(host, 30.0) == 0
        assert 29 < ratelimit.reserve(host, 30.0) <= 30
    finally:
        redis.Redis.from_url(REDIS_URL).delete(f"newsroom:ratelimit:{host}")
        ratelimit._redis_script.cache_clear()


def test_a_host_that_is_rate_limited_too_long_is_a_transient_error(web, fast_policy, settings):
    settings.NEWSROOM_RATE_LIMIT_REDIS_URL = ""
    ratelimit._redis_script.cache_clear()
    policy = dataclasses.replace(fast_policy, host_interval=60, max_rate_wait=1)
    web.add("/a", "<p>a</p>")
    fetch(web.url("/a"), policy=policy)
    with pytest.raises(Exception, match="rate limited") as caught:
        fetch(web.url("/a"), policy=policy)
    assert caught.value.transient
