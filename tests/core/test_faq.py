"""The center's own questions: center.yml `faq` with environment overrides, and
what action_answer_faq sends (the center's text, or the honest specialist)."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import faq
from actions.center import FAQ_KEYS, ConfigError, build_center, load_settings
from tests.core.trackers import DOMAIN, tracker


def center_with(**environ):
    return build_center(load_settings(environ=environ))


def run_faq(monkeypatch, intent, language="en", **environ):
    monkeypatch.setattr(faq, "get_center", lambda: center_with(**environ))
    dispatcher = CollectingDispatcher()
    events = asyncio.run(faq.ActionAnswerFaq().run(
        dispatcher, tracker("question", intent, slots={"language": language}, form_active=False), DOMAIN))
    return dispatcher.messages, events


def test_every_faq_intent_has_a_key_and_every_key_an_intent():
    faq_intents = {intent for intent in DOMAIN["intents"] if intent.startswith("faq_")}
    assert faq_intents == {f"faq_{key}" for key in FAQ_KEYS}


def test_the_file_leaves_every_answer_to_the_center():
    center = center_with()
    assert set(center.faq) == set(FAQ_KEYS)
    assert all(center.faq_answer(key, language) == "" for key in FAQ_KEYS for language in ("en", "es"))


def test_environment_overrides_each_language_apart():
    center = center_with(CENTER_FAQ_INSURANCE="We take Medicaid.", CENTER_FAQ_COST_ES="Es gratis.")
    assert center.faq_answer("insurance", "en") == "We take Medicaid."
    assert center.faq_answer("insurance", "es") == ""
    assert center.faq_answer("cost", "es") == "Es gratis."


def test_a_configured_answer_is_sent_as_the_centers_own_text(monkeypatch):
    messages, _ = run_faq(monkeypatch, "faq_insurance", CENTER_FAQ_INSURANCE="We take  Medicaid and most plans.")
    assert [m["response"] for m in messages] == ["utter_faq_answer"]
    assert messages[0]["answer"] == "We take Medicaid and most plans."


def test_the_answer_follows_the_visitors_language(monkeypatch):
    messages, _ = run_faq(monkeypatch, "faq_cost", language="es",
                          CENTER_FAQ_COST="It is free.", CENTER_FAQ_COST_ES="Es gratis.")
    assert messages[0]["answer"] == "Es gratis."


def test_an_unfilled_answer_gets_the_specialist_with_number_hours_and_callback(monkeypatch):
    messages, events = run_faq(monkeypatch, "faq_referral")
    assert [m["response"] for m in messages] == ["utter_faq_ask_specialist"]
    assert messages[0]["center_phone"] == "(555) 010-0199"
    assert messages[0]["center_hours"].startswith("Mon-Fri 8 am-8 pm")
    buttons = DOMAIN["responses"]["utter_faq_ask_specialist"][0]["buttons"]
    assert "/request_callback" in [button["payload"] for button in buttons]
    assert events == []  # never starts the form unasked


def test_confidentiality_also_gets_the_federal_rule(monkeypatch):
    for environ in ({}, {"CENTER_FAQ_CONFIDENTIALITY": "We never call your employer."}):
        messages, _ = run_faq(monkeypatch, "faq_confidentiality", **environ)
        assert messages[-1]["response"] == "utter_confidentiality_rule"
    assert "42 CFR Part 2" in DOMAIN["responses"]["utter_confidentiality_rule"][0]["text"]


@pytest.mark.parametrize("settings", [
    {"faq": {"parking_lot": {"en": "x"}}},
    {"faq": {"cost": "free"}},
    {"faq": {"cost": {"en": "x" * 601}}},
])
def test_invalid_faq_configuration_is_reported(settings):
    with pytest.raises(ConfigError):
        build_center({**load_settings(environ={}), **settings})
