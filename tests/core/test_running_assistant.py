"""The real assistant over HTTP: `rasa run` + the action server, started by the test.

Covers bad input on the REST channel, the closed HTTP API, a whole hand-off
through the action server into the database, a crisis in the middle of the
form, privacy of the logs, and the safety net when the action server is down.
"""
import json
import socket
import struct
import urllib.error
import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from connectors import web_ids
from tests.support.stack import RasaStack

pytestmark = pytest.mark.stack
NAME, PHONE = "Zephyrine", "413-555-0187"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    database = tmp_path_factory.mktemp("db") / "rasa.db"
    with RasaStack(env={"DATABASE_URL": f"sqlite:///{database}"}) as running:
        running.database_url = f"sqlite:///{database}"
        yield running


def post(stack, body: bytes, method="POST"):
    request = urllib.request.Request(f"{stack.rasa_url}/webhooks/rest/webhook", data=body, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def conversation():
    return web_ids.for_label(f"test-{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("body,status,error", [
    (b"", 400, "empty body"),
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b'"hello"', 400, "must be a JSON object"),
    (b'{"sender": "twilio:+16172014477", "message": "hi"}', 400, "'sender' must be a conversation id"),
    (b'{"sender": "", "message": "hi"}', 400, "'sender' must be a conversation id"),
    (b'{"sender": 42, "message": "hi"}', 400, "'sender' must be a conversation id"),
    (b'{"sender": "a"}', 400, "'message' is required"),
    (b'{"sender": "a", "message": ["hi"]}', 400, "'message' is required"),
    (b'{"sender": "a", "message": "hi", "metadata": "x"}', 400, "'metadata' must be"),
    (json.dumps({"sender": "a", "message": "x" * 3000}).encode(), 413, "longer than 2000"),
    (json.dumps({"sender": "a", "message": "x" * 20000}).encode(), 413, "payload too large"),
])
def test_malformed_requests_get_a_4xx_json_error(stack, body, status, error):
    code, payload = post(stack, body)
    assert code == status
    assert error in payload["error"]


def test_wrong_method_gets_a_json_4xx(stack):
    request = urllib.request.Request(f"{stack.rasa_url}/webhooks/rest/webhook", method="GET")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert 400 <= raised.value.code < 500
    assert "error" in json.loads(raised.value.read()) or raised.value.code == 405


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_message_gets_a_polite_prompt(stack, text):
    code, replies = post(stack, json.dumps({"sender": conversation(), "message": text}).encode())
    assert code == 200
    assert replies[0]["text"].startswith("It looks like your message was empty")


@pytest.mark.parametrize("text", ["🙂🙂🙂", "asdkjhaskjdh qweoiu", "?", "<script>alert(1)</script>",
                                  "so my cousin, well not really cousin, we grew up together " * 20])
def test_odd_messages_get_a_polite_reply(stack, text):
    replies = stack.rest(conversation(), text[:2000])
    assert replies and all(r.get("text") or r.get("custom") for r in replies)


def test_the_http_api_is_off(stack):
    for path in ["/status", "/version", "/model/parse"]:
        request = urllib.request.Request(stack.rasa_url + path, method="GET")
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=30)
        assert raised.value.code in (404, 405)


def test_a_new_conversation_starts_with_the_notice(stack):
    texts = stack.texts(conversation(), "what is detox?")
    assert "not medical advice" in texts[0]
    assert "In medical detox, a treatment professional supervises you 24/7" in texts[1]


def test_a_crisis_as_the_very_first_message_comes_before_the_notice(stack):
    texts = stack.texts(conversation(), "my son is not breathing")
    assert texts[0].startswith("If someone may be overdosing, call 911")
    assert "not medical advice" in texts[-1]


def test_a_whole_hand_off_is_stored_once_and_confirmed(stack):
    sender = conversation()
    stack.rest(sender, "can someone call me back?")
    for answer in [NAME, PHONE, "weekday evenings", "for myself"]:
        stack.rest(sender, answer)
    texts = stack.texts(sender, "yes")
    assert texts[0].startswith(f"Thank you, {NAME}. Your request is saved (reference #")
    assert "A specialist will call you " in texts[0]
    engine = sa.create_engine(stack.database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "select contact, channel, consent, status from handoff_requests where conversation_id = :c"), {"c": sender}).all()
    assert rows == [("+14135550187", "rest", True, "new")]


def test_a_crisis_interrupts_the_form_first_and_ends_it(stack):
    sender = conversation()
    stack.rest(sender, "please have a specialist contact me")
    texts = stack.texts(sender, "wait my brother just collapsed and isn't breathing")
    assert texts[0].startswith("If someone may be overdosing, call 911")
    assert any("1-800-662-4357" in t for t in texts)
    # The form is over: a name now is not taken as an answer to it.
    assert not any("How can they reach you" in t for t in stack.texts(sender, "Robin"))


def test_logs_hold_no_names_contact_details_or_message_text(stack):
    # Its own conversation: what must not be logged is sent here, whatever ran before.
    sender, crisis = conversation(), "wait my brother just collapsed and isn't breathing"
    stack.rest(sender, "can someone call me back?")
    for answer in [NAME, PHONE, "weekday evenings"]:
        stack.rest(sender, answer)
    assert stack.texts(conversation(), crisis)  # answered, so its turn has been through the logs
    logs = stack.log("rasa") + stack.log("actions")
    assert "runtime changes active" in logs  # the logs were read, and are the real servers'
    for secret in [NAME, "4135550187", "413-555-0187", "weekday evenings", "isn't breathing"]:
        assert secret not in logs


def listening_addresses(port: int) -> set:
    """The IPv4 addresses with a socket listening on `port`, read from /proc/net/tcp."""
    addresses = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if state == "0A" and int(local_port, 16) == port:  # 0A: LISTEN
            addresses.add(socket.inet_ntoa(struct.pack("<I", int(address, 16))))
    return addresses


def test_rasa_and_the_action_server_listen_on_localhost_only(stack):
    assert listening_addresses(stack.rasa_port) == {"127.0.0.1"}
    assert listening_addresses(stack.actions_port) == {"127.0.0.1"}


def test_when_the_action_server_is_down_the_visitor_still_gets_help(stack):
    stack.stop_actions()
    try:
        texts = stack.texts(conversation(), "I want to talk to a person")
        assert any("problem on our side" in t and "(555) 010-0199" in t and "911" in t for t in texts)
        # Crisis replies do not depend on the action server at all.
        crisis = stack.texts(conversation(), "she won't wake up")
        assert crisis[0].startswith("If someone may be overdosing, call 911")
    finally:
        stack.start_actions()
