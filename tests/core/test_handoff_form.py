"""The hand-off form's actions, on trackers built as data: exact events."""
import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import details
from actions.handoff.form import ActionAskConsent, ActionCancelHandoff, ValidateHandoffForm
from tests.core.responses import render
from tests.core.trackers import DOMAIN, tracker


async def validate(t):
    """The events and the names of the responses the form's validation sent."""
    dispatcher = CollectingDispatcher()
    events = await ValidateHandoffForm().run(dispatcher, t, DOMAIN)
    assert all(m.get("text") is None for m in dispatcher.messages), "wording belongs in domain.yml"
    return events, [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize("answer,expected", [
    ("617-555-0134", "+16175550134"),
    ("(617) 555 0134", "+16175550134"),
    ("+1 617.555.0134", "+16175550134"),
    ("my cell is 6175550134, text first", "+16175550134"),
    ("1 (212) 555-7788", "+12125557788"),
])
async def test_valid_us_phone_numbers_are_normalised_to_e164(answer, expected):
    events, said = await validate(tracker(answer, set_this_turn={"contact": answer}, requested_slot="contact"))
    assert events == [SlotSet("contact", expected), SlotSet("contact_kind", "phone")]
    assert said == []


async def test_a_plain_email_is_accepted():
    events, said = await validate(tracker("Me@Example.org", set_this_turn={"contact": "Me@Example.org"}, requested_slot="contact"))
    assert events == [SlotSet("contact", "me@example.org"), SlotSet("contact_kind", "email")]


@pytest.mark.parametrize("answer,expected", [
    ("mi numero es seis uno siete cinco cinco cinco cero uno tres cuatro", "+16175550134"),
    ("seis uno siete, cinco cinco cinco, cero uno tres cuatro", "+16175550134"),
    ("mi cel es 323-555-0148", "+13235550148"),
    ("six one seven five five five zero one three four", "+16175550134"),
])
async def test_numbers_written_out_in_spanish_or_english_are_read(answer, expected):
    events, said = await validate(tracker(answer, set_this_turn={"contact": answer}, requested_slot="contact"))
    assert events == [SlotSet("contact", expected), SlotSet("contact_kind", "phone")]
    assert said == []


@pytest.mark.parametrize("answer,problem", [
    ("555-0134", "utter_contact_phone_no_area_code"),
    ("617 555 01", "utter_contact_phone_missing_digits"),
    ("+44 20 7946 0958", "utter_contact_phone_not_us"),
    # It has an area code: what is wrong is that 555 is not one in service.
    ("(555) 201-4477", "utter_contact_phone_area_code_not_in_use"),
    ("(617) 101-4477", "utter_contact_phone_bad_exchange"),
    ("617 201 44770", "utter_contact_phone_too_many_digits"),
    ("seis uno siete", "utter_contact_phone_too_short"),
    ("me@example", "utter_contact_invalid_email"),
    ("whenever", "utter_contact_missing"),
    ("cuando quieran", "utter_contact_missing"),
])
async def test_bad_contact_details_are_re_asked_with_the_reason(answer, problem):
    events, said = await validate(tracker(answer, set_this_turn={"contact": answer}, requested_slot="contact"))
    assert events == [SlotSet("contact", None), SlotSet("contact_kind", None)]
    assert said == [problem]


@pytest.mark.parametrize("language,expected", [
    ("en", "555 isn't a US area code in use"),
    ("es", "555 no es un código de área de EE. UU. en uso"),
])
async def test_a_number_with_an_area_code_not_in_use_is_not_asked_for_an_area_code(language, expected):
    """ "(555) 201-4477" has an area code: the re-ask names what is really wrong."""
    problem, values = details.contact_problem("(555) 201-4477")
    text = render(problem, {"language": language}, **values)["text"]
    assert text.startswith(expected)
    assert "include the area code" not in text


@pytest.mark.parametrize("answer,expected", [
    ("Sam", "Sam"), ("my name is jo-anne", "Jo-anne"), ("anonymous", "anonymous"),
    ("i'd rather not", "anonymous"), ("yes", None), ("617-555-0134", None), ("a b c d e", None),
    ("me llamo Rosa", "Rosa"), ("soy Juan", "Juan"), ("mi nombre es jose luis", "Jose Luis"),
    ("anónimo", "anonymous"), ("anonimo, no quiero dar mi nombre", "anonymous"), ("sin nombre", "anonymous"),
    ("sí", None), ("hola", None),
])
async def test_first_name(answer, expected):
    events, said = await validate(tracker(answer, set_this_turn={"first_name": answer}, requested_slot="first_name"))
    assert events == [SlotSet("first_name", expected)]
    if expected is None:
        assert said == ["utter_first_name_looks_like_contact" if details.looks_like_contact(answer) else "utter_first_name_invalid"]
    else:
        assert said == []


@pytest.mark.parametrize("answer,expected", [
    ("For myself", "self"), ("it's for my son", "loved_one"), ("a loved one", "loved_one"), ("dunno", None),
    ("para mi hijo", "loved_one"), ("es para mí", "self"), ("para mi mismo", "self"), ("Para mí", "self"),
    ("es pa mi carnal", "loved_one"), ("Para un ser querido", "loved_one"), ("para mi esposa", "loved_one"),
    ("no se", None),
])
async def test_for_whom(answer, expected):
    events, said = await validate(tracker(answer, set_this_turn={"for_whom": answer}, requested_slot="for_whom"))
    assert events == [SlotSet("for_whom", expected)]
    assert said == ([] if expected else ["utter_for_whom_unclear"])


async def test_best_time_rejects_contact_details():
    events, said = await validate(tracker("617 555 0134", set_this_turn={"best_time": "617 555 0134"}, requested_slot="best_time"))
    assert events == [SlotSet("best_time", None)]
    assert said == ["utter_best_time_looks_like_contact"]


FILLED = {"first_name": "Sam", "contact": "+16175550134", "contact_kind": "phone",
          "best_time": "mornings", "for_whom": "self"}


async def test_correcting_the_number_with_a_new_one_replaces_it_and_asks_consent_again():
    t = tracker("wait, my number is 413-555-0187", intent="correct_details", slots=FILLED, requested_slot="consent")
    events, said = await validate(t)
    assert events == [SlotSet("consent", None), SlotSet("contact", "+14135550187"), SlotSet("contact_kind", "phone")]


async def test_correcting_the_name_clears_it_so_the_form_asks_again():
    t = tracker("change my name", intent="correct_details", slots=FILLED, requested_slot="consent")
    events, _ = await validate(t)
    assert events == [SlotSet("consent", None), SlotSet("first_name", None)]


@pytest.mark.parametrize("correction,cleared", [
    ("quiero cambiar mi nombre", "first_name"), ("la hora esta mal", "best_time"),
])
async def test_corrections_in_spanish_clear_the_detail_named(correction, cleared):
    t = tracker(correction, intent="correct_details", slots=FILLED, requested_slot="consent")
    events, _ = await validate(t)
    assert events == [SlotSet("consent", None), SlotSet(cleared, None)]


async def test_a_spanish_correction_with_a_new_number_replaces_it():
    t = tracker("me equivoque, mi numero es 413-555-0187", intent="correct_details", slots=FILLED, requested_slot="consent")
    events, _ = await validate(t)
    assert events == [SlotSet("consent", None), SlotSet("contact", "+14135550187"), SlotSet("contact_kind", "phone")]


async def test_an_unclear_correction_changes_nothing():
    t = tracker("that's not right", intent="correct_details", slots=FILLED, requested_slot="consent")
    events, _ = await validate(t)
    assert events == []


async def test_consent_question_shows_the_details_back():
    dispatcher = CollectingDispatcher()
    events = await ActionAskConsent().run(dispatcher, tracker(slots=FILLED, requested_slot="consent"), DOMAIN)
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_consent_summary"
    assert message["contact_shown"] == "(617) 555-0134"


@pytest.mark.parametrize("language,for_whom,expected", [
    ("en", "self", "name Sam, contact (617) 555-0134, best time mornings, for yourself."),
    ("en", "loved_one", "for a loved one."),
    ("es", "self", "nombre Sam, contacto (617) 555-0134, mejor hora mornings, para ti."),
    ("es", "loved_one", "para un ser querido."),
])
def test_the_consent_question_reads_back_in_the_visitors_language(language, for_whom, expected):
    slots = {**FILLED, "language": language, "for_whom": for_whom}
    reply = render("utter_consent_summary", slots, contact_shown="(617) 555-0134")
    assert expected in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/correct_details", "/deny"]


async def test_stop_leaves_the_form_and_forgets_the_details():
    dispatcher = CollectingDispatcher()
    events = await ActionCancelHandoff().run(dispatcher, tracker("stop", intent="stop", slots=FILLED, requested_slot="best_time"), DOMAIN)
    assert events == [ActiveLoop(None)] + [SlotSet(s, None) for s in
                                          ["first_name", "contact", "best_time", "for_whom", "consent", "contact_kind", "requested_slot"]]
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_cancelled"]


def test_display_contact_formats_us_numbers():
    assert details.display_contact("phone", "+16175550134") == "(617) 555-0134"
    assert details.display_contact("email", "a@b.org") == "a@b.org"
