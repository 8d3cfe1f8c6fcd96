"""SMS and WhatsApp through Twilio on Rasa's TwilioInput, verified by X-Twilio-Signature.

Twilio signs the exact public URL it called plus the POST parameters. Behind a
proxy or TLS terminator the URL Rasa sees differs. The signed URL is, in order:
`webhook_url` (env TWILIO_WEBHOOK_URL) if set; the X-Forwarded-Proto/-Host the
proxy set, when the request comes from one of `trusted_proxies` (env
TWILIO_TRUSTED_PROXIES: addresses or networks, comma-separated); else the URL
Rasa sees. Forwarded headers from anyone else are ignored.
"""
import asyncio
import ipaddress
import logging
from typing import Any, Dict, List, Optional, Sequence, Union
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from connectors.messaging.base import (
    MalformedWebhook,
    Rejection,
    ReplyDelivery,
    VerifiedWebhook,
)
from connectors.messaging.formatting import (
    Fits,
    Reply,
    chosen_payload,
    max_length,
    max_sms_segments,
    numbered_options,
    sms_plain,
)
from connectors.messaging.store import offered_choices, remember_choices

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
BODY_LIMIT = 1600  # Twilio's limit for one message, SMS (concatenated) or WhatsApp
DEFAULT_MAX_SEGMENTS = 3
WHATSAPP = "whatsapp:"
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


class TwilioReplies(ReplyDelivery, TwilioOutput):
    def __init__(
        self,
        account_sid: Optional[str],
        auth_token: Optional[str],
        twilio_number: Optional[str],
        api_base: Optional[str] = None,
        max_segments: int = DEFAULT_MAX_SEGMENTS,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_base:
            self.api.base_url = api_base.rstrip("/")
        self.max_segments = max_segments

    def fits_for(self, recipient_id: str, reply: Reply) -> Fits:
        if recipient_id.startswith(WHATSAPP) or reply.urgent:
            # Crisis text stays one message: the phone joins its segments.
            return max_length(BODY_LIMIT)
        return max_sms_segments(self.max_segments)

    def arrange(self, replies: List[Reply]) -> List[Reply]:
        # Separate SMS can arrive out of order; one message's segments cannot.
        urgent = [reply for reply in replies if reply.urgent]
        joined = "\n\n".join(reply.text for reply in urgent)
        if len(urgent) < 2 or len(joined) > BODY_LIMIT:
            return replies
        return [Reply(joined, [], urgent=True, lang=urgent[0].lang)] + [reply for reply in replies if not reply.urgent]

    async def resolve_choice(self, conversation_id: str, text: Optional[str]) -> Optional[str]:
        payload = chosen_payload(text, await offered_choices(conversation_id))
        return payload or text

    async def deliver_turn(
        self, recipient_id: str, conversation_id: str, messages: List[Dict[str, Any]]
    ) -> None:
        if not any(m.get("buttons") or m.get("quick_replies") for m in messages):
            await remember_choices(conversation_id, [])  # a later '1' is just text again
        await super().deliver_turn(recipient_id, conversation_id, messages)

    async def deliver(self, recipient_id: str, conversation_id: str, reply: Reply) -> None:
        text = reply.text
        if reply.buttons:
            await remember_choices(conversation_id, [b["payload"] for b in reply.buttons])
            text = f"{text}\n\n{numbered_options(reply.buttons, reply.lang)}".strip()
        if not recipient_id.startswith(WHATSAPP):
            text = sms_plain(text)
        await super().deliver(recipient_id, conversation_id, Reply(text, [], reply.urgent, reply.lang))

    async def post(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]]) -> None:
        sender = self.twilio_number or ""
        if recipient_id.startswith(WHATSAPP) and not sender.startswith(WHATSAPP):
            sender = WHATSAPP + sender
        elif not recipient_id.startswith(WHATSAPP):
            sender = sender.replace(WHATSAPP, "")
        # twilio's client is blocking `requests`: keep it off the event loop.
        await asyncio.to_thread(self.messages.create, to=recipient_id, from_=sender, body=text)


class TwilioChannel(VerifiedWebhook, TwilioInput):
    """credentials.yml key: connectors.messaging.twilio.TwilioChannel"""

    webhook_url: Optional[str] = None
    api_base: Optional[str] = None
    max_segments: int = DEFAULT_MAX_SEGMENTS
    trusted_proxies: Sequence[Network] = ()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "TwilioChannel":
        channel = super().from_credentials(credentials)
        credentials = credentials or {}
        channel.webhook_url = credentials.get("webhook_url")
        channel.api_base = credentials.get("api_base")
        channel.max_segments = int(credentials.get("max_segments") or DEFAULT_MAX_SEGMENTS)
        channel.trusted_proxies = parse_networks(credentials.get("trusted_proxies"))
        channel.debug_mode = False  # a failing turn is logged, not answered with a 500
        return channel

    def get_output_channel(self) -> TwilioReplies:
        return TwilioReplies(
            self.account_sid, self.auth_token, self.twilio_number, self.api_base, self.max_segments
        )

    def acknowledge(self) -> HTTPResponse:
        return response.empty()  # 204, as Rasa answers Twilio

    def rejection(self, request: Request) -> Optional[Rejection]:
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return Rejection(401, f"missing {SIGNATURE_HEADER}")
        url = self.webhook_url or signed_url(request, self.trusted_proxies)
        if not RequestValidator(self.auth_token).validate(url, _form(request), signature):
            return Rejection(403, f"wrong {SIGNATURE_HEADER}")
        return None

    async def handle_verified(self, request: Request) -> Optional[HTTPResponse]:
        form = _form(request)
        sid = (form.get("MessageSid") or form.get("SmsMessageSid") or [""])[0]
        sender = (form.get("From") or [""])[0]
        if not sid or not sender:
            raise MalformedWebhook("message without MessageSid or From")
        has_location = form.get("Latitude") and form.get("Longitude")
        if (form.get("Body") or [""])[0].strip() or has_location:
            return None  # Rasa's handler runs the turn (delivery_id de-duplicates)
        # A photo alone (or an empty message): Rasa's handler would fail on it.
        await self.once(f"sid:{sid}", lambda: self.send_media_only_notice(sender))
        return self.acknowledge()

    def delivery_id(self, request: Request) -> Optional[str]:
        form = _form(request)
        return f"sid:{(form.get('MessageSid') or form.get('SmsMessageSid'))[0]}"


def parse_networks(value: Optional[str]) -> List[Network]:
    """'127.0.0.1, 10.0.0.0/8' -> networks; a bad entry stops the server at start."""
    return [ipaddress.ip_network(part.strip(), strict=False) for part in (value or "").split(",") if part.strip()]


def signed_url(request: Request, trusted_proxies: Sequence[Network]) -> str:
    """The URL Twilio called: as the trusted proxy forwarded it, else as Rasa sees it."""
    url = request.url
    peer = request.conn_info.client_ip if request.conn_info else ""
    try:
        trusted = any(ipaddress.ip_address(peer) in network for network in trusted_proxies)
    except ValueError:
        trusted = False
    if not trusted:
        return url
    proto = (request.headers.get("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    host = (request.headers.get("X-Forwarded-Host") or "").split(",")[0].strip()
    parts = urlsplit(url)
    return urlunsplit((
        proto if proto in ("http", "https") else parts.scheme,
        host or parts.netloc,
        parts.path,
        parts.query,
        "",
    ))


class _FormParameters(dict):
    """POST parameters as Twilio signs them: every one, blank values included
    (Sanic's request.form drops blank ones, e.g. FromCity=, and the signature
    would never match)."""

    def getlist(self, name: str) -> List[str]:
        return self[name]


def _form(request: Request) -> _FormParameters:
    if not hasattr(request.ctx, "twilio_form"):
        params = _FormParameters()
        if (request.content_type or "").startswith("application/x-www-form-urlencoded"):
            for name, value in parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True):
                params.setdefault(name, []).append(value)
        request.ctx.twilio_form = params
    return request.ctx.twilio_form
