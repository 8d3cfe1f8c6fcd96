"""Our speed-ups of Rasa's turn change speed, never results: the patches of
runtime/rasa_speedups.py, the RulePolicy subclass (policies/rule_policy.py)
and the SQL tracker store subclass (stores/tracker_store.py)."""
import asyncio
import copy
import uuid

import jsonschema
import pytest
import sqlalchemy as sa
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH
from rasa.core.policies.rule_policy import RulePolicy as RasasRulePolicy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from policies.rule_policy import RulePolicy
from runtime import rasa_speedups  # installed by tests/core/conftest.py
from stores.tracker_store import FastSQLTrackerStore
from tests.support.action_server import stand_in_action_server
from tests.support.services import require_postgres
from tests.support.stack import MODEL, ROOT


def rasas_lookup(type_name):
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def test_every_event_type_resolves_to_the_class_rasa_would_find_twice_over():
    for type_name in {cls.type_name for cls in all_subclasses(Event)}:
        assert Event.resolve_by_type(type_name) is rasas_lookup(type_name)
        assert Event.resolve_by_type(type_name) is rasas_lookup(type_name)  # now from the cache


def test_unknown_event_types_behave_as_in_rasa():
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_round_trip_through_dicts():
    events = [UserUttered("hi", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
              SlotSet("first_name", "Robin")]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events


def test_action_server_replies_are_still_validated():
    action = RemoteAction("action_share_specialist_contact", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hello"}]})
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})


# --- the graph runner and RulePolicy's rule lookup: same results as Rasa's own code ---


VISITOR_TEXTS = ["hi", "been dopesick since yesterday", "tell me more", "my son is hooked, what do i do",
                 "she's not breathing", "i want to end it all", "what will the weather be", "",
                 "could somebody give me a call", "(413) 555-0187", "bye"]


@pytest.fixture(scope="module")
def agent():
    return asyncio.run(load_agent(model_path=str(MODEL)))


@pytest.fixture(scope="module")
def trackers(agent):
    """Every rule of data/rules and every conversation of tests/test_stories.yml, turn by turn."""
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"),
        [str(ROOT / "data" / "rules"), str(ROOT / "tests" / "test_stories.yml")])
    generated = TrainingDataGenerator(importer.get_stories(), agent.domain, remove_duplicates=False,
                                      augmentation_factor=0).generate()
    # The tracker before each action: what a prediction sees.
    return [DialogueStateTracker.from_events(tracker.sender_id, list(tracker.events)[:index],
                                              agent.domain.slots)
            for tracker in generated for index, event in enumerate(tracker.events)
            if isinstance(event, ActionExecuted)]


def rule_policy(agent) -> RulePolicy:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    policy = next(node._component for node in nodes if isinstance(node._component, RasasRulePolicy))
    assert type(policy) is RulePolicy  # the model was trained with config.yml's subclass
    return policy


def test_the_policy_keeps_rasas_name_so_transcripts_stay_the_same(agent, trackers):
    # The name is stored as the `policy` of every ActionExecuted event.
    predictions = [agent.processor._predict_next_with_tracker(copy.deepcopy(tracker)) for tracker in trackers[:20]]
    names = {prediction.policy_name for prediction in predictions}
    assert names - {"followup_action"} == {"RulePolicy"}  # a follow-up action is forced, not predicted


def test_applicable_rules_are_the_ones_rasa_finds(agent, trackers):
    policy = rule_policy(agent)
    compared = found = 0
    for tracker in trackers:
        for use_text in (False, True):
            states = policy._prediction_states(tracker, agent.domain, use_text,
                                               rule_only_data=policy._get_rule_only_data())
            for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                expected = RasasRulePolicy._get_possible_keys(policy, policy.lookup[table], states)
                assert policy._get_possible_keys(policy.lookup[table], states) == expected
                compared += 1
                found += bool(expected)
    # Not vacuous: over a thousand states, a good share of them matching some rule.
    assert compared > 1000 and found > compared / 4


def test_the_rule_cache_follows_a_changed_table(agent, trackers):
    policy = rule_policy(agent)
    lookup = dict(policy.lookup[RULES])
    states = policy._prediction_states(trackers[1], agent.domain)
    before = policy._get_possible_keys(lookup, states)
    assert before and before == RasasRulePolicy._get_possible_keys(policy, lookup, states)
    for key in before:
        del lookup[key]
    assert policy._get_possible_keys(lookup, states) == set() == \
        RasasRulePolicy._get_possible_keys(policy, lookup, states)


async def test_understanding_is_the_same_as_with_dask(agent, monkeypatch):
    ours = [await agent.processor.parse_message(UserMessage(text)) for text in VISITOR_TEXTS]
    monkeypatch.setattr(DaskGraphRunner, "run", rasa_speedups._rasa_run)
    dasks = [await agent.processor.parse_message(UserMessage(text)) for text in VISITOR_TEXTS]
    assert ours == dasks
    assert {parsed["intent"]["name"] for parsed in ours} >= {"greet", "crisis_overdose", "crisis_suicidal"}


def test_next_actions_are_the_same_as_with_dask(agent, trackers, monkeypatch):
    sample = trackers[::7]
    # A prediction can change its tracker (it clears a follow-up action): each run gets copies.
    ours = [agent.processor._predict_next_with_tracker(copy.deepcopy(tracker)) for tracker in sample]
    monkeypatch.setattr(DaskGraphRunner, "run", rasa_speedups._rasa_run)
    dasks = [agent.processor._predict_next_with_tracker(copy.deepcopy(tracker)) for tracker in sample]
    assert [(p.policy_name, p.probabilities, p.events) for p in ours] == \
           [(p.policy_name, p.probabilities, p.events) for p in dasks]
    assert len(sample) > 50


def test_a_clashing_input_is_refused_as_dask_refuses_it(agent):
    runner = agent.processor.graph_runner
    node = next(iter(runner._graph_schema.nodes))
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        runner.run(inputs={"__message__": node}, targets=[node])


# --- the SQL tracker store through SQLAlchemy Core: the same rows and trackers as Rasa's ORM code ---


POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def stamped(events: list, start: float) -> list:
    """Timestamps one second apart; a session's start action shares its SessionStarted's, as in Rasa."""
    for offset, event in enumerate(events):
        event.timestamp = start + offset
    for action, started in zip(events, events[1:]):
        if isinstance(started, SessionStarted):
            action.timestamp = started.timestamp
    return events


def conversation(sender_id: str, start: float) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    for event in stamped([
            ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
            UserUttered("been dopesick since yesterday", {"name": "ask_withdrawal", "confidence": 0.93}),
            ActionExecuted("utter_withdrawal"), BotUttered("Withdrawal can start within hours."),
            SlotSet("topic", "withdrawal"), ActionExecuted("action_listen")], start):
        tracker.update(event)
    return tracker


def more_turns(tracker: DialogueStateTracker, start: float, new_session: bool) -> None:
    events = ([ActionExecuted("action_session_start"), SessionStarted()] if new_session else []) + [
        UserUttered("tell me more", {"name": "tell_me_more", "confidence": 0.88}),
        ActionExecuted("utter_withdrawal_more"), ActionExecuted("action_listen")]
    for event in stamped(events, start):
        tracker.update(event)


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request, tmp_path):
    """Opens a tracker store of a class on a named database, on SQLite or PostgreSQL."""
    opened, databases = [], {}  # databases: name -> PostgreSQL database created for it
    if request.param == "postgresql":
        require_postgres(POSTGRES)
        admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")

    def open_(store_class, name: str) -> SQLTrackerStore:
        if request.param == "sqlite":
            store = store_class(DOMAIN, dialect="sqlite", db=str(tmp_path / f"{name}.db"))
        else:
            if name not in databases:
                databases[name] = f"layout_speedups_{name}_{uuid.uuid4().hex[:8]}"
                with admin.connect() as connection:
                    connection.execute(sa.text(f'CREATE DATABASE "{databases[name]}"'))
            store = store_class(DOMAIN, dialect="postgresql", host="127.0.0.1", port=5432,
                                username="postgres", db=databases[name])
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.engine.dispose()
    if request.param == "postgresql":
        with admin.connect() as connection:
            for database in databases.values():
                connection.execute(sa.text(f'DROP DATABASE "{database}"'))
        admin.dispose()


def rows(store: SQLTrackerStore) -> list:
    events = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            sa.select(*[c for c in events.c if c.name != "id"]).order_by(events.c.id))]


async def test_stored_events_and_loaded_trackers_match_rasas(open_store):
    ours, rasas = open_store(FastSQLTrackerStore, "ours"), open_store(SQLTrackerStore, "rasas")
    for store in (ours, rasas):
        first, second = conversation("visitor-1", 1000.0), conversation("visitor-2", 1100.0)
        await store.save(first)
        await store.save(second)
        more_turns(first, 1200.0, new_session=False)
        await store.save(first)
        await store.save(first)  # nothing new: nothing stored
        more_turns(second, 1300.0, new_session=True)
        await store.save(second)
    assert rows(ours) == rows(rasas) and len(rows(ours)) == 8 + 8 + 3 + 5

    loaded = {}
    # Both classes read the rows Rasa's code wrote.
    for store in (open_store(FastSQLTrackerStore, "rasas"), rasas):
        loaded[type(store)] = [
            list((await load(sender)).events) if await load(sender) else None
            for load in (store.retrieve, store.retrieve_full_tracker)
            for sender in ("visitor-1", "visitor-2", "nobody")]
    assert loaded[FastSQLTrackerStore] == loaded[SQLTrackerStore]
    latest_session_of_second = loaded[FastSQLTrackerStore][1]
    assert [e.type_name for e in latest_session_of_second][:2] == ["action", "session_started"]
    assert len(latest_session_of_second) == 5 and len(loaded[FastSQLTrackerStore][4]) == 13


def test_endpoints_name_the_fast_store_and_rasa_builds_it(tmp_path):
    from rasa.core.tracker_store import create_tracker_store
    from rasa.core.utils import read_endpoints_from_path

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace(
        "${DATABASE_URL}", f"sqlite:///{tmp_path / 'rasa.db'}").replace("${ACTION_ENDPOINT_URL}", "http://x"))
    store = create_tracker_store(read_endpoints_from_path(endpoints).tracker_store, DOMAIN)
    assert type(store) is FastSQLTrackerStore
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.engine.dispose()


# --- the action server: one kept connection instead of a new session per call ---


@pytest.fixture
async def action_server():
    """A stand-in action server that notes the client port of every request."""
    client_ports = []

    async def run_action(request):
        client_ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": [{"text": "hello"}]})

    async with stand_in_action_server(run_action) as url:
        yield url, client_ports


async def test_calls_to_the_action_server_share_one_connection(action_server):
    url, client_ports = action_server
    endpoint = EndpointConfig(url)
    replies = [await endpoint.request(json={"next_action": "a"}, method="post") for _ in range(3)]
    assert replies == [{"events": [], "responses": [{"text": "hello"}]}] * 3
    assert len(client_ports) == 3 and len(set(client_ports)) == 1
    async with endpoint.session() as session:
        assert not session.closed  # leaving `async with` keeps it open for the next call
    await rasa_speedups.close_kept_sessions()  # as the web channels do at server stop
    assert session.closed


async def test_an_idle_connection_is_dropped_before_the_server_would_drop_it(action_server, monkeypatch):
    assert rasa_speedups.KEEPALIVE_SECONDS < 5  # Sanic's keep-alive timeout, rasa-sdk's server
    monkeypatch.setattr(rasa_speedups, "KEEPALIVE_SECONDS", 0.2)
    url, client_ports = action_server
    endpoint = EndpointConfig(url)
    await endpoint.request(json={}, method="post")
    await asyncio.sleep(1.2)  # aiohttp checks idle connections about once a second
    await endpoint.request(json={}, method="post")
    assert len(set(client_ports)) == 2
    async with endpoint.session() as session:
        await session.close()
