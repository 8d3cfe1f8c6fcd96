"""Short-lived shared state of the messaging connectors.

- which platform message ids were already handled (re-delivered webhooks), and
- which numbered options an SMS conversation was last offered.

In-process by default; with REDIS_URL set, in Redis so that every Rasa server
behind the load balancer sees the same state (SET NX EX makes the claim atomic).
"""
import json
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Dict, Optional, Tuple

logger = logging.getLogger(__name__)

DEFAULT_KEY_PREFIX = "rasa-channels:"
DEFAULT_DELIVERY_TTL_SECONDS = 48 * 3600  # platforms retry for hours at most
CHOICES_TTL_SECONDS = 24 * 3600


class MemoryStore:
    """TTL key-value store for one process; oldest keys go first when full."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._items: "OrderedDict[str, Tuple[float, str]]" = OrderedDict()
        self._max_keys = max_keys

    def _live(self, key: str) -> Optional[str]:
        item = self._items.get(key)
        if item is None:
            return None
        expires_at, value = item
        if expires_at <= time.monotonic():
            del self._items[key]
            return None
        return value

    async def add(self, key: str, value: str, ttl: int) -> bool:
        if self._live(key) is not None:
            return False
        await self.put(key, value, ttl)
        return True

    async def put(self, key: str, value: str, ttl: int) -> None:
        self._items.pop(key, None)
        self._items[key] = (time.monotonic() + ttl, value)
        while len(self._items) > self._max_keys:
            self._items.popitem(last=False)

    async def get(self, key: str) -> Optional[str]:
        return self._live(key)

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis.asyncio

        self._redis = redis.asyncio.from_url(url, decode_responses=True)

    async def add(self, key: str, value: str, ttl: int) -> bool:
        return bool(await self._redis.set(key, value, nx=True, ex=ttl))

    async def put(self, key: str, value: str, ttl: int) -> None:
        await self._redis.set(key, value, ex=ttl)

    async def get(self, key: str) -> Optional[str]:
        return await self._redis.get(key)

    async def delete(self, key: str) -> None:
        await self._redis.delete(key)


_stores: Dict[str, Any] = {}


def shared_store() -> Any:
    """One store per process (per REDIS_URL), created inside the server's loop."""
    url = os.environ.get("REDIS_URL", "").strip()
    if url not in _stores:
        _stores[url] = RedisStore(url) if url else MemoryStore()
    return _stores[url]


def key_prefix() -> str:
    """CHANNELS_KEY_PREFIX separates deployments (or test runs) sharing one Redis."""
    return os.environ.get("CHANNELS_KEY_PREFIX") or DEFAULT_KEY_PREFIX


def delivery_ttl() -> int:
    raw = os.environ.get("CHANNELS_DEDUPE_TTL_SECONDS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_DELIVERY_TTL_SECONDS


async def claim_delivery(key: str) -> bool:
    """True the first time a platform message id is seen within the TTL.

    If the store is unreachable the message is handled anyway: answering a
    re-delivery twice is better than not answering someone in crisis.
    """
    try:
        return await shared_store().add(key_prefix() + "seen:" + key, "1", delivery_ttl())
    except Exception as error:  # noqa: BLE001 - any store failure fails open
        logger.error("Delivery ledger unavailable (%s); handling message anyway.", type(error).__name__)
        return True


async def release_delivery(key: str) -> None:
    """Lets the platform's next retry through after we failed to handle it."""
    try:
        await shared_store().delete(key_prefix() + "seen:" + key)
    except Exception as error:  # noqa: BLE001
        logger.error("Delivery ledger unavailable (%s).", type(error).__name__)


async def remember_choices(conversation_id: str, payloads: list) -> None:
    key = key_prefix() + "choices:" + conversation_id
    try:
        if payloads:
            await shared_store().put(key, json.dumps(payloads), CHOICES_TTL_SECONDS)
        else:
            await shared_store().delete(key)
    except Exception as error:  # noqa: BLE001
        logger.error("Choice store unavailable (%s).", type(error).__name__)


async def offered_choices(conversation_id: str) -> list:
    try:
        raw = await shared_store().get(key_prefix() + "choices:" + conversation_id)
    except Exception as error:  # noqa: BLE001
        logger.error("Choice store unavailable (%s).", type(error).__name__)
        return []
    return json.loads(raw) if raw else []
