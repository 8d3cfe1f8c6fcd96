"""Removes repeated work from Rasa 3.6's per-turn path, without changing behaviour.

Imported by channels/web.py, so it is active in every `rasa run` of this
assistant. Found with py-spy under `make bench` (bench/README.md).

* RemoteAction validates every action server reply with `jsonschema.validate`,
  which first re-validates Rasa's (large, constant) events schema against the
  JSON Schema meta-schema: about 40% of the server's CPU under load, spent on
  each new conversation (our session start is a custom action). The schema is
  checked once here and the compiled validator reused; replies are validated
  exactly as before and an invalid reply raises the same ValidationError.
* The SQL tracker store on SQLite (the embedded default, DATABASE_URL=sqlite:///...)
  opened a new connection for every read and write (SQLAlchemy 1.4 uses no pool
  for SQLite files) and waited for a full fsync of the rollback journal on every
  commit. Connections are pooled here, and the database runs in WAL mode with
  synchronous=NORMAL: a commit is atomic and survives a crash of the process;
  a power loss may drop the last commits but never corrupts the file. WAL also
  lets the console read while Rasa writes. PostgreSQL is left as Rasa sets it up.
* Loading a tracker turns every stored event back into an object, and Rasa
  looked up each event's class by walking all subclasses of Event (about 5% of
  a turn). The class found for a type name is remembered here.
"""
from __future__ import annotations

import functools
import sqlite3
from typing import Any, Dict, Text

import sqlalchemy as sa
from jsonschema import exceptions, validators
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _action_result_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_rasa_engine_kwargs = tracker_store.create_engine_kwargs


def _engine_kwargs(url) -> Dict[Text, Any]:
    if str(url).startswith("sqlite") and ":memory:" not in str(url):
        return {"poolclass": sa.pool.QueuePool, "pool_size": 5, "max_overflow": 10,
                "connect_args": {"check_same_thread": False}}
    return _rasa_engine_kwargs(url)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[Text, type] = {}


def _resolve_by_type(type_name: Text, default: Any = None) -> Any:
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


RemoteAction._validate_action_result = _validate_action_result
Event.resolve_by_type = staticmethod(_resolve_by_type)
tracker_store.create_engine_kwargs = _engine_kwargs
