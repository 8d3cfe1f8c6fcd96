"""Never silence: every turn ends with something helpful for the visitor.

* If a custom action fails (the action server is down or raised), Rasa logs
  it and carries on without that action's messages. We record such failures
  by wrapping Rasa's RemoteAction.run, and after the turn send a fallback with
  the center's number and the emergency lines.
* The not-medical-advice notice that opens a conversation comes from Rasa's
  own session start (runtime/session_notice.py), so it needs no action server.
* If the turn raised or produced nothing at all, the same fallback is sent.
Crisis replies are plain responses and never depend on the action server.
"""
from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.center import get_center
from actions.messages import DISCLAIMER

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

# Names of the custom actions that failed during the current turn.
_failed_actions: ContextVar[Optional[List[Text]]] = ContextVar("failed_actions", default=None)


def fallback_text() -> Text:
    try:
        center = get_center()
        call_us = f"You can call {center.number_and_hours()}. "
    except Exception:  # a broken config must not silence the fallback itself
        call_us = ""
    return (
        "Sorry, I can't fully answer right now because of a problem on our side. "
        + call_us
        + "If this is an emergency, call 911. In a crisis, call or text 988."
    )


_rasa_remote_action_run = RemoteAction.run


async def _run_recording_failures(self: RemoteAction, output_channel, nlg, tracker, domain):
    try:
        return await _rasa_remote_action_run(self, output_channel, nlg, tracker, domain)
    except Exception:
        failures = _failed_actions.get()
        if failures is not None:
            failures.append(self.name())
        raise




CRISIS_RESPONSES = ("utter_crisis_", "utter_overdose_")


def is_crisis_reply(message: Dict[Text, Any]) -> bool:
    return str(message.get("utter_action") or "").startswith(CRISIS_RESPONSES)


class TurnOutputChannel(OutputChannel):
    """Passes one turn's responses to the real channel, counting them, and
    makes the crisis reply come first: the session-start notice is held back
    until the first reply that is not part of a crisis reply."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0
        self._held_notice: Optional[Dict[Text, Any]] = None

    @classmethod
    def name(cls) -> Text:
        return cls.__name__

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if self.sent == 0 and self._held_notice is None and message.get("text") == DISCLAIMER:
            self._held_notice = message
            return
        if not is_crisis_reply(message):
            await self.flush(recipient_id)
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def flush(self, recipient_id: Text) -> None:
        if self._held_notice is not None:
            notice, self._held_notice = self._held_notice, None
            self.sent += 1
            await self.inner.send_response(recipient_id, notice)


def with_safety_net(on_new_message: Handler) -> Handler:
    """Wraps a channel's message handler so that no turn ends in silence."""

    async def handle(message: UserMessage) -> None:
        turn = TurnOutputChannel(message.output_channel)
        message.output_channel = turn
        failures: List[Text] = []
        token = _failed_actions.set(failures)
        try:
            await on_new_message(message)
        except Exception as error:
            logger.error("handling a message failed: %s", type(error).__name__)
        finally:
            _failed_actions.reset(token)
        if failures or turn.sent == 0:
            logger.warning("sent the fallback message (failed actions: %s)", ", ".join(failures) or "none")
            await turn.send_text_message(message.sender_id, fallback_text())
        await turn.flush(message.sender_id)

    return handle


def install() -> None:
    """Records failed custom actions for the fallback (runtime.install() calls this)."""
    global _rasa_remote_action_run
    if RemoteAction.run is not _run_recording_failures:
        _rasa_remote_action_run = RemoteAction.run
        RemoteAction.run = _run_recording_failures
