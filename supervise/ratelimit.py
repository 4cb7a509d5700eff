"""Rate limits kept in Redis, so that every web process counts the same callers (the sign-in throttle's kind)."""

from __future__ import annotations

import time

from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from supervise.config import current
from supervise.queue import redis_connection


def limiter(purpose: str) -> MovingWindowRateLimiter:
    """A moving-window limiter for one purpose of this installation, on this process's Redis connection."""
    settings = current()
    storage = RedisStorage(
        "redis://",
        connection_pool=redis_connection(settings).connection_pool,
        key_prefix=f"supervise-{purpose}:{settings.queue_name}",
    )
    return MovingWindowRateLimiter(storage)


def take(purpose: str, limit: str, key: str) -> int | None:
    """Count one use by `key`; return the seconds to wait when the limit is already spent (None: go ahead)."""
    item: RateLimitItem = parse(limit)
    lim = limiter(purpose)
    if lim.hit(item, key):
        return None
    return max(1, int(lim.get_window_stats(item, key).reset_time - time.time()))
