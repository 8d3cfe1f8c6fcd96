"""Removes repeated work from Rasa 3.6's per-turn path, without changing behaviour.

Imported by connectors/web.py, so it is active in every `rasa run` of this
assistant. Found with py-spy under `make bench` (bench/README.md).

* RemoteAction validates every action server reply with `jsonschema.validate`,
  which first re-validates Rasa's (large, constant) events schema against the
  JSON Schema meta-schema: about 40% of the server's CPU under load when every
  new conversation called the action server (a custom session start, since
  moved into Rasa: runtime/session_notice.py). The schema is
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
* The SQL tracker store went through SQLAlchemy's ORM for every read and
  write: a turn ran eight or nine statements, one INSERT per new event, each
  built into ORM objects (about 25% of a turn under cProfile). Here the same
  statements are built once and issued through SQLAlchemy Core: the events of
  a turn go in with one executemany INSERT, in their order, and a read fetches
  only the event column it uses. Same queries, same rows in the same order, on
  SQLite and PostgreSQL (tests/core/test_rasa_speedups.py compares them).
* Every turn runs the model's graph two or three times (understanding, then
  each next action), and Rasa hands each run to dask, which rebuilds the
  graph and schedules a dozen nodes for a single, sequential call (about 10%
  of a turn under cProfile). The nodes a run needs, in dependency order, are
  worked out once per set of targets here and called in that order, with the
  same inputs and outputs.
* RulePolicy checks every rule against each state of the conversation, twice
  per prediction (about 18% of a turn). Whether a rule applies at a given
  distance back depends only on that one state, so the set of rules that
  apply is remembered per (distance, state); a prediction intersects those
  sets, and stops at the length of the longest rule, past which every rule
  applies. States repeat across visitors (an intent after an action), not
  whole conversations, so this helps any conversation, not only repeated ones.
* Each call to the action server opened a new HTTP client session and
  connection, and each step of that (connect, send, read, close) waits a turn
  of the event loop behind every other conversation's turn: under 10
  concurrent conversations a hand-off turn took about five times as long as
  the others. Each endpoint now keeps one session whose connections stay open
  for KEEPALIVE_SECONDS, less than the action server's own keep-alive (Sanic's
  5 s), so a kept connection is never one the server has closed. The web
  channels close the kept sessions when the server stops.
* DIET's prediction went through a tf.function, which matches every call's
  inputs against its signature to pick the graph to run. The signature is
  fixed (Rasa builds it with open dimensions), so there is only ever the one
  graph: it is called directly here, which skips the matching (about 0.35 ms
  of a 1.2 ms call, 2026-11-29). The first call still goes through Rasa, which
  builds the function.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import sqlite3
from typing import Any, Dict, FrozenSet, List, Optional, Set, Text, Tuple

import sqlalchemy as sa
from jsonschema import exceptions, validators
from keras.utils import tf_utils
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DIAGNOSTIC_DATA, DOCS_BASE_URL
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel


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


SQLTrackerStore = tracker_store.SQLTrackerStore
_rasa_sql_store = {name: getattr(SQLTrackerStore, name) for name in ("_additional_events", "save", "_retrieve")}


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


def _additional_events(self: SQLTrackerStore, session, tracker: DialogueStateTracker):
    count = _event_statements(self.SQLEvent.__table__)["count_latest_session"]
    stored = session.execute(count, {"sender_id": tracker.sender_id}).scalar()
    return itertools.islice(tracker.events, stored, len(tracker.events))


def _event_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


async def _save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    await self.stream_events(tracker)
    with self.session_scope() as session:
        rows = [_event_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
        if rows:
            session.execute(self.SQLEvent.__table__.insert(), rows)
        session.commit()


async def _retrieve(self: SQLTrackerStore, sender_id: Text,
                    fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
    query = _event_statements(self.SQLEvent.__table__)[
        "all_sessions" if fetch_events_from_all_sessions else "latest_session"]
    with self.session_scope() as session:
        rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
    if self.domain and rows:
        return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
    return None


_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[Text, type] = {}


def _resolve_by_type(type_name: Text, default: Any = None) -> Any:
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def _execution_order(schema: GraphSchema, targets: Tuple[Text, ...]) -> List[Text]:
    """The nodes the targets need, each after the nodes it needs."""
    order: List[Text] = []
    seen: Set[Text] = set()

    def visit(name: Text) -> None:
        if name in seen or name not in schema.nodes:  # not a node: a run's input
            return
        seen.add(name)
        for needed in schema.nodes[name].needs.values():
            visit(needed)
        order.append(name)

    for target in targets:
        visit(target)
    return order


_rasa_run = DaskGraphRunner.run


def _run_in_order(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
                  targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    run_targets = tuple(targets or self._graph_schema.target_names)
    orders = self.__dict__.setdefault("_execution_orders", {})
    if run_targets not in orders:
        orders[run_targets] = _execution_order(self._graph_schema, run_targets)
    order = orders[run_targets]
    # Each result is (node name, output), as GraphNode returns and expects them.
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in order:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of "
                f"the input names passed to the `run` method are the same as node names "
                f"in the graph schema.")
        results[name] = (name, value)
    try:
        for name in order:
            if name not in results:
                needs = self._graph_schema.nodes[name].needs.values()
                # A missing input is passed by name, as dask does; the node reports it.
                results[name] = self._instantiated_nodes[name](*(results.get(n, n) for n in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


class _ApplicableRules:
    """Which rules of one lookup table apply at a distance back, per state.

    A rule's applicability reads only the state's features that some rule names,
    and whether the state has a previous action, so the state is keyed by those
    alone: the text of a message, which no rule here names, never becomes a key.
    """

    MAX_ENTRIES = 20_000  # distinct (distance, state) pairs; states come from the domain

    def __init__(self, policy: RulePolicy, lookup: Dict[Text, Text]) -> None:
        self.lookup = lookup
        self.keys = frozenset(lookup)
        rule_states = [policy._rule_key_to_state(key) for key in lookup]
        self.longest = max((len(states) for states in rule_states), default=0)
        self.named = {(kind, feature) for states in rule_states for state in states
                      for kind, features in state.items() for feature in features}
        self.by_state: Dict[Tuple, FrozenSet[Text]] = {}

    def at(self, policy: RulePolicy, distance: int, state: Dict) -> FrozenSet[Text]:
        key = (distance, bool(state.get(PREVIOUS_ACTION)), tuple(sorted(
            (kind, feature, _hashable(value)) for kind, features in state.items()
            for feature, value in features.items() if (kind, feature) in self.named)))
        found = self.by_state.get(key)
        if found is None:
            if len(self.by_state) >= self.MAX_ENTRIES:
                self.by_state.clear()
            found = self.by_state[key] = frozenset(
                rule for rule in self.keys if policy._is_rule_applicable(rule, distance, state))
        return found


_rasa_get_possible_keys = RulePolicy._get_possible_keys


def _get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[Dict]) -> Set[Text]:
    tables = self.__dict__.setdefault("_applicable_rules", {})
    table = tables.get(id(lookup))
    # The table holds its lookup, so the id stays that lookup's while it is kept.
    if table is None or table.keys != lookup.keys():
        table = tables[id(lookup)] = _ApplicableRules(self, lookup)  # new or retrained
    possible = table.keys
    for distance, state in enumerate(reversed(states)):
        if distance >= table.longest or not possible:
            break  # further back every rule applies; or none is left
        possible = possible & table.at(self, distance, state)
    return set(possible)


_rasa_endpoint_session = EndpointConfig.session
KEEPALIVE_SECONDS = 2.0
_kept_sessions: List[Any] = []  # aiohttp sessions, closed at server stop


def _kept_session(self: EndpointConfig) -> contextlib.nullcontext:
    """The endpoint's open session; leaving `async with` keeps it open."""
    loop = asyncio.get_running_loop()
    kept = self.__dict__.get("_kept_session")
    if kept is None or kept[0] is not loop or kept[1].closed:
        session = _rasa_endpoint_session(self)
        # Idle connections are dropped before an action server would close them
        # (Sanic's keep-alive timeout is 5 s), so a kept one is never found dead.
        session._connector._keepalive_timeout = KEEPALIVE_SECONDS
        kept = self.__dict__["_kept_session"] = (loop, session)
        _kept_sessions.append(session)
    return contextlib.nullcontext(kept[1])


async def close_kept_sessions() -> None:
    """Closes the action server connections kept open (at server stop)."""
    while _kept_sessions:
        await _kept_sessions.pop().close()


_rasa_predict = RasaModel._rasa_predict


def _predict_with_the_one_graph(self: RasaModel, batch_in: Tuple[Any, ...]) -> Dict[Text, Any]:
    predict_step = self._tf_predict_step
    if self._run_eagerly or predict_step is None or self._training:
        return _rasa_predict(self, batch_in)  # Rasa builds the function (or runs eagerly)
    graph = self.__dict__.get("_predict_graph")
    if graph is None or graph[0] is not predict_step:
        graph = self.__dict__["_predict_graph"] = (predict_step, predict_step.get_concrete_function())
    # Rasa's own steps after the call: outputs as NumPy, empty diagnostics as None.
    outputs = tf_utils.sync_to_numpy_or_python_type(graph[1](batch_in))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    """Applies the speed-ups (runtime.install() calls this, once)."""
    if SQLTrackerStore.save is _save:
        return
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    tracker_store.create_engine_kwargs = _engine_kwargs
    SQLTrackerStore._additional_events = _additional_events
    SQLTrackerStore.save = _save
    SQLTrackerStore._retrieve = _retrieve
    DaskGraphRunner.run = _run_in_order
    EndpointConfig.session = _kept_session
    RulePolicy._get_possible_keys = _get_possible_keys
    RasaModel._rasa_predict = _predict_with_the_one_graph
