"""Telegram on Rasa's TelegramInput, verified by the setWebhook secret token.

Telegram sends the `secret_token` given to setWebhook back in the header
X-Telegram-Bot-Api-Secret-Token on every update; Rasa does not check it.
"""
import hmac
import json
import logging
from typing import Any, Dict, List, Optional

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.messaging.base import (
    IgnoredWebhook,
    MalformedWebhook,
    Rejection,
    ReplyDelivery,
    VerifiedWebhook,
    field,
    is_webhook_call,
    json_object,
)
from connectors.messaging.formatting import Fits, Reply

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 4096  # UTF-16 code units
CALLBACK_DATA_LIMIT = 64  # bytes
HANDLED_UPDATES = ["message", "edited_message", "callback_query"]


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _server(api_base: Optional[str]) -> TelegramAPIServer:
    return TelegramAPIServer.from_base(api_base.rstrip("/")) if api_base else TELEGRAM_PRODUCTION


class TelegramReplies(ReplyDelivery, TelegramOutput):
    def __init__(self, access_token: Optional[str], api_base: Optional[str] = None) -> None:
        Bot.__init__(self, access_token, server=_server(api_base))
        self._me = None

    async def get_me(self) -> Any:
        # Rasa asks Telegram who the bot is on every webhook call; once is enough.
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    def fits_for(self, recipient_id: str, reply: Reply) -> Fits:
        return lambda text: _utf16_length(text) <= MESSAGE_LIMIT

    async def post(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]]) -> None:
        await self.send_message(recipient_id, text or "Choose one:", reply_markup=_keyboard(buttons))


def _keyboard(buttons: List[Dict[str, Any]]) -> Any:
    if not buttons:
        return None
    if all(len(str(b.get("payload", "")).encode()) <= CALLBACK_DATA_LIMIT for b in buttons):
        # One button a row: titles stay readable on a phone.
        markup = InlineKeyboardMarkup()
        for button in buttons:
            markup.row(InlineKeyboardButton(button["title"], callback_data=button["payload"]))
        return markup
    # A payload too long for callback_data: the tapped title comes back as text.
    markup = ReplyKeyboardMarkup(resize_keyboard=True, one_time_keyboard=True)
    for button in buttons:
        markup.row(KeyboardButton(button["title"]))
    return markup


class TelegramChannel(VerifiedWebhook, TelegramInput):
    """credentials.yml key: connectors.messaging.telegram.TelegramChannel"""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "TelegramChannel":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_base=credentials.get("api_base"),
        )

    def __init__(
        self,
        access_token: Optional[str],
        verify: Optional[str],
        webhook_url: Optional[str],
        secret_token: Optional[str] = None,
        api_base: Optional[str] = None,
        debug_mode: bool = False,
    ) -> None:
        if not secret_token:
            raise RasaException("Telegram needs `secret_token`: without it anyone could post updates.")
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.api_base = api_base

    def get_output_channel(self) -> TelegramReplies:
        # Rasa's version also calls setWebhook here, without the secret token.
        return TelegramReplies(self.access_token, self.api_base)

    def blueprint(self, on_new_message: Any) -> Any:
        blueprint = super().blueprint(on_new_message)
        blueprint.middleware("response")(self._answer_callback_query)
        if self.webhook_url:
            blueprint.listener("after_server_start")(self._register_webhook)
        return blueprint

    async def _answer_callback_query(self, request: Request, reply: HTTPResponse) -> Optional[HTTPResponse]:
        """Stops the spinner on a tapped button: Telegram runs a method given in the webhook's answer."""
        if reply.status != 200 or not is_webhook_call(request):
            return None
        try:
            tap = json_object(request).get("callback_query")
        except MalformedWebhook:
            return None
        if isinstance(tap, dict) and isinstance(tap.get("id"), str):
            return response.json({"method": "answerCallbackQuery", "callback_query_id": tap["id"]})
        return None

    async def _register_webhook(self, *_: Any) -> None:
        bot = TelegramReplies(self.access_token, self.api_base)
        try:
            await bot.request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret_token,
                    # aiogram sends str(value): lists must be JSON already.
                    "allowed_updates": json.dumps(HANDLED_UPDATES),
                },
            )
            logger.info("Telegram webhook registered with its secret token.")
        except Exception as error:  # noqa: BLE001 - the server runs on; see README
            logger.error("Telegram setWebhook failed: %s", type(error).__name__)
        finally:
            await bot.session.close()

    async def guard_other_route(self, request: Request) -> Optional[HTTPResponse]:
        if request.path.rstrip("/").endswith("/set_webhook"):
            # Rasa's unauthenticated route would re-register without the secret.
            return response.json({"error": "not found"}, status=404)
        return None

    def rejection(self, request: Request) -> Optional[Rejection]:
        token = request.headers.get(SECRET_HEADER)
        if not token:
            return Rejection(401, f"missing {SECRET_HEADER}")
        if not hmac.compare_digest(token.encode(), self.secret_token.encode()):
            return Rejection(403, f"wrong {SECRET_HEADER}")
        return None

    async def handle_verified(self, request: Request) -> Optional[HTTPResponse]:
        """A photo, sticker or voice note alone: Rasa would say nothing back."""
        update_id = self.delivery_id(request)  # checks the update's shape
        message = json_object(request).get("message")
        if not isinstance(message, dict) or message.get("text") or message.get("location"):
            return None
        chat_id = str(message["chat"]["id"])
        await self.once(update_id, lambda: self.send_media_only_notice(chat_id))
        return self.acknowledge()

    def delivery_id(self, request: Request) -> Optional[str]:
        update = json_object(request)
        update_id = field(update, "update_id", int, "update", required=True)
        kind = next((k for k in HANDLED_UPDATES if update.get(k) is not None), None)
        if kind is None:
            raise IgnoredWebhook("update type without a user message")
        if kind == "callback_query":
            tap = field(update, kind, dict, "update", required=True)
            field(tap, "id", str, "callback_query", required=True)
            field(tap, "from", dict, "callback_query", required=True)
            if field(tap, "data", str, "callback_query") is None:
                raise IgnoredWebhook("callback without data (a game button)")
            message = field(tap, "message", dict, "callback_query", required=True)
        else:
            message = field(update, kind, dict, "update", required=True)
        _check_message(message, kind)
        if kind == "edited_message" and not message.get("text"):
            raise IgnoredWebhook("edit without text")
        return str(update_id)


def _check_message(message: Dict[str, Any], where: str) -> None:
    """The fields Rasa and aiogram read, with Telegram's types: a chat without
    an id would put everyone in one conversation (telegram:default)."""
    field(message, "message_id", int, where, required=True)
    field(message, "date", int, where, required=True)
    chat = field(message, "chat", dict, where, required=True)
    field(chat, "id", int, f"{where}.chat", required=True)
    field(chat, "type", str, f"{where}.chat")
    sender = field(message, "from", dict, where)
    if sender is not None:
        field(sender, "id", int, f"{where}.from", required=True)
    field(message, "text", str, where)
    location = field(message, "location", dict, where)
    if location is not None:
        field(location, "latitude", (int, float), f"{where}.location", required=True)
        field(location, "longitude", (int, float), f"{where}.location", required=True)
