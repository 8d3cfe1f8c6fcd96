"""DomainGate: an unsure topic guess for a message without a domain word is out_of_scope."""
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.domain_gate import DomainGate

CONFIG = {**DomainGate.get_default_config(), "domain_lookups": ["domain_words", "medication_words"]}
LOOKUPS = [{"name": "domain_words", "elements": ["you", "heroin", "test strips"]},
           {"name": "medication_words", "elements": ["methadone"]},
           {"name": "cost_words", "elements": ["cost"]}]


@pytest.fixture
def gate(tmp_path):
    storage = LocalModelStorage(tmp_path)
    trained = DomainGate(CONFIG, storage, Resource("gate"))
    trained.train(TrainingData(lookup_tables=LOOKUPS))
    return DomainGate.load(CONFIG, storage, Resource("gate"), None)


def gated(gate, text, intent, confidence, ranking=(), language=None, out_of_scope=0.3):
    """`out_of_scope`: the classifier's probability of out_of_scope, ranked after `ranking`."""
    ranked = [{"name": name, "confidence": 0.3} for name in ranking if name != "out_of_scope"]
    if intent != "nlu_fallback":
        ranked.append({"name": "out_of_scope", "confidence": out_of_scope})
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": ranked,
                            "entities": [{"entity": "language", "value": language}] if language else []})
    return gate.process([message])[0].get("intent")["name"]


@pytest.mark.parametrize("text,intent,confidence,expected", [
    ("how much do movers cost", "faq_cost", 0.4, "out_of_scope"),      # unsure, no domain word
    ("is costco open on memorial day", "nlu_fallback", 0.3, "out_of_scope"),
    ("how much do you charge", "faq_cost", 0.4, "faq_cost"),            # names the center
    ("what are fentanyl test strips", "ask_test_strips", 0.3, "ask_test_strips"),  # a phrase
    ("is methadone ok", "nlu_fallback", 0.3, "nlu_fallback"),           # a medication word
    ("how much do movers cost", "faq_cost", 0.9, "faq_cost"),           # sure: the classifier decides
    ("im so ashamed", "feel_shame", 0.3, "feel_shame"),                 # feelings are not gated
    ("John", "inform", 0.3, "inform"),                                  # nor a form answer
])
def test_gate(gate, text, intent, confidence, expected):
    assert gated(gate, text, intent, confidence) == expected


def test_a_missing_lookup_table_is_an_error(tmp_path):
    gate = DomainGate({**CONFIG, "domain_lookups": ["nope"]}, LocalModelStorage(tmp_path), Resource("gate"))
    with pytest.raises(ValueError):
        gate.train(TrainingData(lookup_tables=LOOKUPS))


def test_a_fallback_is_gated_only_when_its_best_guess_is(gate):
    assert gated(gate, "how long till i notice", "nlu_fallback", 0.3, ["nlu_fallback", "followup_timing"]) == "nlu_fallback"
    assert gated(gate, "bank hours saturday", "nlu_fallback", 0.3, ["nlu_fallback", "faq_schedule"]) == "out_of_scope"


def test_only_english_is_gated(gate):
    assert gated(gate, "cuanto cuesta", "faq_cost", 0.3, language="es") == "faq_cost"
    assert gated(gate, "what does it cost", "faq_cost", 0.3, language="en") == "out_of_scope"


@pytest.mark.parametrize("text,intent,confidence,ranking,expected", [
    ("skip to the next track", "nlu_fallback", 0.3, ["nlu_fallback", "deny"], "out_of_scope"),
    ("cancel the event this afternoon", "stop", 0.5, [], "out_of_scope"),   # unsure, long, no domain word
    ("cancel the event this afternoon", "stop", 0.9, [], "stop"),           # sure: the classifier decides
    ("no thanks", "deny", 0.4, [], "deny"),                                 # short talk stays short talk
    ("no i dont want methadone", "deny", 0.4, [], "deny"),                  # names the domain
    ("text abby im running late", "nlu_fallback", 0.3, ["nlu_fallback", "greet"], "out_of_scope"),
    ("thanks so much this helps", "thank", 0.4, [], "thank"),               # opens with its own word
    ("thanks, can u set an alarm?", "thank", 0.4, [], "out_of_scope"),      # ...but asks for something
    ("gotta go my ride is here", "goodbye", 0.4, [], "goodbye"),
    ("i appreciate the weather today", "thank", 0.4, [], "out_of_scope"),   # the word, not at the start
])
def test_long_short_talk_without_a_domain_word_is_gated(gate, text, intent, confidence, ranking, expected):
    assert gated(gate, text, intent, confidence, ranking) == expected


def test_a_center_question_the_classifier_keeps_apart_from_the_world_is_not_gated(gate):
    # Torn between the center's intents only (out_of_scope 0.05): the guess stands.
    assert gated(gate, "can i start today", "faq_start", 0.5, ["faq_start", "out_of_scope"], out_of_scope=0.05) == "faq_start"
    assert gated(gate, "can i speak to an actual person", "request_specialist", 0.45,
                 ["request_specialist", "out_of_scope"], out_of_scope=0.05) == "request_specialist"
    # The same guess with out_of_scope a real contender is gated, and topic guesses always are.
    assert gated(gate, "can i start today", "faq_start", 0.5, ["faq_start", "out_of_scope"], out_of_scope=0.2) == "out_of_scope"
    assert gated(gate, "what do dopamine receptors do", "ask_brain_effects", 0.5, ["ask_brain_effects", "out_of_scope"],
                 out_of_scope=0.01) == "out_of_scope"
