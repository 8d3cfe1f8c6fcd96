"""Lock stores: a conversation's turns one after another, and (through the
turn gate, runtime/turn_gate.py) all conversations' turns one at a time.

GatedInMemoryLockStore (endpoints.yml, one server) and GatedRedisLockStore
(deploy/cluster/endpoints.yml.template) take a slot of the turn gate once they
hold the conversation's lock, and give it back before they let the lock go:
the gate sits inside the conversation's lock, so a turn never holds a slot
while it waits for its conversation's earlier turn (which may be waiting for a
slot itself). Rasa takes the lock store's lock around every turn it handles
(Agent.handle_message, reminders, the HTTP API's trigger_intent and execute).

AtomicRedisLockStore: Redis lock store whose tickets are issued and returned atomically.

Rasa 3.6's RedisLockStore updates a conversation's ticket lock with a plain
GET, change, SET. When two Rasa servers receive messages of the same
conversation at the same moment, both read "no lock", both take ticket 0 and
both run the turn at once; the SQL tracker store then keeps one turn and
silently drops the other (tests/scale found this: two overlapping messages,
one per server). Here every change of a lock is a Redis transaction
(WATCH/MULTI/EXEC, retried on conflict), so tickets are unique and turns of
one conversation run one after another across all servers.

A waiting ticket is also kept alive while its server polls for it. In Rasa's
lock a ticket expires a fixed time after it was issued, waiting or not: when a
server died holding a conversation's lock, the next turn's ticket (issued a
moment later) expired about when the dead one did, and the turn failed with a
LockError instead of going ahead (tests/scale found this too).

endpoints (deploy/cluster/endpoints.yml.template):
    lock_store:
      type: stores.lock_store.GatedRedisLockStore
      url: <host>  port: <port>  db: <db>  password: ...  key_prefix: ...
"""
from __future__ import annotations

import asyncio
import json
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Callable, Optional, Text, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

from runtime import turn_gate

Result = TypeVar("Result")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs) -> None:
        # Rasa builds a lock store of a custom type with its endpoint configuration.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], Result],
                create: bool) -> Optional[Result]:
        """Applies `change` to the stored lock in one transaction; deletes the
        lock when nobody holds or waits for a ticket any more."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    if stored:
                        lock = TicketLock.from_dict(json.loads(stored))
                    elif create:
                        lock = TicketLock(conversation_id)
                    else:
                        pipe.unwatch()
                        return None
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another server changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock_lifetime, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, ticket_number: int, lock_lifetime: float,
                             wait_time_in_seconds: float) -> TicketLock:
        def renew(lock: TicketLock) -> Optional[TicketLock]:
            """Drops expired tickets and gives ours a full lifetime from now."""
            lock.remove_expired_tickets()
            ours = next((ticket for ticket in lock.tickets if ticket.number == ticket_number), None)
            if ours is None:
                return None
            ours.expires = max(ours.expires, time.time() + lock_lifetime)
            return lock

        while True:
            lock = self._change(conversation_id, renew, create=False)
            if lock is None:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            if not lock.is_locked(ticket_number):
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def update_lock(self, conversation_id: Text) -> None:
        # Rasa's version (GET, drop expired tickets, SET) could overwrite a
        # ticket another server issued in between; that turn then failed.
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets(), create=False)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: TicketLock) -> None:
            lock.remove_ticket_for(ticket_number)

        self._change(conversation_id, finish, create=False)


class TurnGateLock:
    """Mixed into a lock store: its lock also holds a turn gate slot, taken
    once the conversation's lock is held and given back before it is let go."""

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as ticket_lock:
            async with turn_gate.turn():
                yield ticket_lock


class GatedInMemoryLockStore(TurnGateLock, InMemoryLockStore):
    """Rasa's in-memory lock store (its default, for one server), gated."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        # Rasa builds a lock store of a custom type with its endpoint configuration.
        super().__init__()


class GatedRedisLockStore(TurnGateLock, AtomicRedisLockStore):
    """The atomic Redis lock store (several servers), gated."""
