"""Hostile and odd-typed webhook bodies, signed as each platform signs them.

The signing uses the platforms' official SDKs where they have one (twilio's
RequestValidator, slack_sdk's SignatureVerifier), so a body is refused for its
content, never for a signature the test got wrong.
"""
import copy
import hashlib
import hmac
import json
import time
from typing import Any, Callable, Dict, Iterator, List, Tuple
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from twilio.request_validator import RequestValidator

from tests.connectors.webhooks import SECRETS, Webhook

DEEP = 5000  # levels: Python's JSON decoder overflows its stack long before this


def deeply_nested(levels: int = DEEP) -> bytes:
    return b"[" * levels + b"]" * levels


# --- signing ------------------------------------------------------------------


def signed_telegram(body: bytes) -> Webhook:
    return Webhook(body, {"Content-Type": "application/json",
                          "X-Telegram-Bot-Api-Secret-Token": SECRETS["TELEGRAM_WEBHOOK_SECRET"]})


def signed_slack(body: bytes, content_type: str = "application/json", **headers: str) -> Webhook:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRETS["SLACK_SIGNING_SECRET"]).generate_signature(timestamp=timestamp, body=body)
    call = Webhook(body, {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                          "X-Slack-Signature": signature})
    assert SignatureVerifier(SECRETS["SLACK_SIGNING_SECRET"]).is_valid(body, timestamp, signature)
    return call.with_headers(**headers) if headers else call


def signed_slack_form(payload: Any) -> Webhook:
    body = urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)}).encode()
    return signed_slack(body, "application/x-www-form-urlencoded")


def signed_facebook(body: bytes) -> Webhook:
    digest = hmac.new(SECRETS["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    return Webhook(body, {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=" + digest})


def signed_twilio(url: str, params: Dict[str, str], signed_for: str = "") -> Webhook:
    """`signed_for`: the URL Twilio called (a public one behind a proxy), default `url`."""
    signature = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"]).compute_signature(signed_for or url, params)
    return Webhook(urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                                "X-Twilio-Signature": signature})


# --- valid bodies to spoil ------------------------------------------------------


def telegram_update(update_id: int, chat_id: int, text: str = "hello") -> Dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id % 100000, "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
        "chat": {"id": chat_id, "type": "private"}, "date": int(time.time()), "text": text}}


def slack_event(event_id: str, user: str, text: str = "hello") -> Dict[str, Any]:
    now = int(time.time())
    return {"type": "event_callback", "event_id": event_id, "event_time": now, "team_id": "T0001",
            "event": {"type": "message", "channel": f"D{user}", "user": user, "text": text,
                      "ts": f"{now}.000100", "channel_type": "im"},
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}]}


def slack_click(user: str, value: str = "/ask_treatment") -> Dict[str, Any]:
    return {"type": "block_actions", "user": {"id": user}, "channel": {"id": f"D{user}"},
            "trigger_id": f"trig-{user}-{time.time()}", "message": {"ts": f"{int(time.time())}.000200"},
            "actions": [{"type": "button", "action_id": "choice_0", "value": value, "action_ts": f"{time.time():.6f}"}]}


def messenger_event(sender: str, mid: str, text: str = "hello") -> Dict[str, Any]:
    return {"sender": {"id": sender}, "recipient": {"id": "PAGE_ID"}, "timestamp": int(time.time() * 1000),
            "message": {"mid": mid, "text": text}}


def messenger_body(*events: Any, entries: Any = None) -> bytes:
    entry = entries if entries is not None else [{"id": "PAGE_ID", "time": int(time.time() * 1000),
                                                  "messaging": list(events)}]
    return json.dumps({"object": "page", "entry": entry}).encode()


def twilio_params(sid: str, sender: str, body: str = "hello", **extra: str) -> Dict[str, str]:
    return {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"], "From": sender,
            "To": SECRETS["TWILIO_NUMBER"], "Body": body, "NumMedia": "0", "NumSegments": "1",
            "ApiVersion": "2010-04-01", **extra}


def changed(document: Dict[str, Any], path: Tuple[Any, ...], value: Any) -> Dict[str, Any]:
    """A deep copy of `document` with the item at `path` replaced by `value`."""
    result = copy.deepcopy(document)
    target = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return result


# The odd types the issue lists, then every other field the connectors read
# given each wrong JSON type in turn (the generated part of the table).
WRONG_TYPES: List[Any] = [None, True, 7, 1.5, "text", [], ["a", "b"], {}, {"a": 1}]

TELEGRAM_FIELDS = [("update_id",), ("message",), ("message", "text"), ("message", "date"), ("message", "chat"),
                   ("message", "chat", "id"), ("message", "from"), ("message", "message_id")]
SLACK_FIELDS = [("event",), ("event", "text"), ("event", "user"), ("event", "channel"), ("event", "ts"),
                ("authorizations",), ("event_id",)]
SLACK_CLICK_FIELDS = [("actions",), ("user",), ("user", "id"), ("channel",), ("message",)]
MESSENGER_FIELDS = [("sender",), ("sender", "id"), ("message",), ("message", "text"), ("message", "mid"),
                    ("message", "quick_reply"), ("message", "attachments"), ("postback",)]


def typed_variants(document: Dict[str, Any], fields: List[Tuple[Any, ...]]) -> Iterator[Tuple[str, Dict[str, Any]]]:
    for path in fields:
        original = document
        for key in path:
            original = original.get(key)  # None: an optional field the valid body leaves out
        for value in WRONG_TYPES:
            if type(value) is type(original):
                continue  # same type as the real field: not an odd type
            yield f"{'.'.join(map(str, path))}={json.dumps(value)}", changed(document, path, value)


HostileCall = Tuple[str, str, Callable[[str], Webhook]]  # (channel, label, url -> signed call)


def hostile_calls(unique: Callable[[], int]) -> List[HostileCall]:
    """Every channel's hostile table: ids come from `unique` so nothing is a re-delivery."""
    calls: List[HostileCall] = []
    for label, body in [("deep", deeply_nested()), ("not json", b"{nope"), ("list", b"[1]"),
                        ("string", b'"x"'), ("empty", b"")]:
        calls += [("telegram", label, lambda url, b=body: signed_telegram(b)),
                  ("slack", label, lambda url, b=body: signed_slack(b)),
                  ("facebook", label, lambda url, b=body: signed_facebook(b))]
    calls.append(("slack", "form deep", lambda url: signed_slack_form(deeply_nested().decode())))
    for label, update in typed_variants(telegram_update(1, 1), TELEGRAM_FIELDS):
        calls.append(("telegram", label, lambda url, u=update: signed_telegram(json.dumps(
            {**u, "update_id": unique() if isinstance(u["update_id"], int) else u["update_id"]}).encode())))
    for label, event in typed_variants(slack_event("Ev1", "U1"), SLACK_FIELDS):
        calls.append(("slack", label, lambda url, e=event: signed_slack(json.dumps(
            {**e, "event_id": f"Ev{unique()}" if isinstance(e["event_id"], str) else e["event_id"]}).encode())))
    for label, click in typed_variants(slack_click("U1"), SLACK_CLICK_FIELDS):
        calls.append(("slack", f"click {label}", lambda url, c=click: signed_slack_form(c)))
    for value in ["text", ["a", "b"], {"type": "button"}, [{"type": "button", "value": 5}]]:
        calls.append(("slack", f"actions={json.dumps(value)}",
                      lambda url, v=value: signed_slack_form({**slack_click("U1"), "actions": v})))
    for label, event in typed_variants(messenger_event("1", "m_1"), MESSENGER_FIELDS):
        calls.append(("facebook", label, lambda url, e=event: signed_facebook(messenger_body(e))))
    for label, entries in [("entry strings", ["a", "b"]), ("messaging object", [{"messaging": {"a": 1}}]),
                           ("messaging strings", [{"messaging": ["a", "b"]}])]:
        calls.append(("facebook", label, lambda url, e=entries: signed_facebook(messenger_body(entries=e))))
    for label, postback in [("postback.payload=7", {"payload": 7}), ("postback=[]", []),
                            ("postback.payload=null", {"payload": None})]:
        calls.append(("facebook", label, lambda url, p=postback: signed_facebook(messenger_body(
            {"sender": {"id": "1"}, "recipient": {"id": "PAGE_ID"}, "timestamp": 1, "postback": p}))))
    for label, params in [("no sid", {"From": "+15550001111", "Body": "hi"}), ("no from", {"MessageSid": "SMx"}),
                          ("deep body", {"MessageSid": "SMd", "From": "+15550001111", "Body": "[" * DEEP}),
                          ("binary", {"MessageSid": "SMb", "From": "+15550001111", "Body": "\x00\xff"})]:
        calls.append(("twilio", label, lambda url, p=params: signed_twilio(url, p)))
    return calls
