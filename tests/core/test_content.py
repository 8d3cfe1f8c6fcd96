"""What the assistant says: every answer is non-empty, chat-sized, grounded in
the center's page or the safety facts, and every topic is fully wired."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
MAX_CHARS = 600

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RESPONSES = DOMAIN["responses"]

# Each topic the issue lists, with its intent and answer.
TOPICS = {
    "what heroin addiction is": ("ask_what_is_addiction", "utter_what_is_addiction"),
    "tolerance and dependence": ("ask_tolerance_dependence", "utter_tolerance_dependence"),
    "withdrawal": ("ask_withdrawal", "utter_withdrawal"),
    "long-term damage": ("ask_long_term_effects", "utter_long_term_effects"),
    "brain and behaviour": ("ask_brain_effects", "utter_brain_effects"),
    "causes": ("ask_causes", "utter_causes"),
    "euphoria, pain and stress": ("ask_cause_pain_stress", "utter_cause_pain_stress"),
    "painkillers": ("ask_cause_painkillers", "utter_cause_painkillers"),
    "poverty and abuse": ("ask_cause_poverty_abuse", "utter_cause_poverty_abuse"),
    "genetics": ("ask_cause_genetics", "utter_cause_genetics"),
    "peer pressure": ("ask_cause_peer_pressure", "utter_cause_peer_pressure"),
    "treatment": ("ask_treatment", "utter_treatment"),
    "detox": ("ask_detox", "utter_detox"),
    "MAT": ("ask_mat", "utter_mat"),
    "counselling": ("ask_counselling", "utter_counselling"),
    "outpatient": ("ask_outpatient", "utter_outpatient"),
    "overdose": ("crisis_overdose", "utter_crisis_overdose"),
    "suicidal": ("crisis_suicidal", "utter_crisis_suicidal"),
    "greeting": ("greet", "utter_greet"),
    "thanks": ("thank", "utter_thank"),
    "goodbye": ("goodbye", "utter_goodbye"),
    "bot challenge": ("bot_challenge", "utter_bot_challenge"),
    "out of scope": ("out_of_scope", "action_out_of_scope"),
    # Beyond the page (issue 19), from knowledge/safety_facts.md; the FAQ and the
    # medications are answered by actions (tests/core/test_faq.py, test_topic_table.py).
    "withdrawal timing": ("ask_withdrawal_timing", "utter_withdrawal_timing"),
    "withdrawal danger": ("ask_withdrawal_danger", "utter_withdrawal_danger"),
    "fentanyl": ("ask_fentanyl", "utter_fentanyl"),
    "test strips": ("ask_test_strips", "utter_test_strips"),
    "naloxone": ("ask_naloxone", "utter_naloxone"),
    "where to get naloxone": ("ask_naloxone_where", "utter_naloxone_where"),
    "lost tolerance": ("ask_tolerance_after_break", "utter_tolerance_after_break"),
    "the three medications": ("ask_medications", "action_answer_medication"),
    "relapse": ("feel_relapse", "utter_feel_relapse"),
    "shame": ("feel_shame", "utter_feel_shame"),
    "fear of treatment": ("feel_afraid_of_treatment", "utter_feel_afraid_of_treatment"),
    "hopelessness": ("feel_hopeless", "utter_feel_hopeless"),
    "anger at the bot": ("feel_angry", "utter_feel_angry"),
}


# Responses whose numbers are examples of an answer ("after 5pm", "(617) 555-0134",
# "up to 40 characters"), not claims.
EXAMPLE_RESPONSES = ("utter_ask_handoff_form_", "utter_best_time_", "utter_contact_invalid_phone",
                     "utter_contact_phone_",
                     "utter_first_name_invalid", "utter_message_too_long")


LANGUAGE_SWITCH = {"English", "Español"}


def language_of_variant(variant):
    for condition in variant.get("condition") or []:
        if condition["name"] == "language":
            return condition["value"]
    return "en"


def all_texts():
    """(name, text) of every variation of every response, English and Spanish."""
    for name, variants in RESPONSES.items():
        for index, variant in enumerate(variants):
            yield (name if index == 0 else f"{name}[{index}:{language_of_variant(variant)}]"), variant.get("text", "")


@pytest.mark.parametrize("name,text", list(all_texts()), ids=[n for n, _ in all_texts()])
def test_every_message_is_non_empty_and_chat_sized(name, text):
    assert text.strip(), f"{name} is empty"
    assert len(text) <= MAX_CHARS, f"{name} has {len(text)} characters"


def _load_yaml_dir(folder):
    return [yaml.safe_load(p.read_text()) for p in sorted((ROOT / folder).glob("*.yml"))]


def _nlu_intents():
    return {block["intent"] for doc in _load_yaml_dir("data/nlu") for block in doc.get("nlu", []) if "intent" in block}


def _rule_pairs():
    pairs = set()
    for doc in _load_yaml_dir("data/rules"):
        for rule in doc.get("rules", []):
            steps = rule["steps"]
            for step, following in zip(steps, steps[1:]):
                if "intent" in step and "action" in following:
                    pairs.add((step["intent"], following["action"]))
    return pairs


def _tested_intents():
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    return {step["intent"] for story in stories for step in story["steps"] if "intent" in step}


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_an_intent_an_answer_a_rule_and_a_test(topic):
    intent, response = TOPICS[topic]
    assert intent in DOMAIN["intents"]
    assert intent in _nlu_intents(), f"no training examples for {intent}"
    assert response in RESPONSES or response in DOMAIN["actions"]
    assert (intent, response) in _rule_pairs(), f"no rule answers {intent} with {response}"
    assert intent in _tested_intents(), f"no conversation test uses {intent}"


def test_withdrawal_answer_lists_all_six_symptoms_from_the_page():
    text = RESPONSES["utter_withdrawal"][0]["text"].lower()
    for symptom in ["nausea", "vomiting", "sleep problems", "muscles and bones", "twitching",
                    "trembling", "anxiety", "depression", "cravings"]:
        assert symptom in text


def test_long_term_answer_covers_organs_veins_and_nose():
    text = RESPONSES["utter_long_term_effects"][0]["text"].lower()
    for harm in ["liver", "kidney", "pneumonia", "heart", "sexual dysfunction", "irregular",
                 "insomnia", "veins", "collapse", "snorting", "nose"]:
        assert harm in text


def test_crisis_replies_carry_911_988_and_samhsa():
    overdose = " ".join(RESPONSES[r][0]["text"] for r in
                        ["utter_crisis_overdose", "utter_overdose_signs", "utter_overdose_steps", "utter_crisis_helplines"])
    suicidal = " ".join(RESPONSES[r][0]["text"] for r in ["utter_crisis_suicidal", "utter_crisis_helplines"])
    assert RESPONSES["utter_crisis_overdose"][0]["text"].startswith("If someone may be overdosing, call 911")
    assert "naloxone" in overdose.lower()
    for reply in (overdose, suicidal):
        assert "911" in reply and "988" in reply and "1-800-662-4357" in reply
    lines = RESPONSES["utter_crisis_helplines"][0]["custom"]["lines"]
    assert [line["href"] for line in lines] == ["tel:911", "tel:988", "tel:+18006624357"]


def test_the_new_answers_state_the_facts_they_come_from():
    """The figures of safety_facts.md's new sections, where the answers state them
    (the number test below checks that no other figure slips in)."""
    text = {name: RESPONSES[name][0]["text"] for name in RESPONSES}
    assert "50 times stronger than heroin" in text["utter_fentanyl"]
    assert "more than one dose" in text["utter_naloxone"]
    assert "4 mg" in text["utter_naloxone_where"] and "March 2023" in text["utter_naloxone_where"]
    assert "12 hours" in text["utter_withdrawal_timing"] and "a week" in text["utter_withdrawal_timing"]
    assert "42 CFR Part 2" in text["utter_confidentiality_rule"]
    assert "buprenorphine combined with naloxone" in text["utter_medications"]
    for warning in ("utter_tolerance_after_break", "utter_withdrawal_danger"):
        assert "overdose" in text[warning] and "tolerance drops" in text[warning]


def test_every_number_stated_is_in_the_page_or_the_safety_facts():
    """A cheap guard against invented medical figures: every number the bot
    states must appear in one of the two sources."""
    sources = (KNOWLEDGE / "center_page.txt").read_text() + (KNOWLEDGE / "safety_facts.md").read_text()
    source_numbers = set(re.findall(r"\d+", sources))
    for name, text in all_texts():
        if name.startswith(EXAMPLE_RESPONSES):
            continue  # the form's examples ("after 5pm") are not claims
        for number in re.findall(r"\d+", text):
            assert number in source_numbers, f"{name} states {number}, found in neither source"


def test_the_disclaimer_says_not_medical_advice_and_not_a_clinician():
    notice = RESPONSES["utter_session_notice"]
    assert "not medical advice" in notice[0]["text"] and "not a clinician" in notice[0]["text"]
    assert "not a clinician" in RESPONSES["utter_bot_challenge"][0]["text"]
    spanish = [v["text"] for v in notice if language_of_variant(v) == "es"]
    assert spanish and "No es consejo médico" in spanish[0] and "no soy un profesional clínico" in spanish[0]


# Responses the crisis helper words in Spanish (components/crisis_guard.py's replies).
CRISIS_OWNED = ("utter_crisis_", "utter_overdose_")


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_a_spanish_variation_beside_its_english_one(name):
    if name.startswith(CRISIS_OWNED):
        pytest.skip("the crisis replies' Spanish variations are the crisis work's")
    variants = RESPONSES[name]
    assert language_of_variant(variants[0]) == "en", f"{name}: the English default comes first"
    spanish = [v for v in variants if language_of_variant(v) == "es"]
    assert spanish, f"{name} has no Spanish variation"
    english_buttons = [b["payload"] for b in variants[0].get("buttons") or []]
    for variant in spanish:
        spanish_buttons = [b["payload"] for b in variant.get("buttons") or []]
        # The same choices in both languages; only the language switch differs.
        assert [p for p in spanish_buttons if p not in LANGUAGE_SWITCH] == \
            [p for p in english_buttons if p not in LANGUAGE_SWITCH] or name == "utter_ask_handoff_form_for_whom"


def test_spanish_topic_answers_keep_the_pages_lists():
    withdrawal = [v for v in RESPONSES["utter_withdrawal"] if language_of_variant(v) == "es"][0]["text"].lower()
    for symptom in ["náuseas", "vómito", "dormir", "músculos", "huesos", "espasmos", "temblores",
                    "ansiedad", "depresión", "ganas"]:
        assert symptom in withdrawal
    body = [v for v in RESPONSES["utter_long_term_effects"] if language_of_variant(v) == "es"][0]["text"].lower()
    for harm in ["hígado", "riñones", "pulmonía", "corazón", "sexuales", "irregulares", "insomnio",
                 "venas", "colapsen", "inhalarla", "nariz"]:
        assert harm in body


def test_quick_replies_point_at_known_intents():
    intents = set(DOMAIN["intents"])
    for name, variants in RESPONSES.items():
        for button in variants[0].get("buttons", []):
            payload = button["payload"]
            if payload.startswith("/"):
                assert payload[1:].split("{")[0] in intents, f"{name}: {payload}"
