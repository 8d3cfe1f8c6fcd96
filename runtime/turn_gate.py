"""Turns take turns: one at a time, in arrival order, with the event loop
looking for replies from the action server in between.

A turn's work (understanding, rules, the tracker store) runs without
waiting on anything. Under load every request that arrived during one pass of
the event loop (uvloop under Sanic) starts its turn in the next pass, and
they all run before the loop looks at its sockets again. Ten busy
conversations made each pass about 70 ms long. A turn that calls the action
server (the hand-off) waits a whole pass each time it waits for the network:
it took 200 to 300 ms against 8 ms of its own work, and the hand-off and the
turn after it set the p95 (bench/README.md).

Here a turn waits at the gate until a slot is handed to it, and a slot is
handed over one loop pass later. So each pass runs RASA_TURN_SLOTS turns
(default 1), then the loop reads the network again. A turn that calls the
action server gives its slot up for the call, so a slow action (an email
alert) holds up nobody, and on its way back it goes ahead of the turns that
have not started.

The gate sits inside the conversation's lock: the lock stores of
stores/lock_store.py (named in endpoints.yml) take a slot once they hold the
conversation's lock, so a turn never holds a slot while it waits for its
conversation's earlier turn, which may be waiting for a slot itself. A lock
store is Rasa's supported extension point around a turn. The step-aside of a
call to the action server has none (Rasa builds a RemoteAction for every
custom action), so RemoteAction.run is wrapped here (install()).
The gate only orders work: keeping a conversation's turns apart is still the
lock's job (the Redis lock store across servers).
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import os
from contextvars import ContextVar
from typing import AsyncIterator, Deque, Optional

from rasa.core.actions.action import RemoteAction

DEFAULT_SLOTS = 1


class TurnGate:
    """A semaphore that hands its slots over one loop pass later, serving
    returning turns before new ones, each in arrival order.

    Handing over later is the point: a turn that finds a slot free still
    waits a pass, so the requests that arrived together queue here instead of
    all running in the one pass their data arrived in."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a turn gate needs at least one slot")
        self.free = slots
        self._returning: Deque[asyncio.Future] = collections.deque()
        self._new: Deque[asyncio.Future] = collections.deque()
        self._hand_over_scheduled = False
        self.loop: Optional[asyncio.AbstractEventLoop] = None  # the loop it serves, from first use

    async def acquire(self, returning: bool = False) -> None:
        self.loop = asyncio.get_running_loop()
        future = self.loop.create_future()
        (self._returning if returning else self._new).append(future)
        self._schedule_hand_over()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed a slot just as the turn was cancelled
            raise

    def release(self) -> None:
        self.free += 1
        self._schedule_hand_over()

    def _schedule_hand_over(self) -> None:
        if not self._hand_over_scheduled:
            self._hand_over_scheduled = True
            self.loop.call_soon(self._hand_over)

    def _hand_over(self) -> None:
        self._hand_over_scheduled = False
        while self.free:
            queue = self._returning or self._new
            if not queue:
                return
            future = queue.popleft()
            if not future.done():  # a cancelled waiter is skipped
                self.free -= 1
                future.set_result(None)


def slots_from_environment() -> int:
    value = os.environ.get("RASA_TURN_SLOTS", "").strip() or str(DEFAULT_SLOTS)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"RASA_TURN_SLOTS must be a whole number of at least 1, not {value!r}")
    return int(value)


# Read on import (runtime.install(), the lock stores), so a bad value stops the server from starting.
SLOTS = slots_from_environment()
_gate: Optional[TurnGate] = None
# The gate whose slot the current turn holds (None outside a turn, or while stepped aside).
_holding: ContextVar[Optional[TurnGate]] = ContextVar("turn_gate_holding", default=None)


def gate() -> TurnGate:
    """The gate of the running event loop. A Rasa server runs one loop; a new
    loop (in tests, one per asyncio.run) gets a fresh gate, so nothing left
    waiting on a closed loop can hold a slot."""
    global _gate
    if _gate is None or _gate.loop not in (None, asyncio.get_running_loop()):
        _gate = TurnGate(SLOTS)
    return _gate


@contextlib.asynccontextmanager
async def turn() -> AsyncIterator[None]:
    """Holds a slot for the whole turn."""
    held = gate()
    await held.acquire()
    token = _holding.set(held)
    try:
        yield
    finally:
        still_held = _holding.get() is held  # not if cancelled while stepped aside
        _holding.reset(token)
        if still_held:
            held.release()


@contextlib.asynccontextmanager
async def stepped_aside() -> AsyncIterator[None]:
    """Gives the slot up while the turn waits, and takes one back ahead of new turns."""
    held = _holding.get()
    if held is None:
        yield
        return
    _holding.set(None)
    held.release()
    try:
        yield
    finally:
        await held.acquire(returning=True)
        _holding.set(held)  # only once the slot is back


_rasa_remote_action_run = RemoteAction.run


async def _run_stepped_aside(self: RemoteAction, output_channel, nlg, tracker, domain):
    async with stepped_aside():
        return await _rasa_remote_action_run(self, output_channel, nlg, tracker, domain)


def install() -> None:
    """A call to the action server steps aside (runtime.install() calls this);
    the turns themselves pass the gate in the lock store (stores/lock_store.py)."""
    global _rasa_remote_action_run
    if RemoteAction.run is not _run_stepped_aside:
        _rasa_remote_action_run = RemoteAction.run
        RemoteAction.run = _run_stepped_aside
