"""Rasa's SQL tracker store with the same queries and rows, issued directly.

endpoints.yml (and deploy/cluster/endpoints.yml.template):
    tracker_store:
      type: stores.tracker_store.FastSQLTrackerStore
      url: ${DATABASE_URL}     # a full SQLAlchemy URL, as for Rasa's `type: SQL`

* Rasa's store went through SQLAlchemy's ORM for every read and write: a turn
  ran eight or nine statements, one INSERT per new event, each built into ORM
  objects (about 25% of a turn under cProfile). Here the same statements are
  built once and issued through SQLAlchemy Core: the events of a turn go in
  with one executemany INSERT, in their order, and a read fetches only the
  event column it uses. Same queries, same rows in the same order, on SQLite
  and PostgreSQL (tests/core/test_rasa_speedups.py compares them).
* On SQLite (the embedded default, DATABASE_URL=sqlite:///...) Rasa opened a
  new connection for every read and write (SQLAlchemy 1.4 uses no pool for
  SQLite files) and waited for a full fsync of the rollback journal on every
  commit. Connections are pooled here, and the database runs in WAL mode with
  synchronous=NORMAL: a commit is atomic and survives a crash of the process;
  a power loss may drop the last commits but never corrupts the file. WAL also
  lets the console read while Rasa writes. PostgreSQL is left as Rasa sets it up.
"""
from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from typing import Any, Dict, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# The methods replaced here, as Rasa wrote them (the equivalence tests run both).
RASAS_METHODS = {name: getattr(SQLTrackerStore, name) for name in ("_additional_events", "save", "_retrieve")}


def _sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@functools.lru_cache(maxsize=None)
def _event_statements(events: sa.Table) -> Dict[Text, Any]:
    """Rasa's `_event_query` in Core, built once: a conversation's events after its
    latest session start (all of them if it has none), or all of its events."""
    sender_id = sa.bindparam("sender_id")
    session_start = (sa.select(sa.func.max(events.c.timestamp))
                     .where(events.c.sender_id == sender_id,
                            events.c.type_name == SessionStarted.type_name)
                     .scalar_subquery())
    latest_session = sa.and_(events.c.sender_id == sender_id,
                             sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
    return {
        "count_latest_session": sa.select(sa.func.count()).select_from(events).where(latest_session),
        "latest_session": sa.select(events.c.data).where(latest_session).order_by(events.c.id),
        "all_sessions": sa.select(events.c.data).where(events.c.sender_id == sender_id)
                          .order_by(events.c.id),
    }


def _event_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


class FastSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore (same tables, rows and trackers), faster per turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects and creates the tables
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=5, max_overflow=10,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator[Event]:
        count = _event_statements(self.SQLEvent.__table__)["count_latest_session"]
        stored = session.execute(count, {"sender_id": tracker.sender_id}).scalar()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_event_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        query = _event_statements(self.SQLEvent.__table__)[
            "all_sessions" if fetch_events_from_all_sessions else "latest_session"]
        with self.session_scope() as session:
            rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
        if self.domain and rows:
            return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
        return None
