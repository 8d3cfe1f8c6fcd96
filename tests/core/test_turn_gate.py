"""Turns take turns (runtime/turn_gate.py): arrival order, returning turns
first, a slot handed over one loop pass later, and no slot held while a turn
waits for the action server or for its conversation's lock."""
import asyncio

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import load_agent
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from runtime import turn_gate
from runtime.turn_gate import TurnGate
from stores.lock_store import GatedInMemoryLockStore, GatedRedisLockStore
from tests.support.action_server import stand_in_action_server
from tests.support.stack import MODEL


@pytest.fixture
def one_slot(monkeypatch):
    gate = TurnGate(1)
    monkeypatch.setattr(turn_gate, "_gate", gate)
    return gate


async def test_a_free_slot_is_still_handed_over_a_loop_pass_later():
    # Requests that arrive together must queue, not all run in one pass.
    gate = TurnGate(1)
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "work queued before")
    await gate.acquire()
    assert ran == ["work queued before"]
    assert gate.free == 0


async def test_turns_run_one_at_a_time_in_arrival_order(one_slot):
    log = []

    async def visitor(name):
        async with turn_gate.turn():
            log.append(("start", name))
            await asyncio.sleep(0)  # a turn that yields still keeps the others out
            log.append(("end", name))

    await asyncio.gather(*(visitor(name) for name in "abcd"))
    assert log == [(edge, name) for name in "abcd" for edge in ("start", "end")]
    assert one_slot.free == 1


async def test_a_returning_turn_goes_ahead_of_turns_that_have_not_started():
    gate = TurnGate(1)
    await gate.acquire()
    granted = []

    async def waiter(name, returning):
        await gate.acquire(returning=returning)
        granted.append(name)
        gate.release()

    waiters = [asyncio.create_task(waiter("new 1", False)), asyncio.create_task(waiter("new 2", False))]
    await asyncio.sleep(0)
    waiters.append(asyncio.create_task(waiter("returning", True)))
    await asyncio.sleep(0)
    gate.release()
    await asyncio.gather(*waiters)
    assert granted == ["returning", "new 1", "new 2"]
    assert gate.free == 1


async def test_a_cancelled_waiter_gives_no_slot_away_and_loses_none():
    gate = TurnGate(1)
    await gate.acquire()
    cancelled = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    cancelled.cancel()
    gate.release()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await asyncio.wait_for(gate.acquire(), 5)  # the slot went to the next one, not the cancelled one
    gate.release()
    assert gate.free == 1


async def test_a_turn_cancelled_just_after_it_was_handed_a_slot_gives_it_back():
    gate = TurnGate(1)
    handed = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)  # queued; the hand-over is scheduled for the next pass
    await asyncio.sleep(0)  # handed over; the task has not run again yet
    assert gate.free == 0
    handed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await handed
    assert gate.free == 1


async def test_stepping_aside_lets_another_turn_run_and_takes_the_slot_back(one_slot):
    call_started, call_done = asyncio.Event(), asyncio.Event()
    log = []

    async def handoff_turn():
        async with turn_gate.turn():
            async with turn_gate.stepped_aside():
                call_started.set()
                await call_done.wait()
            assert turn_gate._holding.get() is one_slot
            log.append("hand-off finished")

    async def other_turn():
        await call_started.wait()
        async with turn_gate.turn():
            log.append("other turn ran")
        call_done.set()

    await asyncio.wait_for(asyncio.gather(handoff_turn(), other_turn()), 10)
    assert log == ["other turn ran", "hand-off finished"]
    assert one_slot.free == 1


async def test_the_lock_stores_take_a_slot_only_once_they_hold_the_conversations_lock(one_slot):
    store = GatedInMemoryLockStore()
    log = []

    async def next_turn():  # the same conversation's next message
        async with store.lock("visitor", wait_time_in_seconds=0.01):
            log.append(("next turn holds a slot", one_slot.free == 0))

    async with store.lock("visitor") as ticket_lock:
        assert ticket_lock.conversation_id == "visitor"
        assert one_slot.free == 0 and turn_gate._holding.get() is one_slot
        waiting = asyncio.create_task(next_turn())
        for _ in range(5):
            await asyncio.sleep(0.01)
        assert not waiting.done() and log == []  # it waits for the lock, not for the slot
    await asyncio.wait_for(waiting, 10)
    assert log == [("next turn holds a slot", True)]
    assert one_slot.free == 1 and store.get_lock("visitor") is None


def test_both_lock_stores_are_gated_and_keep_their_locking():
    from rasa.core.lock_store import InMemoryLockStore

    from stores.lock_store import AtomicRedisLockStore, TurnGateLock

    assert issubclass(GatedInMemoryLockStore, InMemoryLockStore)
    assert issubclass(GatedRedisLockStore, AtomicRedisLockStore)
    for store in (GatedInMemoryLockStore, GatedRedisLockStore):
        assert store.lock is TurnGateLock.lock


def test_remote_actions_step_aside():
    run, wrapped = RemoteAction.run, []
    while run is not None:  # the safety net wraps RemoteAction.run too
        wrapped.append(run)
        run = run.__globals__.get("_rasa_remote_action_run") if run.__module__.startswith("runtime.") else None
    assert turn_gate._run_stepped_aside in wrapped


def test_each_event_loop_gets_its_own_gate(monkeypatch):
    monkeypatch.setattr(turn_gate, "_gate", None)

    async def take_a_slot_and_keep_it():  # as a turn cut off when its loop closed
        held = turn_gate.gate()
        await held.acquire()
        return held

    first = asyncio.run(take_a_slot_and_keep_it())
    second = asyncio.run(take_a_slot_and_keep_it())
    assert first is not second and first.free == second.free == 0


@pytest.mark.parametrize("value, slots", [("", 1), ("1", 1), ("3", 3), (" 2 ", 2)])
def test_slots_come_from_the_environment(monkeypatch, value, slots):
    monkeypatch.setenv("RASA_TURN_SLOTS", value)
    assert turn_gate.slots_from_environment() == slots


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_slot_count_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("RASA_TURN_SLOTS", value)
    with pytest.raises(ValueError, match="RASA_TURN_SLOTS must be a whole number of at least 1"):
        turn_gate.slots_from_environment()


# --- with the trained assistant: a turn waiting for the action server or its lock holds no slot ---


@pytest.fixture
async def held_action_server():
    """A stand-in action server that answers only when `answer` is set."""
    received, answer = asyncio.Event(), asyncio.Event()

    async def run_action(request):
        received.set()
        await answer.wait()
        return web.json_response({"events": [], "responses": [{"text": "the specialist's number"}]})

    async with stand_in_action_server(run_action) as url:
        yield url, received, answer


async def test_other_conversations_go_on_while_a_hand_off_waits_and_its_next_message_queues(
        held_action_server, one_slot):
    url, received, answer = held_action_server
    agent = await load_agent(model_path=str(MODEL), endpoints=AvailableEndpoints(
        action=EndpointConfig(url), lock_store=EndpointConfig(type="stores.lock_store.GatedInMemoryLockStore")))
    assert type(agent.lock_store) is GatedInMemoryLockStore

    handoff = asyncio.create_task(agent.handle_text("I want to talk to someone", sender_id="waiting"))
    await asyncio.wait_for(received.wait(), 30)
    # The same visitor writes again: that turn waits for the conversation's lock, holding no slot.
    follow_up = asyncio.create_task(agent.handle_text("thanks", sender_id="waiting"))
    others = await asyncio.wait_for(asyncio.gather(
        agent.handle_text("hi", sender_id="other-1"),
        agent.handle_text("what is tolerance", sender_id="other-2")), 60)
    assert all(others)
    assert not handoff.done() and not follow_up.done()

    answer.set()
    handoff_replies = await asyncio.wait_for(handoff, 30)
    assert "the specialist's number" in [reply.get("text") for reply in handoff_replies]
    assert await asyncio.wait_for(follow_up, 30)
    assert one_slot.free == 1
    tracker = await agent.tracker_store.retrieve("waiting")
    user_texts = [event.text for event in tracker.events if event.type_name == "user"]
    assert user_texts == ["I want to talk to someone", "thanks"]
