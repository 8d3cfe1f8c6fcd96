"""Never silence: if a turn produced no reply at all (the action server or the
database failed, or Rasa raised), the visitor still gets a helpful message with
the center's number and the emergency lines."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.center import get_center

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def fallback_text() -> Text:
    try:
        center = get_center()
        call_us = f"You can call {center.name} at {center.phone_display} (open {center.hours_text()}). "
    except Exception:  # a broken config must not silence the fallback itself
        call_us = ""
    return (
        "Sorry, I can't answer right now because of a problem on our side. "
        + call_us
        + "If this is an emergency, call 911. In a crisis, call or text 988."
    )


class CountingOutputChannel(OutputChannel):
    """Passes every response through to the real channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> Text:
        return "counting"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def with_safety_net(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> None:
        counting = CountingOutputChannel(message.output_channel)
        message.output_channel = counting
        try:
            await on_new_message(message)
        except Exception as error:
            logger.error("handling a message failed: %s", type(error).__name__)
        if counting.sent == 0:
            logger.warning("a turn produced no reply; sent the fallback message")
            await counting.inner.send_text_message(message.sender_id, fallback_text())

    return handle
