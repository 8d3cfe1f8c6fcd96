"""The attacker's checks of issue 16 against a real server with every channel
(web and messaging) and a scripted agent (tests/connectors/scripted_rasa.py),
which records exactly what reached the assistant: conversation id, text, channel.

Web requests that name other channels' conversations; hostile and odd-typed
signed bodies on every channel; re-delivered and mixed Messenger batches; a
Slack retry of an unseen event; a Twilio photo without text; a `/intent{...}`
message; Twilio behind a TLS proxy; Messenger's verify handshake.
"""
import base64
import itertools
import json
import time
import uuid
from typing import Any, Dict, List

import pytest
import requests

from connectors import web_ids
from tests.connectors import hostile, webhooks
from tests.connectors.conftest import local_redis, scripted_server, sent_besides_a_probe
from tests.connectors.fake_platforms import sent_text

ids = itertools.count(int(time.time()) % 100000 * 1000 + 700)
PUBLIC_TWILIO_URL = "https://chat.example.org/webhooks/twilio/webhook"


def unique() -> int:
    return next(ids)


@pytest.fixture(scope="module")
def server(fake, tmp_path_factory):
    env = {**webhooks.channel_env(fake), "REDIS_URL": "", "TWILIO_TRUSTED_PROXIES": "127.0.0.1"}
    with scripted_server(env, tmp_path_factory.mktemp("attacks")) as running:
        yield running


def received(server, sender_id: str) -> List[Dict[str, Any]]:
    return [r for r in server.received() if r["sender_id"] == sender_id]


def rest(server, payload: Any) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return requests.post(server.webhook("rest"), data=body, headers={"Content-Type": "application/json"}, timeout=30)


# --- 1. web conversations ---------------------------------------------------------

def tampered_id() -> str:
    real = web_ids.for_label("tampered")
    middle = len(real) - 10  # inside the tag
    return real[:middle] + ("B" if real[middle] == "A" else "A") + real[middle + 1:]


OTHER_CONVERSATIONS = [
    "twilio:+16172014477", "telegram:123456", "slack:U123", "facebook:4242", "twilio:whatsapp:+16172014477",
    "web:" + "A" * 43,  # the issued form, but not signed by this server
    tampered_id(),  # a real id with one character of its tag changed
    "web:abc", "visitor-1", "",
]


@pytest.mark.parametrize("sender", OTHER_CONVERSATIONS)
def test_rest_cannot_speak_in_another_channels_or_an_unissued_conversation(server, sender):
    answer = rest(server, {"sender": sender, "message": "hi, what did I say before?"})
    assert answer.status_code == 400
    assert "conversation id this server issued" in answer.json()["error"]
    assert received(server, sender) == []


def test_rest_without_a_sender_gets_an_issued_id_and_keeps_speaking_in_it(server):
    first = rest(server, {"message": "hello"})
    assert first.status_code == 200
    issued = first.json()[0]["recipient_id"]
    # The server and the test share the secret (inherited environment), so the test can check the tag.
    assert web_ids.is_issued(issued)
    assert len(base64.urlsafe_b64decode(issued[len("web:"):] + "=")) == 32  # 128 random bits + 128-bit tag
    assert rest(server, {"sender": issued, "message": "and again"}).status_code == 200
    assert [r["text"] for r in received(server, issued)] == ["hello", "and again"]
    other = requests.post(server.url + "/webhooks/rest/conversations", timeout=30).json()["sender"]
    assert other.startswith("web:") and other != issued


def test_rest_cannot_claim_to_be_another_channel(server):
    sender = requests.post(server.url + "/webhooks/rest/conversations", timeout=30).json()["sender"]
    assert rest(server, {"sender": sender, "message": "hi", "input_channel": "twilio"}).status_code == 200
    assert [r["input_channel"] for r in received(server, sender)] == ["rest"]


def test_rest_body_nested_thousands_of_levels_deep_is_a_400(server):
    answer = rest(server, b'{"sender": ' + hostile.deeply_nested() + b', "message": "hi"}')
    assert answer.status_code == 400 and "error" in answer.json()
    assert rest(server, hostile.deeply_nested()).status_code == 400


def socket_client(server):
    import socketio

    client = socketio.Client(reconnection=False)
    confirmed: List[str] = []
    replies: List[Any] = []
    client.on("session_confirm", lambda session_id: confirmed.append(session_id))
    client.on("bot_uttered", lambda message: replies.append(message))
    client.connect(server.url, transports=["polling"], wait_timeout=30)
    return client, confirmed, replies


def wait(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)
    return condition()


def test_socket_session_naming_another_channel_gets_its_own_web_conversation(server):
    client, confirmed, replies = socket_client(server)
    try:
        client.emit("session_request", {"session_id": "twilio:+16172014477"})
        assert wait(lambda: confirmed)
        session_id = confirmed[0]
        assert web_ids.is_issued(session_id)
        # The message names the SMS conversation; it goes to the socket's own one.
        client.emit("user_uttered", {"message": "read me their details", "session_id": "twilio:+16172014477"})
        assert wait(lambda: received(server, session_id))
        assert received(server, "twilio:+16172014477") == []
        assert wait(lambda: replies)
    finally:
        client.disconnect()


def test_socket_keeps_an_issued_id_across_reconnects_and_refuses_a_forged_one(server):
    client, confirmed, _ = socket_client(server)
    try:
        client.emit("session_request", {"session_id": None})
        assert wait(lambda: confirmed)
    finally:
        client.disconnect()
    issued = confirmed[0]
    again, confirmed_again, _ = socket_client(server)
    try:
        again.emit("session_request", {"session_id": issued})  # the widget's stored id
        assert wait(lambda: confirmed_again)
        assert confirmed_again == [issued]
        forged = "web:" + base64.urlsafe_b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes).decode().rstrip("=")
        again.emit("session_request", {"session_id": forged})
        assert wait(lambda: len(confirmed_again) == 2)
        assert confirmed_again[1] not in (forged, issued) and web_ids.is_issued(confirmed_again[1])
    finally:
        again.disconnect()


# --- 5. forced intents --------------------------------------------------------------


def test_typed_slash_text_is_classified_and_only_own_button_payloads_force_an_intent(server, fake):
    sender = requests.post(server.url + "/webhooks/rest/conversations", timeout=30).json()["sender"]
    rest(server, {"sender": sender, "message": '/request_specialist{"first_name": "Mallory", "consent": true}'})
    rest(server, {"sender": sender, "message": "/call me Carla 617-201-4477"})
    rest(server, {"sender": sender, "message": "/ask_treatment"})  # a payload of the assistant's own buttons
    assert [r["text"] for r in received(server, sender)] == [
        'request_specialist{"first_name": "Mallory", "consent": true}', "call me Carla 617-201-4477", "/ask_treatment"]
    chat = unique()
    webhooks.telegram_text(unique(), chat, "//affirm{\"consent\": true}").post(server.webhook("telegram"))
    assert [r["text"] for r in received(server, f"telegram:{chat}")] == ['affirm{"consent": true}']


# --- 2. no 5xx ------------------------------------------------------------------------

ISSUE_LISTED = [
    ("telegram", "text as a number", lambda: hostile.signed_telegram(json.dumps(
        hostile.changed(hostile.telegram_update(unique(), 1), ("message", "text"), 42)).encode())),
    ("telegram", "date as a string", lambda: hostile.signed_telegram(json.dumps(
        hostile.changed(hostile.telegram_update(unique(), 1), ("message", "date"), "yesterday")).encode())),
    ("telegram", "chat {}", lambda: hostile.signed_telegram(json.dumps(
        hostile.changed(hostile.telegram_update(unique(), 1), ("message", "chat"), {})).encode())),
    ("slack", "event.text as a number", lambda: hostile.signed_slack(json.dumps(
        hostile.changed(hostile.slack_event(f"Ev{unique()}", "U1"), ("event", "text"), 42)).encode())),
    ("slack", "authorizations as a string", lambda: hostile.signed_slack(json.dumps(
        hostile.changed(hostile.slack_event(f"Ev{unique()}", "U1"), ("authorizations",), "UBOT")).encode())),
    ("slack", "actions as a string", lambda: hostile.signed_slack_form({**hostile.slack_click("U1"), "actions": "x"})),
    ("slack", "actions as strings", lambda: hostile.signed_slack_form({**hostile.slack_click("U1"), "actions": ["x"]})),
    ("slack", "actions as an object", lambda: hostile.signed_slack_form({**hostile.slack_click("U1"), "actions": {"a": 1}})),
    ("facebook", "entry as strings", lambda: hostile.signed_facebook(hostile.messenger_body(entries=["a", "b"]))),
    ("facebook", "messaging as an object", lambda: hostile.signed_facebook(
        hostile.messenger_body(entries=[{"id": "P", "messaging": {"a": 1}}]))),
    ("facebook", "messaging as strings", lambda: hostile.signed_facebook(
        hostile.messenger_body(entries=[{"id": "P", "messaging": ["a"]}]))),
    ("facebook", "message.text as a number", lambda: hostile.signed_facebook(hostile.messenger_body(
        hostile.changed(hostile.messenger_event("1", f"m_{unique()}"), ("message", "text"), 42)))),
    ("facebook", "quick_reply as a string", lambda: hostile.signed_facebook(hostile.messenger_body(
        hostile.changed(hostile.messenger_event("1", f"m_{unique()}"), ("message", "quick_reply"), "x")))),
    ("facebook", "attachments as an object", lambda: hostile.signed_facebook(hostile.messenger_body(
        hostile.changed(hostile.messenger_event("1", f"m_{unique()}"), ("message", "attachments"), {"a": 1})))),
    ("facebook", "postback.payload as a number", lambda: hostile.signed_facebook(hostile.messenger_body(
        {"sender": {"id": "1"}, "recipient": {"id": "P"}, "timestamp": 1, "postback": {"payload": 3}}))),
]


@pytest.mark.parametrize("channel,label,make_call", ISSUE_LISTED, ids=[f"{c}: {l}" for c, l, _ in ISSUE_LISTED])
def test_odd_typed_signed_bodies_the_issue_lists_get_a_json_400(server, fake, channel, label, make_call):
    answer = make_call().post(server.webhook(channel))
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"].startswith("application/json") and answer.json()["error"]
    assert sent_besides_a_probe(server.webhook(channel), fake, channel) == []


def test_every_hostile_body_on_every_channel_gets_less_than_a_500(server, fake):
    calls = hostile.hostile_calls(unique)
    assert len(calls) > 150  # the generated table: every read field with every wrong JSON type
    failures = []
    for channel, label, make_call in calls:
        answer = make_call(server.webhook(channel)).post(server.webhook(channel))
        if answer.status_code >= 500:
            failures.append((channel, label, answer.status_code, answer.text[:200]))
        elif answer.status_code >= 400 and "error" not in answer.json():
            failures.append((channel, label, answer.status_code, "no JSON error"))
    assert failures == []
    assert "Traceback" not in server.log.read_text()


def test_telegram_update_without_a_chat_id_is_refused_not_answered_as_telegram_default(server, fake):
    update = hostile.changed(hostile.telegram_update(unique(), 1, "hello"), ("message", "chat"), {})
    assert hostile.signed_telegram(json.dumps(update).encode()).post(server.webhook("telegram")).status_code == 400
    assert received(server, "telegram:default") == [] and received(server, "telegram:None") == []


# --- 3. nothing lost, nothing answered twice --------------------------------------------


def test_messenger_redelivered_batch_with_a_new_message_answers_only_the_new_one(server, fake):
    psid = str(unique())
    first = hostile.messenger_event(psid, f"m_{unique()}", "hello")
    assert hostile.signed_facebook(hostile.messenger_body(first)).post(server.webhook("facebook")).status_code == 200
    new = hostile.messenger_event(psid, f"m_{unique()}", "my friend overdosed")  # could be a crisis
    assert hostile.signed_facebook(hostile.messenger_body(first, new)).post(server.webhook("facebook")).status_code == 200
    assert [r["text"] for r in received(server, f"facebook:{psid}")] == ["hello", "my friend overdosed"]


def test_messenger_mixed_batch_answers_each_valid_message_once_on_every_retry(server, fake):
    psid = str(unique())
    one = hostile.messenger_event(psid, f"m_{unique()}", "first words")
    odd = hostile.changed(hostile.messenger_event(psid, f"m_{unique()}"), ("message", "text"), 42)
    two = hostile.messenger_event(psid, f"m_{unique()}", "second words")
    echo = {**hostile.messenger_event("PAGE_ID", f"m_{unique()}", "our own reply"),
            "message": {"mid": f"m_{unique()}", "text": "ours", "is_echo": True}}
    batch = hostile.signed_facebook(hostile.messenger_body(one, odd, echo, two))
    for _ in range(3):  # Meta retries a call that did not get a 200
        answer = batch.post(server.webhook("facebook"))
        assert answer.status_code == 400 and "message.text" in answer.json()["error"]
    assert [r["text"] for r in received(server, f"facebook:{psid}")] == ["first words", "second words"]
    assert len([c for c in fake.sent("facebook") if c.params["recipient"]["id"] == psid]) == 2


def test_slack_retry_of_an_event_never_seen_is_answered_once(server, fake):
    user = f"U{unique()}"
    event = json.dumps(hostile.slack_event(f"Ev{unique()}", user, "hello")).encode()
    retry = hostile.signed_slack(event, X_Slack_Retry_Num="1", X_Slack_Retry_Reason="http_timeout")
    assert retry.post(server.webhook("slack")).status_code == 200
    assert fake.wait_for(lambda: received(server, f"slack:{user}"))
    second = hostile.signed_slack(event, X_Slack_Retry_Num="2", X_Slack_Retry_Reason="http_timeout")
    assert second.post(server.webhook("slack")).status_code == 200
    probe_user = f"U{unique()}"
    hostile.signed_slack(json.dumps(hostile.slack_event(f"Ev{unique()}", probe_user, "probe")).encode()).post(
        server.webhook("slack"))
    assert fake.wait_for(lambda: received(server, f"slack:{probe_user}"))
    assert len(received(server, f"slack:{user}")) == 1
    assert len([c for c in fake.sent("slack") if c.params["channel"] == f"D{user}"]) == 1


def test_twilio_photo_without_text_gets_a_reply_with_the_crisis_lines_once(server, fake):
    url, phone, sid = server.webhook("twilio"), f"+1555{unique() % 10**7:07d}", f"MM{unique()}"
    photo = hostile.twilio_params(sid, phone, "", NumMedia="1", MediaUrl0="https://api.twilio.com/media/1",
                                  MediaContentType0="image/jpeg")
    assert hostile.signed_twilio(url, photo).post(url).status_code == 204
    assert hostile.signed_twilio(url, photo).post(url).status_code == 204  # re-delivered
    [reply] = [c for c in fake.wait_for_sent("twilio") if c.params["To"] == phone]
    assert "only read text" in reply.params["Body"]
    assert all(line in reply.params["Body"] for line in ("911", "988", "1-800-662-4357"))
    assert received(server, f"twilio:{phone}") == []  # nothing for the assistant to classify


def test_messenger_photo_without_text_gets_the_same_notice(server, fake):
    psid = str(unique())
    photo = {"sender": {"id": psid}, "recipient": {"id": "P"}, "timestamp": 1,
             "message": {"mid": f"m_{unique()}", "attachments": [{"type": "image", "payload": {"url": "https://x"}}]}}
    assert hostile.signed_facebook(hostile.messenger_body(photo)).post(server.webhook("facebook")).status_code == 200
    [reply] = [c for c in fake.wait_for_sent("facebook") if c.params["recipient"]["id"] == psid]
    assert "only read text" in sent_text(reply) and "988" in sent_text(reply)


# --- 4. real deployments -----------------------------------------------------------------


def test_twilio_behind_a_trusted_tls_proxy_is_verified_with_the_forwarded_url(server, fake):
    url, phone = server.webhook("twilio"), f"+1555{unique() % 10**7:07d}"
    call = hostile.signed_twilio(url, hostile.twilio_params(f"SM{unique()}", phone), signed_for=PUBLIC_TWILIO_URL)
    forwarded = call.with_headers(X_Forwarded_Proto="https", X_Forwarded_Host="chat.example.org")
    assert forwarded.post(url).status_code == 204
    assert fake.wait_for(lambda: received(server, f"twilio:{phone}"))
    # Without the proxy's headers the signature covers another URL: refused.
    assert call.post(url).status_code == 403


def test_twilio_forwarded_headers_from_an_untrusted_peer_are_ignored():
    from types import SimpleNamespace

    from connectors.messaging.twilio import parse_networks, signed_url

    request = SimpleNamespace(url="http://10.0.0.5:5005/webhooks/twilio/webhook",
                              conn_info=SimpleNamespace(client_ip="203.0.113.9"),
                              headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
    assert signed_url(request, parse_networks("127.0.0.1, 10.0.0.0/8")) == request.url
    request.conn_info.client_ip = "10.1.2.3"
    assert signed_url(request, parse_networks("127.0.0.1, 10.0.0.0/8")) == \
        "https://evil.example/webhooks/twilio/webhook"  # the trusted proxy's word is taken


@pytest.mark.parametrize("params,status", [
    ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"}, 403),
    ({"hub.verify_token": webhooks.SECRETS["FACEBOOK_VERIFY_TOKEN"], "hub.challenge": "42"}, 403),
    ({"hub.mode": "unsubscribe", "hub.verify_token": webhooks.SECRETS["FACEBOOK_VERIFY_TOKEN"], "hub.challenge": "42"}, 403),
    ({"hub.mode": "subscribe", "hub.verify_token": webhooks.SECRETS["FACEBOOK_VERIFY_TOKEN"], "hub.challenge": "42"}, 200),
])
def test_messenger_verify_handshake_checks_mode_and_token(server, params, status):
    answer = requests.get(server.webhook("facebook"), params=params, timeout=10)
    assert answer.status_code == status
    assert (answer.text == "42") == (status == 200)


# --- the ledger survives a restart -------------------------------------------------------------


def test_the_delivery_ledger_in_redis_survives_a_restart(fake, tmp_path_factory):
    import redis

    url = local_redis()
    prefix = f"test-security-{uuid.uuid4().hex}:"
    env = {**webhooks.channel_env(fake), "REDIS_URL": url, "CHANNELS_KEY_PREFIX": prefix}
    chat = unique()
    update = webhooks.telegram_text(unique(), chat, "hello")
    try:
        with scripted_server(env, tmp_path_factory.mktemp("before")) as before:
            assert update.post(before.webhook("telegram")).status_code == 200
            assert received(before, f"telegram:{chat}")
        with scripted_server(env, tmp_path_factory.mktemp("after")) as after:
            assert update.post(after.webhook("telegram")).status_code == 200  # re-delivered after the restart
            assert received(after, f"telegram:{chat}") == []
        assert len([c for c in fake.sent("telegram") if c.params.get("chat_id") == str(chat)]) == 1
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(prefix + "*"))
        assert keys, "the ledger wrote nothing to Redis"
        client.delete(*keys)


def test_telegram_photo_without_text_gets_the_notice_once(server, fake):
    chat = unique()
    update = hostile.telegram_update(unique(), chat)
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": "AgAD", "file_unique_id": "x", "width": 90, "height": 90}]
    for _ in range(2):  # and re-delivered
        assert hostile.signed_telegram(json.dumps(update).encode()).post(server.webhook("telegram")).status_code == 200
    sent = [c for c in fake.sent("telegram") if c.params["chat_id"] == str(chat)]
    assert len(sent) == 1 and "only read text" in sent[0].params["text"] and "988" in sent[0].params["text"]
