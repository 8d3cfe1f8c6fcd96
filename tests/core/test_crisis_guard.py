"""The crisis detector (components/crisis_guard.py), without a trained model.

The suite of tests/crisis/ measures it on the trained model; these check its
parts: normalising, clauses, patterns, the past/general reading, the lean
towards crisis, and what it does to the classifier's intent.
"""
import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.crisis_guard import (
    OVERDOSE, PAST, SUICIDAL, ClauseClassifier, CrisisDetector, clauses, decide, extra_examples,
    has_question, is_past_or_general, normalise, pattern_kind, without_idioms,
)


def plain(text):
    return without_idioms(normalise(text))


def test_normalise_undoes_accents_apostrophes_and_text_speak():
    assert normalise("He WON’T wake up, pls") == "he wont wake up, please"
    assert normalise("Mi hijo no respirá") == "mi hijo no respira"
    assert normalise("i wanna die rn") == "i want to die right now"


@pytest.mark.parametrize("text", [
    "I'm dying to see that movie", "my feet are killing me", "I'm dead tired",
    "let's kill some time at the mall", "a die-cast car for my son", "what's the point of the exercise",
    "roll a die", "me muero de risa", "the bar was dead last night", "the vibe at the meeting was so dead",
])
def test_idioms_are_blanked_out_and_leave_no_crisis_wording(text):
    assert pattern_kind(plain(text)) is None


@pytest.mark.parametrize("text", ["my brother at the party was dead", "i found him at the bar and he was dead"])
def test_a_person_found_dead_is_no_idiom(text):
    assert "dead" in plain(text)


def test_clauses_split_sentences_and_clauses():
    parts = clauses(plain("How long do cravings last? Sometimes I think about ending my life, but I want to get clean"))
    assert parts == ["how long do cravings last", "sometimes i think about ending my life", "but i want to get clean"]


@pytest.mark.parametrize("text,kind", [
    ("he's not breathing", "overdose"),
    ("my son won't wake up and his lips are blue", "overdose"),
    ("i took way too much", "overdose"),
    ("no respira", "overdose"),
    ("mi novio no despierta", "overdose"),
    ("i want to kill myself", "suicidal"),
    ("there's no reason to keep going", "suicidal"),
    ("I want to overdose on purpose", "suicidal"),  # 988, not 911
    ("me quiero morir", "suicidal"),
    ("ya no quiero vivir", "suicidal"),
    ("i've saved up enough to do it", "suicidal"),  # means in hand
    ("so no one has to deal with my stuff when i'm gone", "suicidal"),
    ("what's the point of living like this", "suicidal"),
    ("que caso tiene seguir viviendo", "suicidal"),
    ("no siento las manos y se me cierran los ojos", "overdose"),  # two signs at once
    ("i can't feel my arms and my eyes keep closing", "overdose"),
])
def test_unambiguous_wordings_are_caught_by_patterns(text, kind):
    assert pattern_kind(plain(text)) == kind


@pytest.mark.parametrize("text", [
    "do i have enough to do it right", "i finally have enough money to do it",
    "what's the point of life insurance if i'm healthy", "se me cierran los ojos de sueño",
    "i can't feel my feet after that hike", "i labeled the boxes so nobody has to deal with it after the holidays",
])
def test_the_same_words_in_everyday_senses_are_no_pattern(text):
    assert pattern_kind(plain(text)) is None


def test_hopelessness_about_the_addiction_needs_a_sure_classifier(classifier):
    # "an addict forever" is a feeling for the warm reply; with a word of life or harm it is not.
    from components.crisis_guard import is_hopeless_about_recovery
    assert is_hopeless_about_recovery(plain("honestly i think im gonna be an addict forever"))
    assert is_hopeless_about_recovery(plain("nunca voy a dejarla, voy a ser adicto para siempre"))
    assert not is_hopeless_about_recovery(plain("ill never get clean so whats the point of living"))
    assert not is_hopeless_about_recovery(plain("if i relapse again ill take myself out"))
    assert decide("honestly i think im gonna be an addict forever", classifier, confident=0.0, lean=0.0)["kind"] is None


@pytest.mark.parametrize("text", [
    "my dad overdosed years ago", "what are the signs of an overdose",
    "where can I get naloxone to keep at home", "does narcan work on fentanyl",
    "mi papa murio de una sobredosis hace anos",
])
def test_past_events_and_general_questions_are_read_as_such(text):
    assert is_past_or_general(plain(text))


def test_an_urgent_present_overrides_the_past_reading():
    assert not is_past_or_general(plain("he overdosed years ago and now he is not breathing, please help"))


@pytest.mark.parametrize("text,kind", [
    ("my dad overdosed in 2018. i want to kill myself", "suicidal"),
    ("my son died of an overdose 3 years ago and i dont want to live anymore", "suicidal"),
    ("mi hermano murio hace dos anos. yo ya no quiero vivir", "suicidal"),
    ("my brother overdosed 2 years ago. my sister isnt breathing", "overdose"),
])
def test_a_dated_story_does_not_hide_a_crisis_told_in_the_present(text, kind):
    assert decide(text, None, 0.6, 0.4)["kind"] == kind


@pytest.mark.parametrize("text", [
    "my mom overdosed in 2016. she was blue and not breathing when i found her",
    "he overdosed in 2018, and i gave him narcan and he came back",
])
def test_the_clauses_of_a_dated_story_told_in_the_past_keep_its_date(text):
    assert decide(text, None, 0.6, 0.4)["kind"] is None


def test_beside_a_dated_story_an_unsure_classifier_is_not_enough(classifier):
    text = "my uncle died last month from fentanyl. i cant stop replaying our final phone call"
    assert decide(text, classifier, confident=0.0, lean=0.0, past_confident=1.01)["kind"] is None
    assert decide(text, classifier, confident=0.0, lean=0.0, past_confident=0.0)["kind"] is not None


def test_a_question_asked_for_the_future_is_no_overdose_but_still_hears_suicide():
    supposed = "if i ever find someone unresponsive and i have narcan, do i call 911 first or spray first?"
    assert decide(supposed, None, 0.6, 0.4)["kind"] is None
    assert decide("if i ever find someone unresponsive, is he dying? asking for the future", None, 0.6, 0.4)["kind"] is None
    # The same marker does not hide thoughts of suicide, nor an overdose happening now.
    assert decide("asking for the future: if i relapse again i want to die", None, 0.6, 0.4)["kind"] == "suicidal"
    assert decide("if i ever find someone like this... he is not breathing right now", None, 0.6, 0.4)["kind"] == "overdose"


@pytest.mark.parametrize("text,kind", [
    ("porfa mi novia no reaciona la muevo y nada", "overdose"),
    ("esta bien palida y fria", "overdose"),
    ("respiro bien despacio y veo todo borroso", "overdose"),
    ("mi viejo esta en el suelo morado", "overdose"),
    ("soy un estorbo para mi familia", "suicidal"),
    ("todos estarian mas tranquilos sin mi", "suicidal"),
    ("ya me canse de estar aqui", "suicidal"),
    ("si se enteran prefiero no estar viva", "suicidal"),
    ("ahorita la navaja la tengo en la mano", "suicidal"),
    ("dile a mi ma q la quiero, ya me voy, no fue culpa d nadie", "suicidal"),
    ("dice que se va a tirar de la azotea", "suicidal"),
    ("he took the rope from the garage and walked off, said not to follow him", "suicidal"),
    ("i plan to be gone before then", "suicidal"),
    # kinds of the ninth writer, in other words
    ("just shot up and my heart is going really slow", "overdose"),
    ("if i dont pick up its because i went through with it", "suicidal"),
    ("si no contesto manana es porque ya no estoy", "suicidal"),
    ("she showed me where her will is tonight and said who gets her car", "suicidal"),
    ("im sick of being a burden to everyone", "suicidal"),
    ("ya estoy harta de ser una carga", "suicidal"),
    ("ayer casi me tiro a los carros", "suicidal"),
    ("total, no voy a estar aqui para navidad", "suicidal"),
    ("i wont be around by sunday", "suicidal"),
    ("ya me despedi de mi familia", "suicidal"),
    ("mi hermana me mando un mensaje de adios y ya no contesta", "suicidal"),
    # the everyday readings of pets, gurgling things and withdrawal hide no sign beside them
    ("i found my brother next to his dog, not breathing", "overdose"),
    ("he is in the car gurgling", "overdose"),
    ("my dog died and my brother isnt breathing", "overdose"),
    ("im in withdrawal and took 10 xanax, i feel like im dying", "overdose"),
])
def test_signs_and_ideation_in_everyday_words(text, kind):
    assert decide(text, None, 0.6, 0.4)["kind"] == kind


@pytest.mark.parametrize("text", [
    "prefiero morirme antes que perderme la boda", "that would be career suicide", "the printer is dead again",
    "my rosemary is dying even though i water it", "mi matita de cilantro se esta muriendo",
    "las pupilas chiquitas siempre quieren decir sobredosis?", "a los 17 intente matarme, ya tengo 30",
    "is there an app that sends help if you overdose alone?", "i plan to be gone for the weekend",
    "when my daughter was 15 she went through a phase of burning herself",
    "if i call 911 for a friend who ods, will i get arrested?",
    # everyday senses of the ninth writer's kinds, in other words
    "how do i kill the urges at night", "our dog is dying of old age, can i bring my kids to group",
    "the kitchen sink keeps gurgling", "el motor de la troca hace un ruido raro", "my basil plants look grey and limp",
    "week one of withdrawal and it feels like im dying", "i dont want to die from this, thats why im here",
    "why are so many people dying from fentanyl", "no voy a estar aqui para el lunes, salgo de viaje",
    "i wont be around on friday, i have a work trip", "i wont be here for mondays group", "ya no quiero seguir con esto, mejor otro dia",
    "i said goodbye to my kids before rehab, it was hard",
])
def test_everyday_senses_past_and_general_questions_are_no_crisis(text):
    assert decide(text, None, 0.6, 0.4)["kind"] is None


@pytest.fixture(scope="module")
def classifier():
    # The detector's own extra data is enough for these checks (no NLU data needed).
    pairs = extra_examples()
    return ClauseClassifier.fit([t for _, t in pairs], [label for label, _ in pairs])


def test_a_crisis_buried_in_a_long_question_is_found(classifier):
    text = ("I'm three weeks clean and the cravings are worst at night. Honestly some nights I think about "
            "ending my life. What helps with cravings?")
    assert decide(text, classifier, 0.6, 0.3)["kind"] == "suicidal"


@pytest.mark.parametrize("text", ["ok", "i think so", "para mi", "yes", "maybe later"])
def test_a_short_reply_is_never_a_crisis(classifier, text):
    assert decide(text, classifier, 0.6, 0.3)["kind"] is None


def test_leaning_needs_a_danger_cue(classifier):
    # The same unsure score leans towards crisis only when the clause has a danger cue.
    no_cue = decide("i feel weird about all of it today honestly", classifier, confident=0.99, lean=0.0)
    assert no_cue["kind"] is None
    with_cue = decide("i feel weird about all of it and want to disappear", classifier, confident=0.99, lean=0.0)
    assert with_cue["kind"] is not None and with_cue["by"] in ("lean", "pattern")


def test_a_clause_that_leaves_its_verb_to_another_is_not_scored(classifier):
    # "He just won't" (go to treatment) is no "he won't wake up".
    assert decide("he just wont", classifier, confident=0.0, lean=0.0)["kind"] is None


def test_a_past_overdose_is_flagged_as_past(classifier):
    decision = decide("my mom died of an overdose fifteen years ago, how do people cope", classifier, 0.6, 0.3)
    assert decision["kind"] is None and decision["past"]


def test_has_question():
    assert has_question("i want to die. how long does withdrawal last")
    assert has_question("cuanto dura la abstinencia")
    assert not has_question("i want to die")


def _classified(text, intent, confidence, ranking):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    return message


@pytest.fixture(scope="module")
def detector(classifier):
    return CrisisDetector(CrisisDetector.get_default_config(), None, None, classifier)


def test_a_crisis_overrides_a_confident_topic_and_keeps_the_question(detector):
    message = _classified("sometimes i want to kill myself. how long does withdrawal last?", "ask_withdrawal", 0.8,
                          [("ask_withdrawal", 0.8), ("crisis_suicidal", 0.15), ("greet", 0.05)])
    detector.process([message])
    assert message.get("intent") == {"name": SUICIDAL, "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")][:2] == [SUICIDAL, "ask_withdrawal"]
    assert message.get("crisis")["kind"] == "suicidal"
    assert message.get("crisis")["question_intent"] == "ask_withdrawal"


def test_a_crisis_without_a_question_has_no_question_intent(detector):
    message = _classified("he's not breathing", "crisis_overdose", 0.9, [("crisis_overdose", 0.9), ("ask_withdrawal", 0.1)])
    detector.process([message])
    assert message.get("intent")["name"] == OVERDOSE
    assert message.get("crisis")["question_intent"] is None


def test_the_detector_overrules_a_crisis_guess_of_the_classifier(detector):
    message = _classified("where can I buy naloxone to keep at home?", "crisis_overdose", 0.6,
                          [("crisis_overdose", 0.6), ("ask_treatment", 0.3), ("greet", 0.1)])
    detector.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"  # the next intent is too unsure
    assert all(r["name"] != "crisis_overdose" for r in message.get("intent_ranking"))
    message = _classified("I'm dying to know what detox is like", "crisis_overdose", 0.5,
                          [("crisis_overdose", 0.5), ("ask_detox", 0.45)])
    detector.process([message])
    assert message.get("intent")["name"] == "ask_detox"


def test_a_past_overdose_gets_its_own_intent(detector):
    message = _classified("my father died of an overdose years ago. does addiction run in families?",
                          "ask_cause_genetics", 0.7, [("ask_cause_genetics", 0.7), ("crisis_overdose", 0.3)])
    detector.process([message])
    assert message.get("intent")["name"] == PAST
    assert message.get("crisis")["question_intent"] == "ask_cause_genetics"


def _language_entities(message):
    return [e["value"] for e in message.get("entities") or [] if e["entity"] == "language"]


@pytest.mark.parametrize("text", ["mi bro esta passed out y no respira bien",
                                  "honestly ya no puedo mas, i just want to disappear"])
def test_a_crisis_said_in_spanish_in_a_mixed_message_is_answered_in_spanish(detector, text):
    message = _classified(text, "greet", 0.5, [("greet", 0.5)])
    message.set("entities", [{"entity": "language", "value": "en"}])  # the message as a whole reads English
    detector.process([message])
    assert message.get("intent")["name"] in (OVERDOSE, SUICIDAL)
    assert _language_entities(message) == ["es"]
    assert "words" not in message.get("crisis")  # the text stays out of the output


@pytest.mark.parametrize("text", ["my bro is passed out and not breathing, ayuda",
                                  "i cant do this anymore, i want to end it tonight"])
def test_a_crisis_said_in_english_keeps_the_messages_language(detector, text):
    message = _classified(text, "greet", 0.5, [("greet", 0.5)])
    message.set("entities", [{"entity": "language", "value": "en"}])
    detector.process([message])
    assert message.get("intent")["name"] in (OVERDOSE, SUICIDAL)
    assert _language_entities(message) == ["en"]


def test_a_button_payload_is_left_alone(detector):
    message = _classified("/ask_withdrawal", "ask_withdrawal", 1.0, [("ask_withdrawal", 1.0)])
    detector.process([message])
    assert message.get("intent")["name"] == "ask_withdrawal"


def test_training_fits_on_nlu_examples_and_data_crisis():
    examples = [Message(data={"text": t, "intent": i}) for t, i in [
        ("he is not breathing", OVERDOSE), ("i want to end my life", SUICIDAL), ("what is detox", "ask_detox")]]

    class Storage:  # the detector persists through Rasa's model storage; a stand-in here
        def write_to(self, resource):
            import contextlib
            import tempfile
            from pathlib import Path

            return contextlib.nullcontext(Path(tempfile.mkdtemp()))

    detector = CrisisDetector(CrisisDetector.get_default_config(), Storage(), None)
    detector.train(TrainingData(training_examples=examples))
    assert detector.classifier is not None
    assert detector.decide("she is barely breathing and cold")["kind"] == "overdose"


@pytest.mark.parametrize("text", [
    "got home and my roommate is pinpoint, maybe 3 breaths a minute, lips are dusky",
    "the bag tonight was something else. my hands are numb and i cant keep my eyes open",
    "se metio algo en el cuarto, respira raro y se le cierran los ojos",
])
def test_two_overdose_signs_in_everyday_words_are_an_overdose(text):
    decision = decide(text, None, 0.6, 0.4)
    assert decision["kind"] == "overdose" and decision["by"] in ("signs", "pattern")


def test_one_sign_is_enough_beside_a_dose_stronger_than_thought():
    assert decide("used my usual but pretty sure it was laced, feel like im sinking into the couch", None, 0.6, 0.4)["kind"] == "overdose"
    assert decide("i feel like im sinking into the couch after that movie marathon", None, 0.6, 0.4)["kind"] is None


@pytest.mark.parametrize("text", [
    "what does it mean if someone is pinpoint and breathing slow, asking for a class",
    "my son used to nod out on the couch and go pale, that was years ago",
])
def test_signs_asked_about_or_in_the_past_are_no_overdose(text):
    assert decide(text, None, 0.6, 0.4)["kind"] is None


def test_a_hopeful_wish_is_no_crisis_for_the_classifier_alone(classifier):
    assert decide("honestly i just want to be a better dad for my kids", classifier, confident=0.0, lean=0.0)["kind"] is None
    # a wish beside words of death is still scored
    assert decide("i want to change or else just die", classifier, confident=0.0, lean=0.0)["kind"] == "suicidal"


@pytest.mark.parametrize("text,kind", [
    ("he keeps talking about going out on his own terms", "suicidal"),
    ("i already know where id do it", "suicidal"),
    ("i feel like a weight around their necks", "suicidal"),
    ("that bag was not what he said, i keep forgetting to breathe lol not lol", "overdose"),
    ("ya deje todo listo para mis hijos, nomas me falta despedirme", "suicidal"),
])
def test_euphemisms_and_a_laugh_taken_back(text, kind):
    assert decide(text, None, 0.6, 0.4)["kind"] == kind


@pytest.mark.parametrize("text", [
    "i cant breathe good when its humid, can i bring my inhaler to group",
    "what does it mean when someones pupils are pinpoint",
    "last christmas my uncle went blue on the couch, narcan worked and hes in treatment now",
])
def test_a_habit_a_question_and_a_story_with_its_outcome_are_no_crisis(text):
    assert decide(text, None, 0.6, 0.4)["kind"] is None
