"""What every verified messaging connector shares.

Each connector subclasses Rasa's own input and output channel and adds:
- `VerifiedWebhook`: a request middleware on Rasa's blueprint that checks the
  platform's signature, the payload's shape and re-deliveries before Rasa's
  handler sees the request, and a wrapper around Rasa's `on_new_message` that
  names the conversation '<channel>:<platform id>' and collects the bot's turn;
- `ReplyDelivery`: sends that turn in an order and shape the channel can show.
"""
import copy
import logging
from typing import Any, Awaitable, Callable, Dict, List, NamedTuple, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.messaging.formatting import Fits, Reply, plan_turn, split_text
from connectors.messaging.store import claim_delivery, release_delivery
from runtime.safety_net import with_safety_net

logger = logging.getLogger(__name__)


class Rejection(NamedTuple):
    status: int
    reason: str


class MalformedWebhook(Exception):
    """The request is signed but is not a payload this connector understands (400)."""


class IgnoredWebhook(Exception):
    """A genuine platform event that has nothing for the bot (acknowledged, 200)."""


class AnsweredWebhook(Exception):
    """A platform handshake the connector answers itself, without Rasa."""

    def __init__(self, answer: HTTPResponse) -> None:
        super().__init__("answered")
        self.answer = answer


def is_webhook_call(request: Request) -> bool:
    return request.path.rstrip("/").endswith("/webhook")


def json_object(request: Request) -> Dict[str, Any]:
    try:
        body = request.json
    except Exception as error:  # sanic raises InvalidUsage on broken JSON
        raise MalformedWebhook("body is not JSON") from error
    if not isinstance(body, dict):
        raise MalformedWebhook("body is not a JSON object")
    return body


class TurnRecorder(OutputChannel):
    """Stands in for the real output channel while Rasa handles one message."""

    def __init__(self, channel_name: str) -> None:
        super().__init__()
        self.channel_name = channel_name
        self.messages: List[Dict[str, Any]] = []

    def name(self) -> str:  # type: ignore[override]
        # Rasa picks channel-specific response variations by this name.
        return self.channel_name

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.messages.append(copy.deepcopy(message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})


class ReplyDelivery:
    """Mixin for a Rasa output channel: post a planned turn within the channel's limits."""

    def fits_for(self, recipient_id: str, reply: Reply) -> Fits:
        raise NotImplementedError

    async def post(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]]) -> None:
        raise NotImplementedError

    async def resolve_choice(self, conversation_id: str, text: Optional[str]) -> Optional[str]:
        """Channels without buttons map a typed option number back to its payload."""
        return text

    def arrange(self, replies: List[Reply]) -> List[Reply]:
        """Last say over the planned replies of a turn (SMS joins the crisis text)."""
        return replies

    async def deliver_turn(
        self, recipient_id: str, conversation_id: str, messages: List[Dict[str, Any]]
    ) -> None:
        for reply in self.arrange(plan_turn(messages)):
            await self.deliver(recipient_id, conversation_id, reply)

    async def deliver(self, recipient_id: str, conversation_id: str, reply: Reply) -> None:
        chunks = split_text(reply.text, self.fits_for(recipient_id, reply)) or [""]
        for index, chunk in enumerate(chunks):
            buttons = reply.buttons if index == len(chunks) - 1 else []
            try:
                await self.post(recipient_id, chunk, buttons)
            except Exception as error:  # noqa: BLE001 - one failed post must not drop the rest
                logger.error("Posting a reply to %s failed: %s", self.name(), type(error).__name__)


class VerifiedWebhook:
    """Mixin placed before Rasa's InputChannel subclass (see module docstring)."""

    # Only Facebook answers GET on /webhook (its subscription handshake).
    allows_get_on_webhook = False

    def rejection(self, request: Request) -> Optional[Rejection]:
        """None if the request carries the platform's valid signature."""
        raise NotImplementedError

    def delivery_id(self, request: Request) -> Optional[str]:
        """The platform's id for this message; raises Malformed/IgnoredWebhook."""
        raise NotImplementedError

    def reply_channel(self, message: UserMessage) -> ReplyDelivery:
        return message.output_channel

    def acknowledge(self) -> HTTPResponse:
        """What the platform gets for a re-delivered or ignored event."""
        return response.json({"status": "ok"})

    async def guard_other_route(self, request: Request) -> Optional[HTTPResponse]:
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(self._as_conversation(on_new_message))  # type: ignore[misc]
        blueprint.middleware("request")(self._guard)
        blueprint.middleware("response")(self._release_failed_delivery)
        return blueprint

    async def _guard(self, request: Request) -> Optional[HTTPResponse]:
        if not is_webhook_call(request):
            return await self.guard_other_route(request)
        if request.method != "POST":
            if request.method == "GET" and self.allows_get_on_webhook:
                return None
            return response.json({"error": "method not allowed"}, status=405)

        try:
            rejection = self.rejection(request)
        except Exception as error:  # noqa: BLE001 - a check that crashes rejects
            rejection = Rejection(403, f"signature check failed ({type(error).__name__})")
        if rejection:
            # Never the body or headers: they carry what people wrote.
            logger.warning("Rejected %s webhook call: %s.", self.name(), rejection.reason)
            return response.json({"error": rejection.reason}, status=rejection.status)

        try:
            delivery_id = self.delivery_id(request)
        except MalformedWebhook as error:
            logger.warning("Malformed %s webhook call: %s.", self.name(), error)
            return response.json({"error": str(error)}, status=400)
        except IgnoredWebhook as error:
            logger.debug("Ignored %s webhook call: %s.", self.name(), error)
            return self.acknowledge()
        except AnsweredWebhook as handshake:
            return handshake.answer

        if delivery_id:
            key = f"{self.name()}:{delivery_id}"
            if not await claim_delivery(key):
                logger.info("Ignored a re-delivered %s webhook call.", self.name())
                return self.acknowledge()
            request.ctx.delivery_key = key
        return None

    async def _release_failed_delivery(self, request: Request, reply: HTTPResponse) -> None:
        key = getattr(request.ctx, "delivery_key", None)
        if key and reply.status >= 500:
            await release_delivery(key)

    def _as_conversation(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[UserMessage], Awaitable[Any]]:
        answer = with_safety_net(on_new_message)

        async def handle(message: UserMessage) -> None:
            platform_id = str(message.sender_id)
            conversation_id = f"{self.name()}:{platform_id}"
            replies = self.reply_channel(message)
            message.text = await replies.resolve_choice(conversation_id, message.text)
            recorder = TurnRecorder(self.name())
            message.sender_id = conversation_id
            message.output_channel = recorder
            try:
                # The safety net adds a fallback when an action failed or nothing was said.
                await answer(message)
            finally:
                # The whole turn is known here, so the crisis text can go first.
                await replies.deliver_turn(platform_id, conversation_id, recorder.messages)

        return handle
