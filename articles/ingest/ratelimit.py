"""A per-host rate limit shared by every worker: one request to a host per `interval` seconds.

Each caller reserves the next free slot for the host and is told how long to wait for it, so
callers queue fairly instead of polling. With Redis (the broker, or NEWSROOM_RATE_LIMIT_REDIS_URL)
the slots are shared across processes; without it (no broker, `--sync`) they are per process,
which is all there is then.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

import redis
from django.conf import settings

# Reserve the host's next slot: the later of now and the stored next slot; store slot + interval.
RESERVE_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local interval = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], slot + interval, 'PX', slot - now + interval + 1000)
return slot - now
"""

_local_lock = threading.Lock()
_local_next: dict[str, float] = {}


@lru_cache(maxsize=1)
def _redis_script():
    url = settings.NEWSROOM_RATE_LIMIT_REDIS_URL
    if not url:
        return None
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client.register_script(RESERVE_SCRIPT)


def reserve(host: str, interval: float) -> float:
    """Reserve the next request slot for `host`; return the seconds to wait before using it."""
    if interval <= 0:
        return 0.0
    script = _redis_script()
    if script is not None:
        try:
            waited_ms = script(keys=[f"newsroom:ratelimit:{host}"], args=[int(interval * 1000)])
            return int(waited_ms) / 1000
        except redis.RedisError:
            pass  # Redis away: the per-process limit below still holds
    with _local_lock:
        now = time.monotonic()
        slot = max(now, _local_next.get(host, 0.0))
        _local_next[host] = slot + interval
        return slot - now
