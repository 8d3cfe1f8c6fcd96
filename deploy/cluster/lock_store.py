"""Redis lock store whose tickets are issued and returned atomically.

Rasa 3.6's RedisLockStore updates a conversation's ticket lock with a plain
GET, change, SET. When two Rasa servers receive messages of the same
conversation at the same moment, both read "no lock", both take ticket 0 and
both run the turn at once; the SQL tracker store then keeps one turn and
silently drops the other (tests/scale found this: two overlapping messages,
one per server). Here every change of a lock is a Redis transaction
(WATCH/MULTI/EXEC, retried on conflict), so tickets are unique and turns of
one conversation run one after another across all servers.

endpoints (deploy/cluster/endpoints.yml.template):
    lock_store:
      type: deploy.cluster.lock_store.AtomicRedisLockStore
      url: <host>  port: <port>  db: <db>  password: ...  key_prefix: ...
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Text, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

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

    def update_lock(self, conversation_id: Text) -> None:
        # Rasa's version (GET, drop expired tickets, SET) could overwrite a
        # ticket another server issued in between; that turn then failed.
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets(), create=False)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: TicketLock) -> None:
            lock.remove_ticket_for(ticket_number)

        self._change(conversation_id, finish, create=False)
