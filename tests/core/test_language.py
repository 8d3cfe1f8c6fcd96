"""The language of each message (components/language.py)."""
import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.language import LanguageChoice, LanguageDetector, language_of


@pytest.mark.parametrize("text", [
    "what are the symptoms of withdrawal", "my son is dope sick what do i do",
    "can someone call me back tomorrow", "hello", "thanks",
])
def test_english_messages_are_english(text):
    assert language_of(text) == "en"


@pytest.mark.parametrize("text", [
    "que sintomas da la malilla", "mi hijo anda en las drogas, que hago",
    "quiero hablar con alguien por favor", "hola", "gracias",
])
def test_spanish_messages_are_spanish(text):
    assert language_of(text) == "es"


@pytest.mark.parametrize("text", ["ok", "si", "Maria", "617 555 0199", "", "?"])
def test_very_short_messages_keep_the_conversations_language(text):
    assert language_of(text) is None


def _entities(text):
    message = Message(data={TEXT: text})
    LanguageDetector(LanguageDetector.get_default_config()).process([message])
    return message.get(ENTITIES, [])


def test_the_component_adds_one_language_entity_for_the_slot():
    assert _entities("necesito ayuda con mi hijo") == [
        {"entity": "language", "value": "es", "start": 0, "end": 26, "extractor": "LanguageDetector"}
    ]
    assert _entities("ok") == []


def test_button_payloads_are_left_to_their_own_entities():
    assert _entities('/set_language{"language": "es"}') == []


@pytest.mark.parametrize("text,chosen", [
    ("English", True), ("Español", True), ("espanol", True), ("in English!", True), ("en español", True),
    ("english please explain withdrawal", False), ("is the program in english", False), ("Ernesto", False),
])
def test_a_language_button_is_set_language_whatever_the_classifier_guessed(text, chosen):
    message = Message(data={TEXT: text, "intent": {"name": "nlu_fallback", "confidence": 0.35},
                            "intent_ranking": [{"name": "greet", "confidence": 0.3}]})
    [result] = LanguageChoice().process([message])
    assert (result.get("intent")["name"] == "set_language") == chosen
    if chosen:
        assert result.get("intent")["confidence"] == 1.0
        assert [r["name"] for r in result.get("intent_ranking")] == ["set_language", "greet"]
