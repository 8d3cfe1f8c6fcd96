"""The web channels (REST and socket.io) with input validation and the safety net.

Both subclass Rasa's own connectors and only add what Rasa leaves out: a
malformed request gets a 4xx JSON error instead of a 500, an empty message
gets a polite prompt, and a turn that produced nothing gets a fallback.

Conversation ids are issued by the server (connectors/web_ids.py): a web
request speaks only in a `web:` conversation whose signed id it was given, never
in another channel's (`twilio:+1...`) or in a web id it made up. REST: omit
`sender` to get a new id (the replies' `recipient_id`), or get one from
POST /webhooks/rest/conversations. socket.io: `session_request` confirms the
stored id if it is valid, else issues a new one; a socket's messages always go
to the conversation its session was confirmed for, whatever `session_id` they name.
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
from connectors import feedback, web_ids
from connectors.from_domain import as_visitor_text, button_payloads
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
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: a body nested thousands of levels deep.
        raise InvalidRequest(400, "body is not valid JSON (or nested too deeply)")
    if not isinstance(payload, dict):
        raise InvalidRequest(400, "body must be a JSON object with 'sender' and 'message'")
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
    sender = payload.get("sender")
    if sender is None:
        payload["sender"] = web_ids.issue()
    elif not isinstance(sender, str) or len(sender) > MAX_SENDER_CHARS or not web_ids.is_issued(sender):
        raise InvalidRequest(
            400,
            "'sender' must be a conversation id this server issued: omit 'sender' to start a "
            "conversation and use the replies' 'recipient_id' from then on",
        )
    # Rasa would take the channel's name from the body: the console tells
    # channels apart by it, so a web request cannot claim to be another channel.
    payload.pop("input_channel", None)
    payload["message"] = as_visitor_text(message)
    return payload


class ValidatedRestInput(RestInput):
    """Rasa's REST channel at /webhooks/rest/webhook, validated."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(with_safety_net(on_new_message))
        button_payloads()  # read at start-up, not on a visitor's first message

        @blueprint.listener("after_server_stop")
        async def close_action_server_connections(*_: Any) -> None:
            await rasa_speedups.close_kept_sessions()

        @blueprint.route("/conversations", methods=["POST"])
        async def new_conversation(_: Request) -> response.HTTPResponse:
            return response.json({"sender": web_ids.issue()})

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
            # Rasa's handler reads request.json: give it the checked payload
            # (with the issued sender and the message as the visitor's text).
            request.parsed_json = payload
            return None

        return blueprint


class WebSocketOutput(SocketIOOutput):
    """Rasa's socket.io output, but custom payloads arrive as {"custom": {...}}
    (Rasa 3.6 passes them to `emit` as keyword arguments, which fails), and every
    bot_uttered payload carries `lang` ("en"/"es"), the conversation's language,
    so the widget can follow it, and an `id` of its own: every tab of the
    visitor receives the room's messages, and the id lets them store each once."""

    lang: Text = "en"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.lang = reply_language(message)
        await super().send_response(recipient_id, message)

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id, {**response, "lang": self.lang, "id": uuid.uuid4().hex})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ValidatedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the same checks as the REST channel."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        answer = with_safety_net(on_new_message)
        # socket id -> the conversation id confirmed to that socket.
        confirmed: Dict[Text, Text] = {}

        async def handle(message: UserMessage) -> None:
            inner = message.output_channel
            if isinstance(inner, SocketIOOutput):
                message.output_channel = WebSocketOutput(inner.sio, inner.bot_message_evt)
            text = message.text = as_visitor_text(message.text)
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
        feedback.register(blueprint, sio, self.namespace, self.session_persistence)

        async def confirm_session(sid: Text, requested: Any) -> Text:
            # A stored id is kept only if this server issued it; anything else
            # (another channel's id, a made-up one) gets a new conversation.
            session_id = requested if web_ids.is_issued(requested) else web_ids.issue()
            previous = confirmed.get(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            confirmed[sid] = session_id
            # Replies are emitted to the conversation's room. (Rasa 3.6 calls
            # enter_room without await, which python-socketio >= 5.10 made a
            # coroutine, so its sockets never joined and received no replies.)
            await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            return session_id

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            await confirm_session(sid, data.get("session_id") if isinstance(data, dict) else None)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: Text, data: Any) -> None:
            # Replaces Rasa's handler, which takes the conversation from the
            # message's own `session_id` field: any socket could speak in any one.
            data = data if isinstance(data, dict) else {}
            session_id = confirmed.get(sid) or await confirm_session(sid, data.get("session_id"))
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except (ValueError, RecursionError):
                    metadata = None
            message = data.get("message")
            await handle(
                UserMessage(
                    message if isinstance(message, str) else "",
                    SocketIOOutput(sio, self.bot_message_evt),
                    session_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text, *_: Any) -> None:
            confirmed.pop(sid, None)

        return blueprint
