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

from connectors.from_domain import as_visitor_text, button_payloads, media_only_notice
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
    except Exception as error:  # InvalidUsage on broken JSON, RecursionError when nested deep
        raise MalformedWebhook("body is not JSON (or nested too deeply)") from error
    if not isinstance(body, dict):
        raise MalformedWebhook("body is not a JSON object")
    return body


def field(container: Dict[str, Any], name: str, kinds: Any, where: str, required: bool = False) -> Any:
    """container[name] if it has one of `kinds` (None if absent and optional), else MalformedWebhook."""
    if name not in container and not required:
        return None
    value = container.get(name)  # an explicit null is a wrong type too
    # bool is an int in Python, but never a valid id, date or text.
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise MalformedWebhook(f"{where}.{name} missing or of the wrong type")
    return value


def list_of(value: Any, kinds: Any, where: str) -> List[Any]:
    if not isinstance(value, list) or not all(isinstance(item, kinds) for item in value):
        raise MalformedWebhook(f"{where} must be a list of {getattr(kinds, '__name__', 'objects')}")
    return value


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

    async def handle_verified(self, request: Request) -> Optional[HTTPResponse]:
        """A connector that answers a verified call itself (not through Rasa's
        handler) returns the response here; None lets Rasa's handler run."""
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        self.answer_message = self._as_conversation(on_new_message)
        button_payloads()  # read at start-up, not on a visitor's first message
        blueprint = super().blueprint(self.answer_message)  # type: ignore[misc]
        blueprint.middleware("request")(self._guard)
        blueprint.middleware("response")(self._release_failed_delivery)
        return blueprint

    async def _guard(self, request: Request) -> Optional[HTTPResponse]:
        if not is_webhook_call(request):
            return await self.guard_other_route(request)
        if request.method != "POST" and not (request.method == "GET" and self.allows_get_on_webhook):
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
            handled = await self.handle_verified(request)
            if handled is not None:
                return handled
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

    async def once(self, delivery_key: str, work: Callable[[], Awaitable[Any]]) -> None:
        """Runs `work` for one platform message unless it already ran.

        The ledger (connectors/messaging/store.py) is the source of truth: the
        key stays claimed once the work ran, and work that raised frees it so
        that the platform's retry is answered."""
        key = f"{self.name()}:{delivery_key}"
        if not await claim_delivery(key):
            logger.info("Ignored a re-delivered %s message.", self.name())
            return
        try:
            await work()
        except Exception:
            await release_delivery(key)
            raise

    async def send_media_only_notice(self, platform_id: str) -> None:
        """A message with nothing to read (a photo alone) still gets an answer."""
        replies = self.get_output_channel()  # type: ignore[attr-defined]
        await replies.deliver_turn(platform_id, f"{self.name()}:{platform_id}", [{"text": media_only_notice()}])

    def _as_conversation(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[UserMessage], Awaitable[Any]]:
        answer = with_safety_net(on_new_message)

        async def handle(message: UserMessage) -> None:
            platform_id = str(message.sender_id)
            conversation_id = f"{self.name()}:{platform_id}"
            replies = self.reply_channel(message)
            message.text = as_visitor_text(await replies.resolve_choice(conversation_id, message.text))
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
