"""Removes repeated work from Rasa 3.6's per-turn path, without changing behaviour.

Installed by runtime.install() (`python -m runtime`: the server, `rasa test`).
Found with py-spy under `make bench` (bench/README.md). Each is a patch of
Rasa's internals because Rasa offers no extension point for it: the tracker
store's queries and RulePolicy's cache, which have one, are subclasses
(stores/tracker_store.py, policies/rule_policy.py), and the turn gate sits in
the lock stores (stores/lock_store.py).

* RemoteAction validates every action server reply with `jsonschema.validate`,
  which first re-validates Rasa's (large, constant) events schema against the
  JSON Schema meta-schema: about 40% of the server's CPU under load when every
  new conversation called the action server (a custom session start, since
  moved into Rasa: runtime/session_notice.py). The schema is
  checked once here and the compiled validator reused; replies are validated
  exactly as before and an invalid reply raises the same ValidationError.
* Loading a tracker turns every stored event back into an object, and Rasa
  looked up each event's class by walking all subclasses of Event (about 5% of
  a turn). The class found for a type name is remembered here.
* Every turn runs the model's graph two or three times (understanding, then
  each next action), and Rasa hands each run to dask, which rebuilds the
  graph and schedules a dozen nodes for a single, sequential call (about 10%
  of a turn under cProfile). The nodes a run needs, in dependency order, are
  worked out once per set of targets here and called in that order, with the
  same inputs and outputs.
* Each call to the action server opened a new HTTP client session and
  connection, and each step of that (connect, send, read, close) waits a turn
  of the event loop behind every other conversation's turn: under 10
  concurrent conversations a hand-off turn took about five times as long as
  the others. Each endpoint now keeps one session whose connections stay open
  for KEEPALIVE_SECONDS, less than the action server's own keep-alive (Sanic's
  5 s), so a kept connection is never one the server has closed. The web
  channels close the kept sessions when the server stops.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
from typing import Any, Dict, List, Optional, Set, Text, Tuple

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig


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


def install() -> None:
    """Applies the speed-ups (runtime.install() calls this, once)."""
    if DaskGraphRunner.run is _run_in_order:
        return
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    DaskGraphRunner.run = _run_in_order
    EndpointConfig.session = _kept_session
