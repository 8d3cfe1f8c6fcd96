"""The platforms' real webhook payload shapes, signed as each platform signs them."""
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import requests
from twilio.request_validator import RequestValidator

# Secrets of the test environment (never real ones).
SECRETS = {
    "TELEGRAM_BOT_TOKEN": "123456789:AAtestTokenForLocalFakeOnly0000000",
    "TELEGRAM_BOT_USERNAME": "center_test_bot",
    "TELEGRAM_WEBHOOK_SECRET": "tg-secret-token-for-tests",
    "SLACK_BOT_TOKEN": "xoxb-test-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret-for-tests",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "twilio-auth-token-for-tests",
    "TWILIO_NUMBER": "+15550009999",
    "FACEBOOK_VERIFY_TOKEN": "fb-verify-token-for-tests",
    "FACEBOOK_APP_SECRET": "fb-app-secret-for-tests",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token-for-tests",
}


PUBLIC_TELEGRAM_WEBHOOK = "https://chat.example.org/webhooks/telegram/webhook"  # only ever sent to the fake


def channel_env(fake: Any) -> Dict[str, str]:
    """Environment enabling all four channels against the local fake APIs."""
    return {
        **SECRETS,
        "TELEGRAM_API_BASE": fake.telegram_base,
        "TELEGRAM_WEBHOOK_URL": PUBLIC_TELEGRAM_WEBHOOK,
        "SLACK_API_BASE": fake.slack_base,
        "TWILIO_API_BASE": fake.twilio_base,
        "FACEBOOK_GRAPH_API_BASE": fake.facebook_base,
    }


@dataclass
class Webhook:
    """One webhook call: body bytes plus the headers the platform would send."""

    body: bytes
    headers: Dict[str, str]

    def post(self, url: str) -> requests.Response:
        return requests.post(url, data=self.body, headers=self.headers, timeout=60)

    def with_headers(self, **changes: Optional[str]) -> "Webhook":
        headers = dict(self.headers)
        for name, value in changes.items():
            name = name.replace("_", "-")
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        return Webhook(self.body, headers)


# --- Telegram ------------------------------------------------------------------

def telegram_text(update_id: int, chat_id: int, text: str, secret: Optional[str] = SECRETS["TELEGRAM_WEBHOOK_SECRET"]) -> Webhook:
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 100000,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"},
            "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }
    return _telegram(update, secret)


def telegram_button(update_id: int, chat_id: int, data: str) -> Webhook:
    update = {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id * 10),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "message": {
                "message_id": 5,
                "from": {"id": 4242, "is_bot": True, "first_name": "Center", "username": "center_test_bot"},
                "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
                "date": int(time.time()),
                "text": "How can I help?",
            },
            "chat_instance": "-1",
            "data": data,
        },
    }
    return _telegram(update, SECRETS["TELEGRAM_WEBHOOK_SECRET"])


def _telegram(update: Dict[str, Any], secret: Optional[str]) -> Webhook:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return Webhook(json.dumps(update).encode(), headers)


# --- Slack -----------------------------------------------------------------------

def slack_message(event_id: str, user: str, channel: str, text: str,
                  secret: Optional[str] = SECRETS["SLACK_SIGNING_SECRET"], timestamp: Optional[int] = None) -> Webhook:
    now = int(time.time())
    body = {
        "token": "verification-token-unused",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": f"{now}.000100",
            "event_ts": f"{now}.000100",
            "channel_type": "im",
            "client_msg_id": f"client-{event_id}",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now,
        "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
    }
    return _slack(json.dumps(body).encode(), "application/json", secret, timestamp)


def slack_button(user: str, channel: str, value: str, trigger_id: str) -> Webhook:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "sam"},
        "channel": {"id": channel, "name": "directmessage"},
        "trigger_id": trigger_id,
        "message": {"ts": f"{int(time.time())}.000200", "text": "How can I help?"},
        "actions": [{"type": "button", "action_id": "choice_0", "value": value,
                     "action_ts": f"{time.time():.6f}", "block_id": "b1"}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return _slack(body, "application/x-www-form-urlencoded", SECRETS["SLACK_SIGNING_SECRET"], None)


def _slack(body: bytes, content_type: str, secret: Optional[str], timestamp: Optional[int]) -> Webhook:
    headers = {"Content-Type": content_type}
    if secret is not None:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        headers.update({"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"})
    return Webhook(body, headers)


# --- Facebook Messenger ---------------------------------------------------------------

def facebook_text(mid: str, sender: str, text: str, secret: Optional[str] = SECRETS["FACEBOOK_APP_SECRET"],
                  quick_reply: Optional[str] = None) -> Webhook:
    message: Dict[str, Any] = {"mid": mid, "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return facebook_batch([(sender, message)], secret)


def facebook_batch(events: List[Tuple[str, Dict[str, Any]]],
                   secret: Optional[str] = SECRETS["FACEBOOK_APP_SECRET"]) -> Webhook:
    """One webhook call carrying several (sender, message) events, as Meta batches them."""
    now = int(time.time() * 1000)
    body = {
        "object": "page",
        "entry": [{
            "id": "PAGE_ID",
            "time": now,
            "messaging": [{"sender": {"id": sender}, "recipient": {"id": "PAGE_ID"}, "timestamp": now + number,
                           "message": message} for number, (sender, message) in enumerate(events)],
        }],
    }
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        # Meta sends both; the connector requires the SHA-256 one.
        headers["X-Hub-Signature"] = "sha1=" + hmac.new(secret.encode(), raw, hashlib.sha1).hexdigest()
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return Webhook(raw, headers)


# --- Twilio (SMS / WhatsApp) ------------------------------------------------------------

def twilio_sms(url: str, sid: str, sender: str, text: str,
               auth_token: Optional[str] = SECRETS["TWILIO_AUTH_TOKEN"]) -> Webhook:
    """`url` is the exact URL the request goes to: Twilio signs it with the parameters."""
    params = {
        "ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "CA", "SmsStatus": "received", "FromCity": "",
        "Body": text, "FromCountry": "US", "To": SECRETS["TWILIO_NUMBER"], "ToZip": "",
        "NumSegments": "1", "MessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
        "From": sender, "ApiVersion": "2010-04-01",
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if auth_token is not None:
        headers["X-Twilio-Signature"] = RequestValidator(auth_token).compute_signature(url, params)
    return Webhook(urlencode(params).encode(), headers)
