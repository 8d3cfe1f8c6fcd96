"""Webhook -> verification -> Rasa connector -> reply, against a real server
whose agent is scripted (tests/connectors/scripted_rasa.py), so that each reply
shape (buttons, contact card, crisis in a mixed turn, long text) is certain."""
import itertools
import json
import re
import time

import pytest
import requests

from tests.connectors import webhooks
from tests.connectors.conftest import log_with, sent_besides_a_probe
from tests.connectors.fake_platforms import sent_text
from tests.connectors.scripted_rasa import CRISIS_TEXT, LONG_ANSWER, OPTIONS
from connectors.messaging.formatting import sms_segments

ids = itertools.count(int(time.time()) % 100000 * 1000)


def next_id() -> int:
    return next(ids)


# --- Telegram ------------------------------------------------------------------------


def test_telegram_signed_update_gets_exactly_one_reply_to_the_real_chat(scripted, fake):
    chat = next_id()
    reply = webhooks.telegram_text(next_id(), chat, "hello").post(scripted.webhook("telegram"))
    assert reply.status_code == 200
    sent = fake.wait_for(lambda: fake.sent("telegram"))
    assert len(sent) == 1
    assert sent[0].params["chat_id"] == str(chat)
    assert sent[0].params["text"] == "Thanks for your message."
    received = [r for r in scripted.received() if r["sender_id"] == f"telegram:{chat}"]
    assert received and received[-1]["input_channel"] == "telegram"


@pytest.mark.parametrize("secret,status", [(None, 401), ("not-the-secret", 403)])
def test_telegram_unsigned_or_forged_update_is_refused(scripted, fake, secret, status):
    chat = next_id()
    reply = webhooks.telegram_text(next_id(), chat, "hello", secret=secret).post(scripted.webhook("telegram"))
    assert reply.status_code == status
    assert "error" in reply.json()
    assert sent_besides_a_probe(scripted.webhook("telegram"), fake, "telegram") == []
    assert not [r for r in scripted.received() if r["sender_id"] == f"telegram:{chat}"]


def test_telegram_redelivered_update_is_answered_once(scripted, fake):
    update = webhooks.telegram_text(next_id(), next_id(), "hello")
    assert update.post(scripted.webhook("telegram")).status_code == 200
    assert update.post(scripted.webhook("telegram")).status_code == 200
    assert len(fake.wait_for(lambda: fake.sent("telegram"))) == 1


def test_telegram_quick_replies_become_inline_buttons_and_come_back_as_payloads(scripted, fake):
    chat = next_id()
    webhooks.telegram_text(next_id(), chat, "show options").post(scripted.webhook("telegram"))
    sent = fake.wait_for(lambda: fake.sent("telegram"))
    markup = json.loads(sent[0].params["reply_markup"])
    assert [row[0]["callback_data"] for row in markup["inline_keyboard"]] == [o["payload"] for o in OPTIONS]
    assert [row[0]["text"] for row in markup["inline_keyboard"]] == [o["title"] for o in OPTIONS]

    tap = webhooks.telegram_button(next_id(), chat, "/ask_detox")
    answer = tap.post(scripted.webhook("telegram"))
    # The webhook's answer acknowledges the tap, so Telegram stops the button's spinner.
    assert answer.status_code == 200
    assert answer.json() == {"method": "answerCallbackQuery", "callback_query_id": json.loads(tap.body)["callback_query"]["id"]}
    received = fake.wait_for(
        lambda: [r for r in scripted.received() if r["sender_id"] == f"telegram:{chat}" and r["text"] == "/ask_detox"]
    )
    assert received


def test_telegram_webhook_is_registered_with_its_secret_at_start(scripted, fake):
    registrations = [c for c in fake.history if c.method == "setWebhook"]
    assert len(registrations) == 1
    assert registrations[0].params["url"] == webhooks.PUBLIC_TELEGRAM_WEBHOOK
    assert registrations[0].params["secret_token"] == webhooks.SECRETS["TELEGRAM_WEBHOOK_SECRET"]
    assert json.loads(registrations[0].params["allowed_updates"]) == ["message", "edited_message", "callback_query"]
    assert registrations[0].path == f"/telegram/bot{webhooks.SECRETS['TELEGRAM_BOT_TOKEN']}/setWebhook"


def test_telegram_rasas_unauthenticated_set_webhook_route_is_closed(scripted, fake):
    reply = requests.get(scripted.url + "/webhooks/telegram/set_webhook", timeout=10)
    assert reply.status_code == 404
    assert [c for c in fake.calls if c.method == "setWebhook"] == []


def test_rejections_are_logged_without_the_message(scripted, fake):
    marker = f"my-private-words-{next_id()}"
    rejections = ["Rejected telegram webhook call: wrong X-Telegram-Bot-Api-Secret-Token.",
                  "Rejected facebook webhook call: wrong X-Hub-Signature-256."]
    before = [scripted.log.read_text().count(rejection) for rejection in rejections]  # earlier tests' too
    webhooks.telegram_text(next_id(), next_id(), marker, secret="forged").post(scripted.webhook("telegram"))
    webhooks.facebook_text(f"m_{next_id()}", "1", marker, secret="forged").post(scripted.webhook("facebook"))
    log = log_with(scripted, "Rejected facebook webhook call")
    assert "Rejected telegram webhook call: wrong X-Telegram-Bot-Api-Secret-Token." in log
    assert "Rejected facebook webhook call: wrong X-Hub-Signature-256." in log
    assert marker not in log


def test_malformed_signed_calls_get_a_json_400_not_a_500(scripted, fake):
    not_json = webhooks.Webhook(b"{not json", {"Content-Type": "application/json",
                                              "X-Telegram-Bot-Api-Secret-Token": webhooks.SECRETS["TELEGRAM_WEBHOOK_SECRET"]})
    reply = not_json.post(scripted.webhook("telegram"))
    assert reply.status_code == 400 and "error" in reply.json()
    member_update = webhooks._telegram({"update_id": next_id(), "my_chat_member": {"chat": {"id": 1}}},
                                       webhooks.SECRETS["TELEGRAM_WEBHOOK_SECRET"])
    assert member_update.post(scripted.webhook("telegram")).status_code == 200  # acknowledged, nothing to answer
    assert sent_besides_a_probe(scripted.webhook("telegram"), fake, "telegram") == []


# --- Slack ---------------------------------------------------------------------------


def test_slack_signed_event_gets_exactly_one_reply_in_its_channel(scripted, fake):
    user, channel = f"U{next_id()}", f"D{next_id()}"
    reply = webhooks.slack_message(f"Ev{next_id()}", user, channel, "hello").post(scripted.webhook("slack"))
    assert reply.status_code == 200
    sent = fake.wait_for(lambda: fake.sent("slack"))
    assert len(sent) == 1
    assert sent[0].params["channel"] == channel
    assert sent[0].params["text"] == "Thanks for your message."
    assert sent[0].headers.get("Authorization") == "Bearer " + webhooks.SECRETS["SLACK_BOT_TOKEN"]
    assert [r for r in scripted.received() if r["sender_id"] == f"slack:{user}"]


@pytest.mark.parametrize(
    "secret,timestamp,status",
    [(None, None, 401), ("wrong-secret", None, 403), (webhooks.SECRETS["SLACK_SIGNING_SECRET"], 1_000_000, 403)],
    ids=["unsigned", "forged", "replayed-old-timestamp"],
)
def test_slack_unsigned_forged_or_stale_event_is_refused(scripted, fake, secret, timestamp, status):
    event = webhooks.slack_message(f"Ev{next_id()}", "U1", "D1", "hello", secret=secret, timestamp=timestamp)
    reply = event.post(scripted.webhook("slack"))
    assert reply.status_code == status
    assert "error" in reply.json()
    assert sent_besides_a_probe(scripted.webhook("slack"), fake, "slack") == []


def test_slack_retry_with_retry_num_is_answered_once(scripted, fake):
    event = webhooks.slack_message(f"Ev{next_id()}", f"U{next_id()}", f"D{next_id()}", "hello")
    assert event.post(scripted.webhook("slack")).status_code == 200
    retry = event.with_headers(X_Slack_Retry_Num="1", X_Slack_Retry_Reason="http_error")
    answer = retry.post(scripted.webhook("slack"))
    assert answer.status_code == 200
    assert answer.headers.get("X-Slack-No-Retry") == "1"
    assert len(fake.wait_for(lambda: fake.sent("slack"))) == 1


def test_slack_quick_replies_become_blocks_and_clicks_come_back(scripted, fake):
    user, channel = f"U{next_id()}", f"D{next_id()}"
    webhooks.slack_message(f"Ev{next_id()}", user, channel, "show options").post(scripted.webhook("slack"))
    sent = fake.wait_for(lambda: fake.sent("slack"))
    blocks = sent[0].params["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    assert blocks[0]["text"]["text"] == "How can I help?"
    assert [e["value"] for e in blocks[1]["elements"]] == [o["payload"] for o in OPTIONS]

    click = webhooks.slack_button(user, channel, "/ask_treatment", f"trig{next_id()}")
    assert click.post(scripted.webhook("slack")).status_code == 200
    assert fake.wait_for(
        lambda: [r for r in scripted.received() if r["sender_id"] == f"slack:{user}" and r["text"] == "/ask_treatment"]
    )


def test_slack_url_verification_is_answered_after_the_signature_check(scripted):
    body = b'{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}'
    signed = webhooks._slack(body, "application/json", webhooks.SECRETS["SLACK_SIGNING_SECRET"], None)
    reply = signed.post(scripted.webhook("slack"))
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert webhooks._slack(body, "application/json", "forged", None).post(scripted.webhook("slack")).status_code == 403


# --- Facebook Messenger -------------------------------------------------------------


def test_messenger_signed_message_gets_exactly_one_reply(scripted, fake):
    psid = str(next_id())
    reply = webhooks.facebook_text(f"m_{next_id()}", psid, "hello").post(scripted.webhook("facebook"))
    assert reply.status_code == 200
    sent = fake.wait_for(lambda: fake.sent("facebook"))
    assert len(sent) == 1
    assert sent[0].params["recipient"] == {"id": psid}
    assert sent[0].params["message"] == {"text": "Thanks for your message."}
    assert sent[0].params["access_token"] == webhooks.SECRETS["FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert [r for r in scripted.received() if r["sender_id"] == f"facebook:{psid}"]


@pytest.mark.parametrize("secret,status", [(None, 401), ("not-the-app-secret", 403)])
def test_messenger_unsigned_or_forged_message_is_refused(scripted, fake, secret, status):
    reply = webhooks.facebook_text(f"m_{next_id()}", "1", "hello", secret=secret).post(scripted.webhook("facebook"))
    assert reply.status_code == status
    assert sent_besides_a_probe(scripted.webhook("facebook"), fake, "facebook") == []


def test_messenger_sha1_signature_alone_is_not_enough(scripted, fake):
    signed = webhooks.facebook_text(f"m_{next_id()}", "1", "hello")
    reply = signed.with_headers(X_Hub_Signature_256=None).post(scripted.webhook("facebook"))
    assert reply.status_code == 401
    assert sent_besides_a_probe(scripted.webhook("facebook"), fake, "facebook") == []


def test_messenger_redelivered_message_is_answered_once(scripted, fake):
    message = webhooks.facebook_text(f"m_{next_id()}", str(next_id()), "hello")
    assert message.post(scripted.webhook("facebook")).status_code == 200
    assert message.post(scripted.webhook("facebook")).status_code == 200
    assert len(fake.wait_for(lambda: fake.sent("facebook"))) == 1


def test_messenger_batch_of_messages_is_answered_whole_and_in_order(scripted, fake):
    psid, other = str(next_id()), str(next_id())
    echo = {"mid": f"m_{next_id()}", "text": "a reply the page sent", "is_echo": True}
    batch = webhooks.facebook_batch([
        (psid, echo),
        (psid, {"mid": f"m_{next_id()}", "text": "first"}),
        (psid, {"mid": f"m_{next_id()}", "text": "second"}),
        (other, {"mid": f"m_{next_id()}", "text": "hello"}),
    ])
    assert batch.post(scripted.webhook("facebook")).status_code == 200
    received = fake.wait_for(lambda: [r for r in scripted.received() if r["sender_id"] == f"facebook:{psid}"])
    assert [r["text"] for r in received] == ["first", "second"]
    assert [r["text"] for r in scripted.received() if r["sender_id"] == f"facebook:{other}"] == ["hello"]
    assert len(fake.wait_for_sent("facebook", 3)) == 3
    # The same batch again is a re-delivery: nothing is answered twice.
    assert batch.post(scripted.webhook("facebook")).status_code == 200
    assert len(sent_besides_a_probe(scripted.webhook("facebook"), fake, "facebook")) == 3


def test_messenger_quick_replies_and_their_payload(scripted, fake):
    psid = str(next_id())
    webhooks.facebook_text(f"m_{next_id()}", psid, "show options").post(scripted.webhook("facebook"))
    sent = fake.wait_for(lambda: fake.sent("facebook"))
    quick = sent[0].params["message"]["quick_replies"]
    assert [q["payload"] for q in quick] == [o["payload"] for o in OPTIONS]
    assert all(len(q["title"]) <= 20 and q["content_type"] == "text" for q in quick)

    webhooks.facebook_text(f"m_{next_id()}", psid, "Medical detox", quick_reply="/ask_detox").post(
        scripted.webhook("facebook"))
    assert fake.wait_for(
        lambda: [r for r in scripted.received() if r["sender_id"] == f"facebook:{psid}" and r["text"] == "/ask_detox"]
    )


def test_messenger_subscription_handshake_still_works(scripted):
    url = scripted.webhook("facebook")
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": webhooks.SECRETS["FACEBOOK_VERIFY_TOKEN"],
                                   "hub.challenge": "1158201444"}, timeout=10)
    assert ok.text == "1158201444"
    bad = requests.get(url, params={"hub.verify_token": "wrong", "hub.challenge": "1158201444"}, timeout=10)
    assert "1158201444" not in bad.text


# --- Twilio SMS / WhatsApp ------------------------------------------------------------


def test_sms_signed_message_gets_exactly_one_reply_from_our_number(scripted, fake):
    url, phone = scripted.webhook("twilio"), f"+1555{next_id() % 10**7:07d}"
    reply = webhooks.twilio_sms(url, f"SM{next_id()}", phone, "hello").post(url)
    assert reply.status_code == 204
    sent = fake.wait_for(lambda: fake.sent("twilio"))
    assert len(sent) == 1
    assert sent[0].params["To"] == phone
    assert sent[0].params["From"] == webhooks.SECRETS["TWILIO_NUMBER"]
    assert sent[0].params["Body"] == "Thanks for your message."
    assert sent[0].path.endswith(f"/Accounts/{webhooks.SECRETS['TWILIO_ACCOUNT_SID']}/Messages.json")
    assert [r for r in scripted.received() if r["sender_id"] == f"twilio:{phone}"]


@pytest.mark.parametrize("token,status", [(None, 401), ("not-the-auth-token", 403)])
def test_sms_unsigned_or_forged_message_is_refused(scripted, fake, token, status):
    url = scripted.webhook("twilio")
    reply = webhooks.twilio_sms(url, f"SM{next_id()}", "+15550001111", "hello", auth_token=token).post(url)
    assert reply.status_code == status
    assert sent_besides_a_probe(scripted.webhook("twilio"), fake, "twilio") == []


def test_sms_signature_covers_the_url(scripted, fake):
    url = scripted.webhook("twilio")
    signed_for_other_url = webhooks.twilio_sms("https://example.org/webhooks/twilio/webhook", f"SM{next_id()}",
                                               "+15550001111", "hello")
    assert signed_for_other_url.post(url).status_code == 403


def test_sms_redelivered_message_sid_is_answered_once(scripted, fake):
    url = scripted.webhook("twilio")
    message = webhooks.twilio_sms(url, f"SM{next_id()}", "+15550002222", "hello")
    assert message.post(url).status_code == 204
    assert message.post(url).status_code == 204
    assert len(fake.wait_for(lambda: fake.sent("twilio"))) == 1


def test_long_sms_answer_is_split_at_sentences_into_short_messages(scripted, fake):
    url = scripted.webhook("twilio")
    webhooks.twilio_sms(url, f"SM{next_id()}", "+15550003333", "tell me something long").post(url)
    sent = fake.wait_for_sent("twilio", 2)
    bodies = [call.params["Body"] for call in sent]
    assert len(bodies) >= 2
    assert all(sms_segments(body) <= 3 for body in bodies)
    assert all(re.search(r"[.!?]$", body) for body in bodies), bodies  # cut after a sentence
    assert " ".join(bodies) == LONG_ANSWER


def test_sms_options_are_numbered_and_a_number_maps_back(scripted, fake):
    url, phone = scripted.webhook("twilio"), "+15550004444"
    webhooks.twilio_sms(url, f"SM{next_id()}", phone, "show options").post(url)
    body = fake.wait_for(lambda: fake.sent("twilio"))[0].params["Body"]
    assert body == "How can I help?\n\nReply with a number:\n1. Talk to a specialist\n2. Treatment options\n3. Medical detox"

    webhooks.twilio_sms(url, f"SM{next_id()}", phone, "2").post(url)
    assert fake.wait_for(
        lambda: [r for r in scripted.received() if r["sender_id"] == f"twilio:{phone}" and r["text"] == "/ask_treatment"]
    )
    # That turn offered no options: a later "2" is just text again.
    webhooks.twilio_sms(url, f"SM{next_id()}", phone, "2").post(url)
    assert fake.wait_for(
        lambda: [r for r in scripted.received() if r["sender_id"] == f"twilio:{phone}" and r["text"] == "2"]
    )


def test_whatsapp_replies_come_from_the_whatsapp_number(scripted, fake):
    url = scripted.webhook("twilio")
    webhooks.twilio_sms(url, f"SM{next_id()}", "whatsapp:+15550005555", "hello").post(url)
    sent = fake.wait_for(lambda: fake.sent("twilio"))
    assert sent[0].params["To"] == "whatsapp:+15550005555"
    assert sent[0].params["From"] == "whatsapp:" + webhooks.SECRETS["TWILIO_NUMBER"]


def test_sms_contact_card_becomes_text_with_the_phone_number(scripted, fake):
    url = scripted.webhook("twilio")
    webhooks.twilio_sms(url, f"SM{next_id()}", "+15550006666", "contact card please").post(url)
    sent = fake.wait_for_sent("twilio", 2)
    assert sent[0].params["Body"] == "You can call us."
    assert "(555) 010-1234" in sent[1].params["Body"]
    assert "Riverside Recovery Center" in sent[1].params["Body"]


# --- crisis first, on every channel ------------------------------------------------------


CRISIS = "my brother overdosed and isn't breathing"


def _post_crisis(channel, scripted):
    if channel == "telegram":
        return webhooks.telegram_text(next_id(), next_id(), CRISIS).post(scripted.webhook("telegram"))
    if channel == "slack":
        return webhooks.slack_message(f"Ev{next_id()}", f"U{next_id()}", f"D{next_id()}", CRISIS).post(
            scripted.webhook("slack"))
    if channel == "facebook":
        return webhooks.facebook_text(f"m_{next_id()}", str(next_id()), CRISIS).post(scripted.webhook("facebook"))
    url = scripted.webhook("twilio")
    return webhooks.twilio_sms(url, f"SM{next_id()}", "+15550007777", CRISIS).post(url)


@pytest.mark.parametrize("channel", ["telegram", "slack", "facebook", "twilio"])
def test_crisis_text_goes_out_first_and_whole(scripted, fake, channel):
    assert _post_crisis(channel, scripted).status_code in (200, 204)
    sent = fake.wait_for_sent(channel, 2)
    assert len(sent) == 2  # crisis text, then the rest; the crisis payload adds no message
    assert sent_text(sent[0]) == CRISIS_TEXT
    assert sent_text(sent[1]).startswith("Here is what you can do.")


# --- several Rasa servers sharing Redis ------------------------------------------------------


@pytest.fixture(scope="module")
def two_servers_sharing_redis(fake, tmp_path_factory):
    from tests.connectors.conftest import local_redis, scripted_server

    # A key prefix of this run's own: other test runs share the local Redis.
    env = {**webhooks.channel_env(fake), "REDIS_URL": local_redis(15),
           "CHANNELS_KEY_PREFIX": f"test-channels-{time.time_ns()}:"}
    with scripted_server(env, tmp_path_factory.mktemp("first")) as first, \
            scripted_server(env, tmp_path_factory.mktemp("second")) as second:
        yield first, second


def test_redelivery_to_another_server_is_not_answered_again(two_servers_sharing_redis, fake):
    first, second = two_servers_sharing_redis
    update = webhooks.telegram_text(next_id(), next_id(), "hello")
    assert update.post(first.webhook("telegram")).status_code == 200
    assert update.post(second.webhook("telegram")).status_code == 200
    assert len(fake.wait_for_sent("telegram")) == 1

    url_first, url_second = first.webhook("twilio"), second.webhook("twilio")
    sms = webhooks.twilio_sms(url_first, f"SM{next_id()}", "+15550008888", "hello")
    assert sms.post(url_first).status_code == 204
    resigned_for_second = webhooks.twilio_sms(url_second, sms_sid := f"SM{next_id()}", "+15550008888", "x")
    assert resigned_for_second.post(url_second).status_code == 204
    # same MessageSid re-delivered to the other server
    again = webhooks.twilio_sms(url_second, sms_sid, "+15550008888", "x")
    assert again.post(url_second).status_code == 204
    assert len(fake.wait_for_sent("twilio", 2)) == 2


def test_sms_option_numbers_work_whichever_server_gets_the_answer(two_servers_sharing_redis, fake):
    first, second = two_servers_sharing_redis
    phone = f"+1555{next_id() % 10**7:07d}"
    url_first, url_second = first.webhook("twilio"), second.webhook("twilio")
    webhooks.twilio_sms(url_first, f"SM{next_id()}", phone, "show options").post(url_first)
    fake.wait_for_sent("twilio")
    webhooks.twilio_sms(url_second, f"SM{next_id()}", phone, "3").post(url_second)
    assert fake.wait_for(
        lambda: [r for r in second.received() if r["sender_id"] == f"twilio:{phone}" and r["text"] == "/ask_detox"]
    )
