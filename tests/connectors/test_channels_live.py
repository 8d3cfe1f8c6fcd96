"""The platforms' real webhook calls against `rasa run` on the trained model
(tests/support/stack.py), with every outgoing API call captured by the local
fake platforms. Expected replies come from the same server's REST channel, so
the tests check the channel layer, not the wording of the domain."""
import itertools
import re
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

from connectors.messaging.formatting import numbered_options, plan_turn, sms_plain, sms_segments
from tests.connectors import webhooks
from tests.connectors.barrier import sent_besides_a_later_message
from tests.connectors.conftest import render_credentials
from tests.connectors.fake_platforms import sent_text

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
CRISIS = "my brother overdosed and isn't breathing"
CHANNELS = ["telegram", "slack", "facebook", "twilio"]

pytestmark = [pytest.mark.stack, pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")]

ids = itertools.count(int(time.time()) % 100000 * 1000 + 500)


@pytest.fixture(scope="module")
def stack(fake, tmp_path_factory):
    from tests.support.stack import RasaStack

    env = {**webhooks.channel_env(fake), "REDIS_URL": ""}
    credentials = render_credentials(tmp_path_factory.mktemp("live"), env)
    with RasaStack(env=env, credentials=credentials, actions=True) as running:
        yield running


def webhook(stack, channel: str) -> str:
    return f"{stack.rasa_url.rstrip('/')}/webhooks/{channel}/webhook"


def post(stack, channel: str, text: str, user: str, message_id: str) -> webhooks.Webhook:
    """Posts `text` as the platform would and returns the call, for re-delivery."""
    if channel == "telegram":
        call = webhooks.telegram_text(int(message_id), int(user), text)
    elif channel == "slack":
        call = webhooks.slack_message(f"Ev{message_id}", f"U{user}", f"D{user}", text)
    elif channel == "facebook":
        call = webhooks.facebook_text(f"m_{message_id}", user, text)
    else:
        call = webhooks.twilio_sms(webhook(stack, "twilio"), f"SM{message_id}", f"+1555{int(user) % 10**7:07d}", text)
    answer = call.post(webhook(stack, channel))
    assert answer.status_code in (200, 204), answer.text
    return call


def expected_texts(stack, text: str) -> List[str]:
    """What the assistant answers on REST, in the order a messaging channel sends it."""
    messages = stack.rest(f"rest-{next(ids)}", text)
    assert messages, "the assistant gave no answer on REST"
    return [reply.text for reply in plan_turn(messages)]


def normalized(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("channel", CHANNELS)
def test_signed_message_is_answered_once_and_re_delivery_is_not(stack, fake, channel):
    expected = expected_texts(stack, "/greet")
    user, message_id = str(next(ids)), str(next(ids))
    call = post(stack, channel, "/greet", user, message_id)
    sent = fake.wait_for_sent(channel, len(expected), settle=1.5)
    got = [sent_text(c) for c in sent]
    if channel == "twilio":  # options are appended as a numbered list
        got = [t.split("\n\nReply with a number:")[0] for t in got]
        expected = [sms_plain(t) for t in expected]
    assert got == expected

    # The platform re-delivers (same id; Slack adds X-Slack-Retry-Num).
    again = call.with_headers(X_Slack_Retry_Num="1", X_Slack_Retry_Reason="http_error") if channel == "slack" else call
    answer = again.post(webhook(stack, channel))
    assert answer.status_code in (200, 204)
    assert len(sent_besides_a_later_message(fake, channel, webhook(stack, channel))) == len(expected)


FORGERIES = {
    "telegram": [
        (lambda s: webhooks.telegram_text(next(ids), 1, "hi", secret=None), 401),
        (lambda s: webhooks.telegram_text(next(ids), 1, "hi", secret="guessed"), 403),
    ],
    "slack": [
        (lambda s: webhooks.slack_message(f"Ev{next(ids)}", "U1", "D1", "hi", secret=None), 401),
        (lambda s: webhooks.slack_message(f"Ev{next(ids)}", "U1", "D1", "hi", secret="guessed"), 403),
    ],
    "facebook": [
        (lambda s: webhooks.facebook_text(f"m_{next(ids)}", "1", "hi", secret=None), 401),
        (lambda s: webhooks.facebook_text(f"m_{next(ids)}", "1", "hi", secret="guessed"), 403),
    ],
    "twilio": [
        (lambda s: webhooks.twilio_sms(webhook(s, "twilio"), f"SM{next(ids)}", "+15550000001", "hi", auth_token=None), 401),
        (lambda s: webhooks.twilio_sms(webhook(s, "twilio"), f"SM{next(ids)}", "+15550000001", "hi", auth_token="guessed"), 403),
    ],
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_unsigned_and_forged_calls_are_refused_and_not_answered(stack, fake, channel):
    for make_call, status in FORGERIES[channel]:
        answer = make_call(stack).post(webhook(stack, channel))
        assert answer.status_code == status
        assert answer.headers["Content-Type"].startswith("application/json")
        assert "error" in answer.json()
    assert sent_besides_a_later_message(fake, channel, webhook(stack, channel)) == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_crisis_reply_goes_out_first_and_whole(stack, fake, channel):
    # The crisis turn's own messages, from a REST conversation past its greeting.
    rest_messages = answer_after_greeting(stack, CRISIS)
    crisis_texts = [r.text for r in plan_turn(rest_messages) if r.urgent]
    assert crisis_texts and "911" in crisis_texts[0], rest_messages
    if channel == "twilio":  # one SMS: separate ones may arrive out of order
        crisis_texts = [sms_plain("\n\n".join(crisis_texts))]

    # A first message: the session-start notice is part of this turn, yet goes after.
    post(stack, channel, CRISIS, str(next(ids)), str(next(ids)))
    sent = fake.wait_for_sent(channel, len(crisis_texts) + 1, settle=1.5)
    got = [sent_text(c) for c in sent]
    assert got[: len(crisis_texts)] == crisis_texts, got  # first, in order, each whole in one message
    assert len(got) > len(crisis_texts)


def answer_after_greeting(stack, text: str) -> List[Dict[str, Any]]:
    """REST answer to `text` in a conversation that already had its greeting turn."""
    sender = f"rest-{next(ids)}"
    stack.rest(sender, "/greet")
    return stack.rest(sender, text)


def sms_after_greeting(stack, fake, user: str) -> None:
    post(stack, "twilio", "/greet", user, str(next(ids)))
    fake.wait_for_sent("twilio", 1, settle=2)
    fake.clear()


def test_long_answer_over_sms_is_split_at_sentence_or_line_ends(stack, fake):
    [answer] = [m for m in answer_after_greeting(stack, "/ask_what_is_addiction") if m.get("text")]
    full = sms_plain(f"{answer['text']}\n\n{numbered_options(answer['buttons'])}")
    assert sms_segments(full) > 3, "pick a longer answer: this one fits one SMS"

    user = str(next(ids))
    sms_after_greeting(stack, fake, user)
    post(stack, "twilio", "/ask_what_is_addiction", user, str(next(ids)))
    bodies = [c.params["Body"] for c in fake.wait_for_sent("twilio", 2, settle=2)]
    assert len(bodies) >= 2
    assert all(sms_segments(body) <= 3 for body in bodies)
    assert all(re.search(r"([.!?]|\n\d+\. [^\n]*)$", body) for body in bodies), bodies
    assert normalized(" ".join(bodies)) == normalized(full)


def test_sms_number_reply_selects_the_offered_option(stack, fake):
    [answer] = [m for m in answer_after_greeting(stack, "/ask_what_is_addiction") if m.get("text")]
    second_option = answer["buttons"][1]["payload"]
    expected = [m["text"] for m in answer_after_greeting(stack, second_option) if m.get("text")]

    user = str(next(ids))
    sms_after_greeting(stack, fake, user)
    post(stack, "twilio", "/ask_what_is_addiction", user, str(next(ids)))
    fake.wait_for_sent("twilio", 2, settle=2)
    fake.clear()
    post(stack, "twilio", "2", user, str(next(ids)))
    bodies = [c.params["Body"] for c in fake.wait_for_sent("twilio", 1, settle=2)]
    assert normalized(" ".join(bodies)).startswith(normalized(sms_plain(expected[0])))
