"""Pure parts of the messaging connectors: splitting, SMS segments, turn order,
numbered options, the delivery ledger and the credentials renderer."""
import asyncio
import os
import re
import uuid

import pytest

from connectors.credentials import render, summary
from connectors.messaging import store
from connectors.messaging.formatting import (
    chosen_payload,
    contact_card_text,
    max_length,
    max_sms_segments,
    plan_turn,
    sms_plain,
    sms_segments,
    split_text,
)

CRISIS_PAYLOAD = {"type": "crisis", "kind": "overdose", "lines": []}


def test_split_keeps_short_text_whole_and_cuts_long_text_after_sentences():
    assert split_text("One. Two.", max_length(100)) == ["One. Two."]
    text = "First sentence here. Second one is here! Third one, is it here? Fourth."
    chunks = split_text(text, max_length(45))
    assert chunks == ["First sentence here. Second one is here!", "Third one, is it here? Fourth."]
    assert " ".join(chunks) == text


def test_split_prefers_paragraphs_then_words_and_cuts_inside_a_word_only_when_it_must():
    text = "Para one is short.\n\nPara two is also short."
    assert split_text(text, max_length(30)) == ["Para one is short.", "Para two is also short."]
    assert split_text("aaaa bbbb cccc", max_length(9)) == ["aaaa bbbb", "cccc"]
    assert split_text("x" * 25, max_length(10)) == ["x" * 10, "x" * 10, "x" * 5]


def test_sms_segments_follow_gsm7_and_ucs2_sizes():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2 and sms_segments("a" * 307) == 3
    assert sms_segments("€" * 80) == 1  # extension characters take two septets
    assert sms_segments("€" * 81) == 2
    assert sms_segments("é" * 160) == 1  # é is in the GSM-7 basic set
    assert sms_segments("ł" * 70) == 1 and sms_segments("ł" * 71) == 2  # UCS-2
    assert sms_segments("🙂" * 35) == 1 and sms_segments("🙂" * 36) == 2  # surrogate pairs


def test_sms_plain_keeps_smart_punctuation_from_forcing_ucs2():
    assert sms_plain("It’s “free” — call…") == "It's \"free\" - call..."
    assert sms_segments(sms_plain("It’s " * 30)) == 1


def test_sms_split_respects_segments_for_unicode_text():
    text = " ".join(["Żółć jest zła."] * 30)
    chunks = split_text(text, max_sms_segments(1))
    assert all(sms_segments(chunk) == 1 for chunk in chunks)
    assert " ".join(chunks) == text


def test_crisis_text_is_moved_before_everything_else_of_the_turn():
    turn = [
        {"text": "Pick one", "buttons": [{"title": "A", "payload": "/a"}]},
        {"text": "Call 911 now."},
        {"text": "Or call 988."},
        {"custom": CRISIS_PAYLOAD},
        {"text": "Anything else?"},
    ]
    replies = plan_turn(turn)
    assert [r.text for r in replies] == ["Call 911 now.", "Or call 988.", "Pick one", "Anything else?"]
    assert [r.urgent for r in replies] == [True, True, False, False]


def test_the_session_notice_stays_behind_the_crisis_text():
    turn = [
        {"text": "Hi, I'm the center's assistant. If someone is in danger, call 911."},  # the session-start notice
        {"text": "Call 911 now.", "utter_action": "utter_crisis_overdose"},
        {"text": "Signs of an overdose...", "utter_action": "utter_overdose_signs"},
        {"text": "SAMHSA 1-800-662-4357", "custom": CRISIS_PAYLOAD, "utter_action": "utter_crisis_helplines"},
    ]
    replies = plan_turn(turn)
    assert [r.text for r in replies] == [
        "Call 911 now.", "Signs of an overdose...", "SAMHSA 1-800-662-4357",
        "Hi, I'm the center's assistant. If someone is in danger, call 911."]
    assert [r.urgent for r in replies] == [True, True, True, False]


def test_crisis_text_and_payload_in_one_message_and_turns_without_crisis():
    assert plan_turn([{"text": "Call 911.", "custom": CRISIS_PAYLOAD}])[0].urgent
    plain = plan_turn([{"text": "a"}, {"text": "b", "buttons": [{"title": "B", "payload": "/b"}]}])
    assert [(r.text, r.urgent) for r in plain] == [("a", False), ("b", False)]


def test_contact_card_becomes_text_with_the_phone_number():
    card = {"type": "contact_card", "center": "Center", "phone": "+15550101234",
            "phone_display": "(555) 010-1234", "hours": "9-5", "address": "1 Main St"}
    assert contact_card_text(card) == "Center\nCall (555) 010-1234\nHours: 9-5\n1 Main St"
    [reply] = plan_turn([{"custom": card}])
    assert "(555) 010-1234" in reply.text
    assert "+15550101234" in contact_card_text({"phone": "+15550101234"})


def test_typed_numbers_map_to_offered_payloads_only():
    payloads = ["/a", "/b"]
    assert chosen_payload("2", payloads) == "/b"
    assert chosen_payload(" 1. ", payloads) == "/a"
    assert chosen_payload("3", payloads) is None
    assert chosen_payload("0", payloads) is None
    assert chosen_payload("1 please", payloads) is None
    assert chosen_payload("1", []) is None


def test_memory_ledger_claims_once_and_forgets_after_the_ttl():
    async def scenario():
        memory = store.MemoryStore()
        assert await memory.add("k", "1", ttl=60)
        assert not await memory.add("k", "1", ttl=60)
        await memory.put("short", "1", ttl=0)
        assert await memory.get("short") is None
        bounded = store.MemoryStore(max_keys=2)
        for key in "abc":
            await bounded.add(key, "1", ttl=60)
        assert await bounded.get("a") is None and await bounded.get("c") == "1"

    asyncio.run(scenario())


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_redis_ledger_is_shared_between_store_instances():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(_redis_url(), socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")

    async def scenario():
        key = f"test:{uuid.uuid4().hex}"
        first, second = store.RedisStore(_redis_url()), store.RedisStore(_redis_url())
        assert await first.add(key, "1", ttl=30)
        assert not await second.add(key, "1", ttl=30)  # another Rasa server sees the claim
        ttl = await second._redis.ttl(key)
        assert 0 < ttl <= 30
        await second.delete(key)
        assert await first.add(key, "1", ttl=30)
        await first.delete(key)

    asyncio.run(scenario())


def test_ledger_fails_open_when_the_store_is_down(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(store, "_stores", {})
    assert asyncio.run(store.claim_delivery("telegram:1")) is True
    assert asyncio.run(store.claim_delivery("telegram:1")) is True


BASE = "connectors.rest.ValidatedRestInput:\n"


def test_credentials_without_secrets_keep_only_the_web_channels():
    text, enabled, missing = render(BASE, {})
    assert text == BASE and enabled == []
    assert missing["telegram"] == ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET"]
    assert "telegram: off (set TELEGRAM_BOT_TOKEN" in summary(enabled, missing, {})


def test_credentials_enable_a_channel_only_when_all_its_secrets_are_set():
    env = {"SLACK_BOT_TOKEN": "xoxb-secret-value", "SLACK_SIGNING_SECRET": "sig-secret-value",
           "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok"}  # TWILIO_NUMBER missing
    text, enabled, missing = render(BASE, env)
    assert enabled == ["slack"]
    assert missing["twilio"] == ["TWILIO_NUMBER"]
    assert "connectors.messaging.slack.SlackChannel:" in text
    assert "slack_signing_secret: ${SLACK_SIGNING_SECRET}" in text
    assert "secret-value" not in text  # the file references secrets, never holds them
    shown = summary(enabled, missing, env)
    assert "slack: on" in shown and "secret-value" not in shown


def test_rendered_credentials_load_in_rasa_with_the_environment(monkeypatch, tmp_path):
    import rasa.shared.utils.io

    env = {"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_BOT_USERNAME": "bot", "TELEGRAM_WEBHOOK_SECRET": "s3",
           "TELEGRAM_API_BASE": "http://127.0.0.1:9"}
    text, _, _ = render(BASE, env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    path.write_text(text)
    loaded = rasa.shared.utils.io.read_config_file(str(path))
    assert loaded["connectors.messaging.telegram.TelegramChannel"] == {
        "access_token": "1:abc", "verify": "bot", "secret_token": "s3", "api_base": "http://127.0.0.1:9"}


def test_credentials_refuse_a_base_file_that_already_has_the_channel():
    with pytest.raises(ValueError):
        render("connectors.messaging.slack.SlackChannel: {}\n",
               {"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "y"})


def test_credentials_cli_prints_names_only(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "var" / "credentials.yml"
    env = {k: v for k, v in os.environ.items() if not re.match(r"(TELEGRAM|SLACK|TWILIO|FACEBOOK)_", k)}
    env.update({"FACEBOOK_VERIFY_TOKEN": "vt-value", "FACEBOOK_APP_SECRET": "as-value",
                "FACEBOOK_PAGE_ACCESS_TOKEN": "pat-value"})
    result = subprocess.run(
        [sys.executable, "-m", "connectors.credentials", "--out", str(out), "--env-file", str(tmp_path / "none")],
        cwd=root, env=env, capture_output=True, text=True, check=True,
    )
    assert "facebook: on" in result.stdout and "telegram: off" in result.stdout
    assert "-value" not in result.stdout and "-value" not in out.read_text()
    assert "connectors.messaging.facebook.FacebookChannel:" in out.read_text()


def test_sms_joins_the_crisis_text_into_one_message_sent_first():
    from connectors.messaging.formatting import Reply
    from connectors.messaging.twilio import TwilioReplies

    sms = TwilioReplies("AC1", "token", "+15550000000")
    arranged = sms.arrange(plan_turn([{"text": "Pick", "buttons": [{"title": "A", "payload": "/a"}]},
                                      {"text": "Call 911 now."}, {"text": "Text 988."}, {"custom": CRISIS_PAYLOAD}]))
    assert [(r.text, r.urgent) for r in arranged] == [("Call 911 now.\n\nText 988.", True), ("Pick", False)]
    too_long = [Reply("x" * 900, urgent=True), Reply("y" * 900, urgent=True)]
    assert sms.arrange(too_long) == too_long
