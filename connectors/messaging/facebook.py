"""Facebook Messenger on Rasa's FacebookInput, verified by X-Hub-Signature-256.

Rasa 3.6 only checks the legacy SHA-1 header X-Hub-Signature (and with a
plain ==). Here the HMAC-SHA256 of the raw body with the app secret must match
X-Hub-Signature-256 before Rasa sees the request.
"""
import asyncio
import hashlib
import hmac
import logging
from typing import Any, Dict, Iterator, List, Optional

import rasa.core.channels.facebook as rasa_facebook
from fbmessenger import MessengerClient
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic.request import Request

from connectors.messaging.base import (
    IgnoredWebhook,
    MalformedWebhook,
    Rejection,
    ReplyDelivery,
    VerifiedWebhook,
    json_object,
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


def _messaging_events(body: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    """Every messaging event of a webhook call, in order (Meta may batch several)."""
    for entry in body["entry"]:
        yield from (entry or {}).get("messaging") or []


class _MessengerWithoutSenderActions(Messenger):
    """Rasa's Messenger parser, minus its typing/seen calls, for every event.

    Typing/seen calls go through a blocking client fixed to graph.facebook.com;
    the reply itself is sent by MessengerReplies (see FacebookChannel.reply_channel).
    """

    async def handle(self, payload: Dict[str, Any], metadata: Optional[Dict[str, Any]]) -> None:
        # Rasa's version returns after the first event; each event is a turn.
        for event in _messaging_events(payload):
            self.last_message = event
            if event.get("message"):
                await self.message(event, metadata)
            elif event.get("postback"):
                await self.postback(event, metadata)

    async def _handle_user_message(
        self, text: str, sender_id: str, metadata: Optional[Dict[str, Any]]
    ) -> None:
        await self.on_new_message(
            UserMessage(text, None, sender_id, input_channel=self.name(), metadata=metadata)
        )


class FacebookChannel(VerifiedWebhook, FacebookInput):
    """credentials.yml key: connectors.messaging.facebook.FacebookChannel"""

    allows_get_on_webhook = True  # hub.verify_token handshake, answered by Rasa
    graph_api_base: Optional[str] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "FacebookChannel":
        channel = super().from_credentials(credentials)
        channel.graph_api_base = (credentials or {}).get("graph_api_base")
        return channel

    def blueprint(self, on_new_message: Any) -> Any:
        # Rasa's webhook looks `Messenger` up in its module at call time.
        rasa_facebook.Messenger = _MessengerWithoutSenderActions
        return super().blueprint(on_new_message)

    def get_output_channel(self) -> MessengerReplies:
        return MessengerReplies(self.fb_access_token, self.graph_api_base)

    def reply_channel(self, message: UserMessage) -> ReplyDelivery:
        return self.get_output_channel()

    def rejection(self, request: Request) -> Optional[Rejection]:
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return Rejection(401, f"missing {SIGNATURE_HEADER}")
        expected = "sha256=" + hmac.new(
            self.fb_secret.encode(), request.body, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return Rejection(403, f"wrong {SIGNATURE_HEADER}")
        # Rasa then re-checks the header named X-Hub-Signature; it accepts "sha256=".
        request.headers["X-Hub-Signature"] = signature
        return None

    def delivery_id(self, request: Request) -> Optional[str]:
        body = json_object(request)
        if body.get("object") != "page" or not isinstance(body.get("entry"), list):
            raise MalformedWebhook("not a page subscription event")
        # The whole batch is one delivery, keyed by its first event for the bot.
        for event in _messaging_events(body):
            if isinstance(event.get("message"), dict):
                message = event["message"]
                if message.get("is_echo") or not (
                    message.get("text") or message.get("quick_reply") or message.get("attachments")
                ):
                    continue  # the page's own echo, or nothing for the bot
                return _event_key(event, message.get("mid"))
            if isinstance(event.get("postback"), dict):
                return _event_key(event, event["postback"].get("mid"))
        raise IgnoredWebhook("no message or postback for the bot (echo, delivery or read receipt)")


def _event_key(event: Dict[str, Any], mid: Optional[str]) -> str:
    if not isinstance((event.get("sender") or {}).get("id"), str):
        raise MalformedWebhook("messaging event without sender.id")
    return f"mid:{mid}" if mid else f"event:{event['sender']['id']}:{event.get('timestamp')}"
