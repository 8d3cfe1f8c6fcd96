"""The crisis safety net on top of the classifier."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from components.crisis_guard import OVERDOSE, SUICIDAL, CrisisGuard, crisis_intent_for

OVERDOSE_MESSAGES = [
    "he won't wake up",
    "she’s not breathing",
    "my son isnt breathing right",
    "cant wake my husband up",
    "I think my brother OD'd",
    "she is overdosing",
    "his lips are blue",
    "my friend is turning blue and making gurgling noises",
    "he took way too much",
    "she collapsed in the bathroom",
    "my dad is unresponsive",
    "this is an emergency",
    "where do i get naloxone right now my friend needs it",
    "i took a lot more than usual and i feel like im fading",
    "his pulse is really weak",
    "he hit the fent and went down",
    "my heart is slowing down after i used",
    "my friend just shot up and fell over",
]
SUICIDAL_MESSAGES = [
    "i want to kill myself",
    "im suicidal",
    "I don't want to live anymore",
    "thinking about ending my life",
    "everyone is better off without me",
    "i want to overdose on purpose",
    "i'm going to shoot up and never wake up",
    "how many bags would it take to not wake up",
    "this is my last message",
    "im going to jump in front of a train",
    "ive been stockpiling my pills to take at once",
    "im giving away all my things",
    "i hate my life and want it over",
    "i want to drive my car into a wall",
]
TOPIC_QUESTIONS = [
    "what are the withdrawal symptoms",
    "how does methadone work",
    "can you die from withdrawal",
    "is heroin addiction genetic",
    "my son is using heroin what do i do",
    "i want to talk to someone",
    "what does heroin do to your breathing long term",
    "i didnt want to be the odd one out so i tried it",
]


@pytest.mark.parametrize("text", OVERDOSE_MESSAGES)
def test_overdose_wording_is_a_crisis(text):
    assert crisis_intent_for(text) == OVERDOSE


@pytest.mark.parametrize("text", SUICIDAL_MESSAGES)
def test_suicidal_wording_is_a_crisis_and_wins_over_overdose(text):
    assert crisis_intent_for(text) == SUICIDAL


@pytest.mark.parametrize("text", TOPIC_QUESTIONS)
def test_ordinary_questions_are_left_to_the_classifier(text):
    assert crisis_intent_for(text) is None


def _classified(text, intent, confidence, ranking):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    return message


def guard():
    return CrisisGuard(CrisisGuard.get_default_config())


def test_pattern_overrides_a_confident_wrong_intent():
    message = _classified("he wont wake up", "ask_withdrawal", 0.9, [("ask_withdrawal", 0.9), ("crisis_overdose", 0.05)])
    guard().process([message])
    assert message.get("intent") == {"name": "crisis_overdose", "confidence": 1.0}
    assert message.get("intent_ranking")[0] == {"name": "crisis_overdose", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["crisis_overdose", "ask_withdrawal"]


def test_unsure_classifier_leans_towards_crisis():
    message = _classified("i dont know if he will wake", "nlu_fallback", 0.45,
                          [("nlu_fallback", 0.45), ("ask_help_loved_one", 0.3), ("crisis_overdose", 0.2)])
    guard().process([message])
    assert message.get("intent")["name"] == "crisis_overdose"


def test_unsure_reply_without_a_word_of_danger_keeps_its_intent():
    message = _classified("i think so", "affirm", 0.4, [("affirm", 0.4), ("crisis_overdose", 0.3), ("deny", 0.2)])
    guard().process([message])
    assert message.get("intent") == {"name": "affirm", "confidence": 0.4}


def test_confident_topic_is_kept():
    message = _classified("what is cbt", "ask_counselling", 0.95,
                          [("ask_counselling", 0.95), ("crisis_suicidal", 0.03)])
    guard().process([message])
    assert message.get("intent") == {"name": "ask_counselling", "confidence": 0.95}


def test_weak_crisis_score_does_not_trigger_on_an_unsure_topic():
    message = _classified("tell me about programs", "ask_treatment", 0.5,
                          [("ask_treatment", 0.5), ("ask_outpatient", 0.4), ("crisis_overdose", 0.05)])
    guard().process([message])
    assert message.get("intent")["name"] == "ask_treatment"
