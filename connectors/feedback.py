"""Thumbs up/down on the widget's answers, stored with the conversation.

The web widget emits the socket.io event `feedback`
{"message_id": str, "rating": "up" | "down", "text": str (at most 600 chars)}.
A valid one becomes a `SlotSet("answer_feedback", {...})` event in the
visitor's tracker, written under the conversation's lock, so staff find the
disliked answers in the console. The conversation is the one the socket joined
with `session_request` (never an id the client names here), and the text must
be the start of an answer the bot gave in it. Anything else is refused: the
acknowledgement and a `feedback_error` event say why, and nothing is stored.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, Optional, Text

from rasa.shared.core.events import BotUttered, SlotSet

logger = logging.getLogger(__name__)

FEEDBACK_EVENT = "feedback"
ERROR_EVENT = "feedback_error"
SLOT = "answer_feedback"
MAX_TEXT_CHARS = 600
RATINGS = ("up", "down")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELDS = {"message_id", "rating", "text"}


class InvalidFeedback(ValueError):
    def __init__(self, error: Text) -> None:
        super().__init__(error)
        self.error = error


def validate_feedback(data: Any) -> Dict[Text, Text]:
    """The feedback as stored, or InvalidFeedback saying what is wrong."""
    if not isinstance(data, dict):
        raise InvalidFeedback("feedback must be an object with 'message_id', 'rating' and 'text'")
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidFeedback(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    message_id, rating, text = data.get("message_id"), data.get("rating"), data.get("text")
    if not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        raise InvalidFeedback("'message_id' must be 1-64 letters, digits, '-' or '_'")
    if rating not in RATINGS:
        raise InvalidFeedback("'rating' must be 'up' or 'down'")
    if not isinstance(text, str) or not text.strip():
        raise InvalidFeedback("'text' must be the answer's text")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidFeedback(f"'text' is longer than {MAX_TEXT_CHARS} characters")
    return {"message_id": message_id, "rating": rating, "text": text}


def conversation_of(sio: Any, sid: Text, namespace: Optional[Text]) -> Optional[Text]:
    """The session room the socket joined with session_request (its sender id)."""
    rooms = [room for room in sio.rooms(sid, namespace=namespace or "/") if room != sid]
    return rooms[0] if len(rooms) == 1 else None


async def store_feedback(agent: Any, sender_id: Text, feedback: Dict[Text, Text]) -> None:
    """Appends the slot event to the visitor's tracker, holding the conversation's lock."""
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.processor.get_tracker(sender_id)
        # The whole conversation: the session's notice is uttered before its session_started event.
        history = await agent.tracker_store.retrieve_full_tracker(sender_id)
        answered = history is not None and any(
            isinstance(event, BotUttered) and isinstance(event.text, str) and event.text.startswith(feedback["text"])
            for event in history.events
        )
        if not answered:
            raise InvalidFeedback("'text' is not an answer of this conversation")
        tracker.update(SlotSet(SLOT, feedback))
        await agent.processor.save_tracker(tracker)


def register(blueprint: Any, sio: Any, namespace: Optional[Text], session_persistence: bool) -> None:
    """Adds the `feedback` handler to the socket.io channel's server."""
    server: Dict[Text, Any] = {}

    @blueprint.listener("before_server_start")
    async def remember_app(app: Any, *_: Any) -> None:
        server["app"] = app

    @sio.on(FEEDBACK_EVENT, namespace=namespace)
    async def feedback(sid: Text, data: Any) -> Dict[Text, Any]:
        try:
            stored = validate_feedback(data)
            sender_id = conversation_of(sio, sid, namespace) if session_persistence else sid
            if not sender_id:
                raise InvalidFeedback("no conversation: send session_request first")
            agent = getattr(getattr(server.get("app"), "ctx", None), "agent", None)
            if agent is None or not agent.is_ready():
                raise RuntimeError("the model is not loaded")
            await store_feedback(agent, sender_id, stored)
        except InvalidFeedback as invalid:
            logger.info("rejected feedback: %s", invalid.error)
            return await _refuse(sio, sid, namespace, invalid.error)
        except Exception as error:  # a failing store degrades into an error reply, never a crash
            logger.warning("feedback could not be stored: %s", type(error).__name__)
            return await _refuse(sio, sid, namespace, "feedback could not be saved, please try again")
        logger.info("stored answer feedback (%s)", stored["rating"])
        return {"ok": True}


async def _refuse(sio: Any, sid: Text, namespace: Optional[Text], error: Text) -> Dict[Text, Text]:
    await sio.emit(ERROR_EVENT, {"error": error}, room=sid, namespace=namespace)
    return {"error": error}
