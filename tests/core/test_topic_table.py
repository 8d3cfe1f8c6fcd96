"""The one topic table (actions/topics.yml) agrees with everything written from it:
the generated rules, the `topic` slot, the form's list of non-answers, the
responses and the conversation tests. And the follow-up, medication and
"did you mean" actions answer from it."""
import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import clarify, followup, medications
from actions.topics import FOLLOWUP_KINDS, topic_table
from tests.core.trackers import DOMAIN, tracker

ROOT = Path(__file__).resolve().parents[2]
TABLE = topic_table()
TOPIC_INTENTS = {intent: topic for topic in TABLE.topics for intent in topic.intents}
sys.path.insert(0, str(ROOT / "scripts"))
from validate_data import responses_sent_by_actions  # noqa: E402


def test_generated_rules_are_up_to_date():
    result = subprocess.run([sys.executable, "scripts/topic_rules.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_topic_slot_values_and_mappings_follow_the_table():
    slot = DOMAIN["slots"]["topic"]
    assert slot["values"] == [topic.name for topic in TABLE.topics]
    mapped = {}
    for mapping in slot["mappings"]:
        intents = mapping["intent"] if isinstance(mapping["intent"], list) else [mapping["intent"]]
        mapped.update({intent: mapping["value"] for intent in intents})
    assert mapped == {intent: topic.name for intent, topic in TOPIC_INTENTS.items()}


def test_every_topic_intent_is_in_the_domain_with_training_data_and_no_form_answer():
    examples = {block["intent"] for path in (ROOT / "data" / "nlu").glob("*.yml")
                for block in (yaml.safe_load(path.read_text()).get("nlu") or []) if "intent" in block}
    not_an_answer = DOMAIN["slots"]["first_name"]["mappings"][0]["not_intent"]
    for intent in TOPIC_INTENTS:
        assert intent in DOMAIN["intents"] and intent in examples and intent in not_an_answer, intent
    for kind in FOLLOWUP_KINDS:
        assert f"followup_{kind}" in DOMAIN["intents"] and f"followup_{kind}" in examples


def test_every_answer_the_table_or_an_action_names_exists():
    named = {answer for topic in TABLE.topics for answer in
             [*topic.intents.values(), topic.more, *topic.followups.values()] if answer}
    named |= set(TABLE.followup_defaults.values())
    for answer in named | responses_sent_by_actions():
        if answer.startswith("utter_"):
            assert answer in DOMAIN["responses"], answer
        elif answer.startswith("action_"):
            assert answer in DOMAIN["actions"], answer
        else:
            assert answer.startswith("faq:"), answer


def test_conversation_tests_cover_every_topic_intent_and_follow_up():
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    tested = {step["intent"] for story in stories for step in story["steps"] if "intent" in step}
    missing = [i for i in [*TOPIC_INTENTS, *(f"followup_{k}" for k in FOLLOWUP_KINDS)] if i not in tested]
    assert not missing


def run(action, text, intent, **slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, intent, slots=slots, form_active=False), DOMAIN))
    return [m.get("response") for m in dispatcher.messages], dispatcher.messages, events


@pytest.mark.parametrize("topic,intent,expected", [
    ("withdrawal", "followup_timing", "utter_withdrawal_timing"),
    ("detox", "followup_pain", "utter_detox_pain"),
    ("naloxone", "followup_safety", "utter_naloxone"),
    ("naloxone", "followup_cost", "utter_naloxone_where"),
    ("methadone", "followup_safety", "utter_medication_safety"),
    ("outpatient", "followup_other_person", "utter_help_loved_one"),
    ("causes", "followup_family_history", "utter_cause_genetics"),
    ("telehealth", "followup_cost", "utter_faq_ask_specialist"),
])
def test_a_follow_up_is_answered_for_the_topic_under_discussion(topic, intent, expected):
    responses, _, _ = run(followup.ActionAnswerFollowup(), "and then?", intent, topic=topic)
    assert responses == [expected]


def test_a_follow_up_nothing_answers_names_the_topic_and_offers_the_specialist():
    _, messages, _ = run(followup.ActionAnswerFollowup(), "how long does it take", "followup_timing", topic="outpatient")
    assert messages[0]["response"] == "utter_followup_specialist"
    assert messages[0]["topic_label"] == "the outpatient program"
    assert messages[0]["center_phone"] == "(555) 010-0199"


def test_a_follow_up_without_a_topic_asks_what_it_is_about():
    responses, _, _ = run(followup.ActionAnswerFollowup(), "is it safe", "followup_safety", topic=None)
    assert responses == ["utter_followup_no_topic"]


@pytest.mark.parametrize("text,medication", [
    ("is suboxone better", "buprenorphine"), ("whats vivitrol", "naltrexone"),
    ("how does methadone work", "methadone"), ("methadone vs suboxone", None), ("which meds are approved", None),
])
def test_the_named_medication_is_answered_and_becomes_the_topic(text, medication):
    responses, _, events = run(medications.ActionAnswerMedication(), text, "ask_medications")
    assert responses == [f"utter_{medication}" if medication else "utter_medications"]
    assert events[0]["value"] == (medication or "medications")


def ranked(*names):
    return [{"name": "nlu_fallback", "confidence": 0.35}] + [{"name": n, "confidence": 0.3} for n in names]


def clarify_with(*names):
    state = tracker("hmm", "nlu_fallback", form_active=False)
    state.latest_message["intent_ranking"] = ranked(*names)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(clarify.ActionClarify().run(dispatcher, state, DOMAIN))
    return dispatcher.messages, events


def test_two_close_topics_get_did_you_mean_with_two_buttons():
    messages, _ = clarify_with("ask_detox", "ask_mat", "greet")
    assert messages[0]["response"] == "utter_clarify"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_detox", "/ask_mat"]


def test_an_unsure_out_of_scope_guess_gets_the_honest_reply():
    messages, _ = clarify_with("out_of_scope", "ask_detox")
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


def test_two_readings_of_one_topic_get_its_answer():
    messages, events = clarify_with("ask_withdrawal_timing", "ask_withdrawal")
    assert [m["response"] for m in messages] == ["utter_withdrawal_timing"]


def test_otherwise_not_understood():
    messages, _ = clarify_with("greet", "ask_detox")
    assert [m["response"] for m in messages] == ["utter_default"]


def test_an_unsure_follow_up_right_after_a_topic_is_answered_for_it():
    state = tracker("and is it risky", "nlu_fallback", slots={"topic": "naloxone"}, form_active=False)
    state.latest_message["intent_ranking"] = ranked("followup_safety", "ask_detox")
    dispatcher = CollectingDispatcher()
    asyncio.run(clarify.ActionClarify().run(dispatcher, state, DOMAIN))
    assert [m["response"] for m in dispatcher.messages] == ["utter_naloxone"]


def out_of_scope_with(text, guess, topic, *others):
    """action_out_of_scope for `text`, which the domain gate turned from `guess` (then `others`)."""
    state = tracker(text, "out_of_scope", slots={"topic": topic}, form_active=False)
    state.latest_message["intent_ranking"] = [{"name": name, "confidence": 0.4} for name in (guess, *others)]
    dispatcher = CollectingDispatcher()
    events = asyncio.run(clarify.ActionOutOfScope().run(dispatcher, state, DOMAIN))
    return [m["response"] for m in dispatcher.messages], events


def test_a_gated_faq_guess_that_refers_back_is_answered_in_context(monkeypatch):
    monkeypatch.setattr(clarify, "utter_faq", lambda dispatcher, tracker, key: dispatcher.utter_message(
        response="utter_faq_answer", answer=key))
    responses, events = out_of_scope_with("does insurance cover that", "faq_insurance", "detox")
    assert responses == ["utter_faq_answer"]
    assert events == []  # the topic under discussion stays


def test_a_gated_follow_up_guess_is_answered_for_the_topic():
    responses, events = out_of_scope_with("is that risky", "followup_safety", "naloxone")
    assert responses == ["utter_naloxone"]
    assert events == []


def test_a_follow_up_second_guess_is_answered_when_the_message_points_back():
    responses, _ = out_of_scope_with("what about my mom, shes 70 with heart problems", "ask_help_loved_one",
                                     "withdrawal", "out_of_scope", "followup_other_person")
    assert responses == ["utter_withdrawal_danger"]


def test_a_follow_up_beyond_the_three_best_guesses_is_not_taken():
    responses, _ = out_of_scope_with("and what about that", "ask_detox", "withdrawal",
                                     "ask_mat", "greet", "followup_safety")
    assert responses == ["utter_out_of_scope"]


@pytest.mark.parametrize("text,guess,topic", [
    ("does insurance cover that", "faq_insurance", None),            # no topic under discussion
    ("does my car insurance cover hail damage", "faq_insurance", "detox"),  # does not refer back
    ("can you tell me whether my homeowners insurance policy covers that flood", "faq_insurance", "detox"),
    ("is that open", "out_of_scope", "detox"),                       # the classifier's own out of scope
])
def test_otherwise_out_of_scope_stays_the_honest_reply(text, guess, topic):
    responses, events = out_of_scope_with(text, guess, topic)
    assert responses == ["utter_out_of_scope"]
    assert events == []
