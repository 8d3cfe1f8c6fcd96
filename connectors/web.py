"""The web channels (REST and socket.io) with input validation and the safety net.

Both subclass Rasa's own connectors and only add what Rasa leaves out: a
malformed request gets a 4xx JSON error instead of a 500, an empty message
gets a polite prompt, and a turn that produced nothing gets a fallback.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request

from components.language import language_of
from runtime import rasa_speedups, responses
from runtime.safety_net import reply_language, with_safety_net

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128


class InvalidRequest(ValueError):
    def __init__(self, status: int, error: Text) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def validate_rest_payload(body: bytes) -> Dict[Text, Any]:
    """The parsed payload, or InvalidRequest saying what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidRequest(413, f"payload too large (limit {MAX_BODY_BYTES} bytes)")
    if not body.strip():
        raise InvalidRequest(400, "empty body: send a JSON object with 'sender' and 'message'")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(400, "body is not valid JSON")
    if not isinstance(payload, dict):
        raise InvalidRequest(400, "body must be a JSON object with 'sender' and 'message'")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise InvalidRequest(400, "'sender' is required and must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS:
        raise InvalidRequest(400, f"'sender' is longer than {MAX_SENDER_CHARS} characters")
    message = payload.get("message")
    if not isinstance(message, str):
        raise InvalidRequest(400, "'message' is required and must be a string")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidRequest(413, f"'message' is longer than {MAX_MESSAGE_CHARS} characters")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest(400, "'metadata' must be a JSON object")
    input_channel = payload.get("input_channel")
    if input_channel is not None and not isinstance(input_channel, str):
        raise InvalidRequest(400, "'input_channel' must be a string")
    return payload


class ValidatedRestInput(RestInput):
    """Rasa's REST channel at /webhooks/rest/webhook, validated."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(with_safety_net(on_new_message))

        @blueprint.listener("after_server_stop")
        async def close_action_server_connections(*_: Any) -> None:
            await rasa_speedups.close_kept_sessions()

        @blueprint.middleware("request")
        async def validate(request: Request) -> Optional[response.HTTPResponse]:
            if not request.path.endswith("/webhook"):
                return None
            if request.method != "POST":
                return response.json({"error": "use POST"}, status=405)
            try:
                payload = validate_rest_payload(request.body)
            except InvalidRequest as invalid:
                logger.info("rejected a REST request: %s", invalid.error)
                return response.json({"error": invalid.error}, status=invalid.status)
            if not payload["message"].strip():
                empty = responses.text("utter_empty_message")
                return response.json([{"recipient_id": payload["sender"], "text": empty}])
            return None

        return blueprint


class WebSocketOutput(SocketIOOutput):
    """Rasa's socket.io output, but custom payloads arrive as {"custom": {...}}
    (Rasa 3.6 passes them to `emit` as keyword arguments, which fails), and every
    bot_uttered payload carries `lang` ("en"/"es"), the conversation's language,
    so the widget can follow it."""

    lang: Text = "en"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.lang = reply_language(message)
        await super().send_response(recipient_id, message)

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id, {**response, "lang": self.lang})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ValidatedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the same checks as the REST channel."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        answer = with_safety_net(on_new_message)

        async def handle(message: UserMessage) -> None:
            inner = message.output_channel
            if isinstance(inner, SocketIOOutput):
                message.output_channel = WebSocketOutput(inner.sio, inner.bot_message_evt)
            text = message.text
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
                if not (isinstance(text, str) and text.strip()):
                    reply = responses.text("utter_empty_message")
                else:
                    reply = responses.text("utter_message_too_long", language_of(text), max_chars=MAX_MESSAGE_CHARS)
                await message.output_channel.send_response(message.sender_id, {"text": reply})
                return
            await answer(message)

        blueprint = super().blueprint(handle)
        sio = self.sio  # set by Rasa's blueprint()

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            # Replaces Rasa's handler: Rasa 3.6 calls enter_room without await,
            # which python-socketio >= 5.10 made a coroutine, so the socket never
            # joined its session's room and received no replies.
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id or len(session_id) > MAX_SENDER_CHARS:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
