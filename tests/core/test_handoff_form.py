"""The hand-off form's actions, on trackers built as data: exact events."""
import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import details
from actions.handoff.form import ActionAskConsent, ActionAskContact, ActionCancelHandoff, ValidateHandoffForm
from tests.core.trackers import DOMAIN, tracker


async def validate(t):
    dispatcher = CollectingDispatcher()
    events = await ValidateHandoffForm().run(dispatcher, t, DOMAIN)
    return events, [m.get("text") for m in dispatcher.messages]


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


@pytest.mark.parametrize("answer,problem", [
    ("555-0134", "missing its area code"),
    ("617 555 01", "missing a digit or two"),
    ("+44 20 7946 0958", "only take a US phone number"),
    # It has an area code: what is wrong is that 555 is not one in service.
    ("(555) 201-4477", "555 isn't a US area code in use"),
    ("(617) 101-4477", "can't start with 1"),
    ("617 201 44770", "more digits than a US phone number"),
    ("me@example", "email address doesn't look complete"),
    ("whenever", "phone number or an email address"),
])
async def test_bad_contact_details_are_re_asked_with_the_reason(answer, problem):
    events, said = await validate(tracker(answer, set_this_turn={"contact": answer}, requested_slot="contact"))
    assert events == [SlotSet("contact", None), SlotSet("contact_kind", None)]
    assert len(said) == 1 and problem in said[0]


@pytest.mark.parametrize("answer,expected", [
    ("Sam", "Sam"), ("my name is jo-anne", "Jo-anne"), ("anonymous", "anonymous"),
    ("i'd rather not", "anonymous"), ("yes", None), ("617-555-0134", None), ("a b c d e", None),
])
async def test_first_name(answer, expected):
    events, said = await validate(tracker(answer, set_this_turn={"first_name": answer}, requested_slot="first_name"))
    assert events == [SlotSet("first_name", expected)]
    assert bool(said) == (expected is None)


@pytest.mark.parametrize("answer,expected", [
    ("For myself", "self"), ("it's for my son", "loved_one"), ("a loved one", "loved_one"), ("dunno", None),
])
async def test_for_whom(answer, expected):
    events, _ = await validate(tracker(answer, set_this_turn={"for_whom": answer}, requested_slot="for_whom"))
    assert events == [SlotSet("for_whom", expected)]


async def test_best_time_rejects_contact_details():
    events, said = await validate(tracker("617 555 0134", set_this_turn={"best_time": "617 555 0134"}, requested_slot="best_time"))
    assert events == [SlotSet("best_time", None)]
    assert "only when to contact you" in said[0]


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


async def test_an_unclear_correction_changes_nothing():
    t = tracker("that's not right", intent="correct_details", slots=FILLED, requested_slot="consent")
    events, _ = await validate(t)
    assert events == []


async def test_consent_question_shows_the_details_back():
    dispatcher = CollectingDispatcher()
    events = await ActionAskConsent().run(dispatcher, tracker(slots=FILLED, requested_slot="consent"), DOMAIN)
    assert events == []
    text = dispatcher.messages[0]["text"]
    assert "name Sam" in text and "(617) 555-0134" in text and "best time mornings" in text and "for yourself" in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/correct_details", "/deny"]


async def test_ask_contact_asks_for_phone_or_email():
    dispatcher = CollectingDispatcher()
    assert await ActionAskContact().run(dispatcher, tracker(requested_slot="contact"), DOMAIN) == []
    assert "phone number or an email" in dispatcher.messages[0]["text"]


async def test_stop_leaves_the_form_and_forgets_the_details():
    dispatcher = CollectingDispatcher()
    events = await ActionCancelHandoff().run(dispatcher, tracker("stop", intent="stop", slots=FILLED, requested_slot="best_time"), DOMAIN)
    assert events == [ActiveLoop(None)] + [SlotSet(s, None) for s in
                                          ["first_name", "contact", "best_time", "for_whom", "consent", "contact_kind", "requested_slot"]]
    assert "not saved anything" in dispatcher.messages[0]["text"]


def test_display_contact_formats_us_numbers():
    assert details.display_contact("phone", "+16175550134") == "(617) 555-0134"
    assert details.display_contact("email", "a@b.org") == "a@b.org"
