"""Facebook Messenger on Rasa's FacebookInput, verified by X-Hub-Signature-256.

Rasa 3.6 only checks the legacy SHA-1 header X-Hub-Signature (and with a
plain ==), answers its handshake with any verify token, stops at a batch's first
event and fails on fields of the wrong type. Here the HMAC-SHA256 of the raw
body with the app secret must match X-Hub-Signature-256, and the events are
read and answered by this module (Rasa's FacebookInput gives the credentials).
"""
import asyncio
import functools
import hashlib
import hmac
import logging
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from fbmessenger import MessengerClient
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.messaging.base import (
    MalformedWebhook,
    Rejection,
    ReplyDelivery,
    VerifiedWebhook,
    field,
    json_object,
    list_of,
)
from connectors.messaging.formatting import Fits, Reply, max_length

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
# fbmessenger defaults to Graph v2.12, long retired.
DEFAULT_GRAPH_API_BASE = "https://graph.facebook.com/v21.0"
TEXT_LIMIT = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE_LIMIT = 20


def _short_title(title: str) -> str:
    return title if len(title) <= QUICK_REPLY_TITLE_LIMIT else title[: QUICK_REPLY_TITLE_LIMIT - 1] + "…"


class MessengerReplies(ReplyDelivery, MessengerBot):
    def __init__(self, page_access_token: str, graph_api_base: Optional[str] = None) -> None:
        client = MessengerClient(page_access_token)
        client.graph_url = (graph_api_base or DEFAULT_GRAPH_API_BASE).rstrip("/")
        super().__init__(client)

    def fits_for(self, recipient_id: str, reply: Reply) -> Fits:
        return max_length(TEXT_LIMIT)

    async def post(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]]) -> None:
        message: Dict[str, Any] = {"text": text or "Choose one:"}
        if buttons:
            message["quick_replies"] = [
                {"content_type": "text", "title": _short_title(b["title"]), "payload": b["payload"]}
                for b in buttons[:MAX_QUICK_REPLIES]
            ]
        # fbmessenger is a blocking `requests` client: keep it off the event loop.
        await asyncio.to_thread(self.messenger_client.send, message, recipient_id, "RESPONSE")


class MessengerEvent(NamedTuple):
    """One messaging event of a webhook call that the bot answers."""

    delivery_key: str
    sender_id: str
    text: Optional[str]  # None: attachments only (a photo, a sticker)


def _event_key(sender_id: str, event: Dict[str, Any], mid: Any) -> str:
    if isinstance(mid, str) and mid:
        return f"mid:{mid}"
    return f"event:{sender_id}:{event.get('timestamp')}"


def read_event(event: Any) -> Optional[MessengerEvent]:
    """The event's message for the bot, None if it has none (an echo, a read
    receipt), or MalformedWebhook if a field has the wrong type."""
    if not isinstance(event, dict):
        raise MalformedWebhook("messaging event is not an object")
    message = field(event, "message", dict, "event")
    postback = field(event, "postback", dict, "event")
    if message is None and postback is None:
        return None  # delivery, read, reaction...
    sender = field(event, "sender", dict, "event", required=True)
    sender_id = field(sender, "id", str, "event.sender", required=True)
    if postback is not None:
        payload = field(postback, "payload", str, "postback", required=True)
        return MessengerEvent(_event_key(sender_id, event, field(postback, "mid", str, "postback")), sender_id, payload)
    if message.get("is_echo"):
        return None  # the page's own message
    mid = field(message, "mid", str, "message")
    text = field(message, "text", str, "message")
    quick_reply = field(message, "quick_reply", dict, "message")
    attachments = field(message, "attachments", list, "message")
    if attachments is not None:
        list_of(attachments, dict, "message.attachments")
    if quick_reply is not None:
        text = field(quick_reply, "payload", str, "message.quick_reply", required=True)
    if text is None and not attachments:
        return None
    return MessengerEvent(_event_key(sender_id, event, mid), sender_id, text)


def read_batch(body: Dict[str, Any]) -> Tuple[List[MessengerEvent], List[str]]:
    """Every event of a webhook call for the bot, in order (Meta may batch
    several), and what was wrong with the ones that could not be read."""
    if body.get("object") != "page" or not isinstance(body.get("entry"), list):
        raise MalformedWebhook("not a page subscription event")
    events: List[MessengerEvent] = []
    errors: List[str] = []
    for entry in body["entry"]:
        try:
            if not isinstance(entry, dict):
                raise MalformedWebhook("entry is not an object")
            messaging = entry.get("messaging") or []
            if not isinstance(messaging, list):
                raise MalformedWebhook("entry.messaging is not a list")
        except MalformedWebhook as error:
            errors.append(str(error))
            continue
        for event in messaging:
            try:
                read = read_event(event)
            except MalformedWebhook as error:
                errors.append(str(error))
                continue
            if read is not None:
                events.append(read)
    return events, errors


class FacebookChannel(VerifiedWebhook, FacebookInput):
    """credentials.yml key: connectors.messaging.facebook.FacebookChannel

    A webhook call is answered here, event by event: each new message (by its
    `mid`) is answered exactly once, whatever else the batch holds; events of
    the wrong shape make the call a 400 after the valid ones were answered."""

    allows_get_on_webhook = True  # the hub.verify_token handshake
    graph_api_base: Optional[str] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "FacebookChannel":
        channel = super().from_credentials(credentials)
        channel.graph_api_base = (credentials or {}).get("graph_api_base")
        return channel

    def get_output_channel(self) -> MessengerReplies:
        return MessengerReplies(self.fb_access_token, self.graph_api_base)

    def reply_channel(self, message: UserMessage) -> ReplyDelivery:
        return self.get_output_channel()

    async def guard_other_route(self, request: Request) -> Optional[HTTPResponse]:
        return None

    def rejection(self, request: Request) -> Optional[Rejection]:
        if request.method == "GET":
            return None  # the handshake proves itself with the verify token
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return Rejection(401, f"missing {SIGNATURE_HEADER}")
        expected = "sha256=" + hmac.new(
            self.fb_secret.encode(), request.body, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return Rejection(403, f"wrong {SIGNATURE_HEADER}")
        return None

    async def handle_verified(self, request: Request) -> Optional[HTTPResponse]:
        if request.method == "GET":
            return self._verify_subscription(request)
        events, errors = read_batch(json_object(request))
        for event in events:
            await self.once(event.delivery_key, functools.partial(self._answer, event))
        if errors:
            logger.warning("Malformed %s events in a webhook call: %s.", self.name(), "; ".join(errors))
            return response.json({"error": "; ".join(errors), "answered": len(events)}, status=400)
        return response.text("success")

    async def _answer(self, event: MessengerEvent) -> None:
        if event.text is None:
            await self.send_media_only_notice(event.sender_id)
            return
        await self.answer_message(UserMessage(event.text, None, event.sender_id, input_channel=self.name()))

    def _verify_subscription(self, request: Request) -> HTTPResponse:
        """Meta's webhook set-up: hub.mode=subscribe with our verify token."""
        mode = request.args.get("hub.mode")
        token = request.args.get("hub.verify_token") or ""
        if mode != "subscribe":
            return response.json({"error": "hub.mode must be subscribe"}, status=403)
        if not hmac.compare_digest(token.encode(), (self.fb_verify or "").encode()):
            return response.json({"error": "wrong hub.verify_token"}, status=403)
        return response.text(request.args.get("hub.challenge") or "")
