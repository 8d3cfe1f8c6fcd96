"""Slack on Rasa's SlackInput, verified with the app's signing secret.

Rasa checks the v0 signature too, but answers 400 and only after reading the
body; here a request without a fresh, valid signature never reaches Rasa, and
re-deliveries (X-Slack-Retry-Num) are dropped by the event's event_id when
that event was answered, and answered when it was not.
"""
import json
import logging
import time
from typing import Any, Dict, List, Optional

from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from connectors.messaging.base import (
    AnsweredWebhook,
    IgnoredWebhook,
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

TEXT_LIMIT = 40000
BLOCK_TEXT_LIMIT = 3000
MAX_BUTTONS = 25  # elements of one actions block
BUTTON_TITLE_LIMIT = 75
REPLAY_WINDOW_SECONDS = 5 * 60


class SlackReplies(ReplyDelivery, SlackBot):
    def __init__(
        self,
        token: str,
        slack_channel: Optional[str] = None,
        thread_id: Optional[str] = None,
        proxy: Optional[str] = None,
        api_base: Optional[str] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_base:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_base.rstrip("/") + "/")

    def fits_for(self, recipient_id: str, reply: Reply) -> Fits:
        return max_length(BLOCK_TEXT_LIMIT if reply.buttons else TEXT_LIMIT)

    async def post(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]]) -> None:
        channel = self.slack_channel or recipient_id
        if not buttons:
            await self._post_message(channel=channel, text=text)
            return
        blocks: List[Dict[str, Any]] = []
        if text:
            blocks.append({"type": "section", "text": {"type": "plain_text", "text": text}})
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"choice_{index}",
                        "text": {"type": "plain_text", "text": button["title"][:BUTTON_TITLE_LIMIT]},
                        "value": button["payload"],
                    }
                    for index, button in enumerate(buttons[:MAX_BUTTONS])
                ],
            }
        )
        await self._post_message(channel=channel, text=text or "Choose one:", blocks=blocks)


class SlackChannel(VerifiedWebhook, SlackInput):
    """credentials.yml key: connectors.messaging.slack.SlackChannel"""

    api_base: Optional[str] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "SlackChannel":
        channel = super().from_credentials(credentials)
        channel.api_base = (credentials or {}).get("api_base")
        # Rasa drops every retry whose reason is "http_timeout", even of an event
        # it never answered; the delivery ledger decides instead (answered once).
        channel.errors_ignore_retry = ()
        return channel

    def get_output_channel(
        self, channel: Optional[str] = None, thread_id: Optional[str] = None
    ) -> SlackReplies:
        return SlackReplies(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_base
        )

    def acknowledge(self) -> HTTPResponse:
        return response.json({"status": "ok"}, headers={"X-Slack-No-Retry": "1"})

    def rejection(self, request: Request) -> Optional[Rejection]:
        signature = request.headers.get("X-Slack-Signature")
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        if not signature or not timestamp:
            return Rejection(401, "missing X-Slack-Signature or X-Slack-Request-Timestamp")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > REPLAY_WINDOW_SECONDS:
            return Rejection(403, "X-Slack-Request-Timestamp outside the replay window")
        if not self.is_request_from_slack_authentic(request):
            return Rejection(403, "wrong X-Slack-Signature")
        return None

    def delivery_id(self, request: Request) -> Optional[str]:
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
        if content_type == "application/json":
            body = json_object(request)
            if body.get("type") == "url_verification":
                # Rasa answers with a bare JSON string, which Slack does not accept.
                raise AnsweredWebhook(response.json({"challenge": str(body.get("challenge", ""))}))
            event_id = field(body, "event_id", str, "event_callback", required=True)
            _check_event(body)
            return f"event:{event_id}"
        if content_type == "application/x-www-form-urlencoded":
            try:
                payload = json.loads(request.form.get("payload", ""))
            except (TypeError, ValueError, RecursionError) as error:
                raise MalformedWebhook("form without a JSON payload") from error
            if not isinstance(payload, dict):
                raise MalformedWebhook("interaction payload is not an object")
            action = _check_interaction(payload)
            return f"action:{payload.get('trigger_id') or action.get('action_ts')}"
        raise MalformedWebhook("unsupported content type")


def _check_event(body: Dict[str, Any]) -> None:
    """The fields Rasa's SlackInput reads, with Slack's types."""
    event = field(body, "event", dict, "event_callback", required=True)
    for name in ("type", "text", "user", "channel", "ts", "thread_ts"):
        field(event, name, str, "event")
    if event.get("type") in ("message", "app_mention") and event.get("text") and not event.get("bot_id"):
        field(event, "user", str, "event", required=True)
    authed_users = field(body, "authed_users", list, "event_callback")
    if authed_users is not None:
        list_of(authed_users, str, "authed_users")
    authorizations = field(body, "authorizations", list, "event_callback")
    if authorizations:
        list_of(authorizations, dict, "authorizations")
        field(authorizations[0], "user_id", str, "authorizations[0]")


def _check_interaction(payload: Dict[str, Any]) -> Dict[str, Any]:
    """A button click as the assistant's buttons send it; the first action."""
    actions = field(payload, "actions", list, "interaction")
    if not actions:
        raise IgnoredWebhook("interaction without actions")
    list_of(actions, dict, "actions")
    action = actions[0]
    if field(action, "type", str, "actions[0]") != "button" or field(action, "value", str, "actions[0]") is None:
        raise IgnoredWebhook("interaction that is not a button with a value")
    user = field(payload, "user", dict, "interaction", required=True)
    field(user, "id", str, "user", required=True)
    channel = field(payload, "channel", dict, "interaction")
    if channel is not None:
        field(channel, "id", str, "channel")
    message = field(payload, "message", dict, "interaction")
    if message is not None:
        field(message, "ts", str, "message")
        field(message, "thread_ts", str, "message")
    for name in ("trigger_id",):
        field(payload, name, str, "interaction")
    field(action, "action_ts", str, "actions[0]")
    return action
