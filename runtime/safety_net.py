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
from components.language import language_of
from runtime import responses
from runtime.session_notice import NOTICE

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

# Names of the custom actions that failed during the current turn.
_failed_actions: ContextVar[Optional[List[Text]]] = ContextVar("failed_actions", default=None)


def fallback_text(language: Optional[Text] = "en") -> Text:
    """utter_problem_fallback in the visitor's language, with the center's number when it can be read."""
    try:
        center = get_center()
        call_us = responses.text(
            "utter_problem_fallback_call_us", language, center_name=center.name,
            center_phone=center.phone_display, center_hours=center.hours_text(language or "en"),
        )
    except Exception:  # a broken config must not silence the fallback itself
        call_us = ""
    return responses.text("utter_problem_fallback", language, call_us=call_us)


def reply_language(message: Dict[Text, Any]) -> Text:
    """The language of a reply: the conversation's (runtime/language_nlg.py) or, for
    a reply without it, the language its text is written in."""
    return message.get("lang") or language_of(str(message.get("text") or "")) or "en"


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
        # The language of the latest reply, for a notice or fallback sent after it.
        self.language: Text = "en"

    @classmethod
    def name(cls) -> Text:
        return cls.__name__

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if self.sent == 0 and self._held_notice is None and message.get("text") in responses.texts(NOTICE):
            self._held_notice = message
            return
        self.language = reply_language(message)
        if not is_crisis_reply(message):
            await self.flush(recipient_id)
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def flush(self, recipient_id: Text) -> None:
        """Sends the held notice, in the language of the reply it goes before (or after)."""
        if self._held_notice is not None:
            notice, self._held_notice = self._held_notice, None
            notice = {**notice, "text": responses.text(NOTICE, self.language), "lang": self.language}
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
            written = language_of(message.text) if isinstance(message.text, str) else None
            turn.language = written or turn.language
            await turn.send_response(message.sender_id, {"text": fallback_text(turn.language), "lang": turn.language})
        await turn.flush(message.sender_id)

    return handle


def install() -> None:
    """Records failed custom actions for the fallback (runtime.install() calls this)."""
    global _rasa_remote_action_run
    if RemoteAction.run is not _run_recording_failures:
        _rasa_remote_action_run = RemoteAction.run
        RemoteAction.run = _run_recording_failures
