"""Contact details typed outside the hand-off form: the offer, yes and no,
on trackers built as data (exact events), and the responses they render."""
import logging

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import get_center
from actions.handoff.form import ValidateHandoffForm
from actions.handoff.shared_details import (
    ActionDeclineSharedDetails,
    ActionFillHandoffFromSharedDetails,
    ActionOfferCallbackAtSharedDetails,
    read_given_name,
)
from tests.core.trackers import DOMAIN, FORM_SLOTS, ROOT, tracker, user_event

CARLA = "my name is Carla, reach me at 857-555-0199"
PENDING = "callback_at_shared_details"


async def run(action, t):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return events, dispatcher.messages


def after_offer(offer_text: str, answer: str, intent: str, earlier=()) -> Tracker:
    """A tracker where `offer_text` got the callback offer and the visitor answered `answer`."""
    events = list(earlier) + [
        {"event": "action", "name": "action_listen"},
        user_event(offer_text, "inform", timestamp=1700000000.0),
        {"event": "action", "name": "action_offer_callback_at_shared_details"},
        {"event": "slot", "name": "contact_details_shared", "value": True},
        {"event": "slot", "name": PENDING, "value": True},
        {"event": "action", "name": "action_listen"},
        user_event(answer, intent, timestamp=1700000010.0),
    ]
    slots = {slot: None for slot in FORM_SLOTS}
    slots.update({"contact_details_shared": True, PENDING: True})
    return Tracker("visitor-1", slots, {**events[-1]["parse_data"], "text": answer}, events, False, None, {}, "action_listen")


# --- the offer -------------------------------------------------------------------

@pytest.mark.parametrize("text,response,values", [
    (CARLA, "utter_offer_call_at_shared_number_named", {"given_name": "Carla", "contact_shown": "(857) 555-0199"}),
    ("I'm Dana and my cell is 617.555.0134", "utter_offer_call_at_shared_number_named",
     {"given_name": "Dana", "contact_shown": "(617) 555-0134"}),
    ("you can text me on 617 555 0134", "utter_offer_call_at_shared_number", {"contact_shown": "(617) 555-0134"}),
    ("This is Maria, email Maria.Lopez@Example.org", "utter_offer_email_at_shared_address_named",
     {"given_name": "Maria", "contact_shown": "maria.lopez@example.org"}),
    ("my email: jo.b@example.com", "utter_offer_email_at_shared_address", {"contact_shown": "jo.b@example.com"}),
])
async def test_details_typed_with_no_question_pending_get_a_callback_offer_and_the_flag(text, response, values):
    events, messages = await run(ActionOfferCallbackAtSharedDetails(), tracker(text, form_active=False))
    assert events == [SlotSet("contact_details_shared", True), SlotSet(PENDING, True)]
    assert [(m["response"], {k: m.get(k) for k in ("given_name", "contact_shown") if k in m}) for m in messages] == [(response, values)]


@pytest.mark.parametrize("text", ["my name is Carla", "mornings", "Sam", "555-0134", "me@example"])
async def test_without_a_usable_phone_number_or_email_the_reply_is_the_honest_out_of_scope(text):
    events, messages = await run(ActionOfferCallbackAtSharedDetails(), tracker(text, form_active=False))
    assert events == []
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_an_earlier_offer_left_unanswered_is_withdrawn_when_nothing_new_is_offered():
    t = tracker("mornings", form_active=False, slots={PENDING: True})
    events, messages = await run(ActionOfferCallbackAtSharedDetails(), t)
    assert events == [SlotSet(PENDING, None)]
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_inside_the_form_nothing_changes():
    t = tracker(CARLA, requested_slot="consent", form_active=True)
    events, messages = await run(ActionOfferCallbackAtSharedDetails(), t)
    assert events == []
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


@pytest.mark.parametrize("text,name", [
    (CARLA, "Carla"),
    ("name: jo-anne; 617 555 0134", "Jo-anne"),
    ("hi! my name's Mary Ann. call 617 555 0134", "Mary Ann"),
    ("im Luis, 617 555 0134", "Luis"),
    ("i'm worried, call me at 617 555 0134", None),
    ("this is urgent, 617-555-0134", None),
    ("call me at 617 555 0134", None),
    ("my name is anonymous, 617 555 0134", None),
    ("my name is Carla 857-555-0199", None),  # no break before the number: the form asks the name
    ("857-555-0199", None),
])
def test_a_first_name_is_taken_only_where_it_is_given_as_one(text, name):
    assert read_given_name(text) == name


# --- yes -------------------------------------------------------------------------

async def test_yes_fills_the_form_with_the_details_given():
    events, messages = await run(ActionFillHandoffFromSharedDetails(), after_offer(CARLA, "yes", "affirm"))
    assert events == [
        SlotSet("first_name", "Carla"),
        SlotSet("contact", "+18575550199"),
        SlotSet("contact_kind", "phone"),
        SlotSet(PENDING, None),
    ]
    assert messages == []


async def test_yes_without_a_name_leaves_the_name_for_the_form_to_ask():
    events, _ = await run(ActionFillHandoffFromSharedDetails(), after_offer("email me: jo.b@example.com", "yes", "affirm"))
    assert events == [SlotSet("contact", "jo.b@example.com"), SlotSet("contact_kind", "email"), SlotSet(PENDING, None)]


async def test_yes_takes_the_details_of_the_latest_offer():
    earlier = after_offer("my name is Ana, 413 555 0187", "what is detox", "ask_detox").events
    events, _ = await run(ActionFillHandoffFromSharedDetails(), after_offer(CARLA, "yes", "affirm", earlier))
    assert events[:2] == [SlotSet("first_name", "Carla"), SlotSet("contact", "+18575550199")]


async def test_yes_with_no_offer_in_the_conversation_fills_nothing():
    events, _ = await run(ActionFillHandoffFromSharedDetails(), tracker("yes", intent="affirm", form_active=False))
    assert events == [SlotSet(PENDING, None)]


async def test_the_form_accepts_the_filled_details_as_they_are():
    """At activation the form validates slots filled before it; the filled ones must pass."""
    filled = {"first_name": "Carla", "contact": "+18575550199", "contact_kind": "phone"}
    dispatcher = CollectingDispatcher()
    events = await ValidateHandoffForm().run(dispatcher, tracker("yes", intent="affirm", set_this_turn=filled), DOMAIN)
    # contact_kind is not a form slot: it stays as filled.
    assert events == [SlotSet("first_name", "Carla"), SlotSet("contact", "+18575550199")]
    assert dispatcher.messages == []


# --- no --------------------------------------------------------------------------

async def test_no_says_the_details_are_not_used_and_how_to_reach_the_center():
    events, messages = await run(ActionDeclineSharedDetails(), after_offer(CARLA, "no", "deny"))
    assert events == [SlotSet(PENDING, None)]
    center = get_center()
    assert [(m["response"], m["center_phone"], m["center_hours"]) for m in messages] == [
        ("utter_shared_details_not_used", center.phone_display, center.hours_text())
    ]


# --- the responses, as Rasa renders them -----------------------------------------

async def rendered(name, **values):
    domain = Domain.load(str(ROOT / "domain.yml"))
    generator = TemplatedNaturalLanguageGenerator(domain.responses)
    return await generator.generate(name, DialogueStateTracker("visitor-1", domain.slots), "rest", **values)


async def test_the_offer_reads_as_in_the_issue_with_yes_and_no_buttons():
    _, messages = await run(ActionOfferCallbackAtSharedDetails(), tracker(CARLA, form_active=False))
    values = {k: v for k, v in messages[0].items() if k in ("given_name", "contact_shown")}
    reply = await rendered(messages[0]["response"], **values)
    assert reply["text"] == "Thanks, Carla. Would you like a specialist to call you at (857) 555-0199?"
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]


@pytest.mark.parametrize("name", [
    "utter_offer_call_at_shared_number", "utter_offer_email_at_shared_address",
    "utter_offer_email_at_shared_address_named",
])
async def test_every_offer_fills_all_its_placeholders(name):
    reply = await rendered(name, given_name="Carla", contact_shown="carla@example.com")
    assert "{" not in reply["text"] and "carla@example.com" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]


async def test_the_no_reply_names_the_center_number_and_hours():
    _, messages = await run(ActionDeclineSharedDetails(), after_offer(CARLA, "no", "deny"))
    values = {k: messages[0][k] for k in ("center_phone", "center_hours")}
    reply = await rendered("utter_shared_details_not_used", **values)
    center = get_center()
    assert "won't use those details" in reply["text"]
    assert center.phone_display in reply["text"] and center.hours_text() in reply["text"]
    assert "(857) 555-0199" not in reply["text"]


# --- privacy ---------------------------------------------------------------------

async def test_the_actions_log_no_contact_details_or_message_text(caplog):
    caplog.set_level(logging.DEBUG)
    await run(ActionOfferCallbackAtSharedDetails(), tracker(CARLA, form_active=False))
    await run(ActionFillHandoffFromSharedDetails(), after_offer(CARLA, "yes", "affirm"))
    await run(ActionDeclineSharedDetails(), after_offer(CARLA, "no", "deny"))
    for secret in ["Carla", "857", "0199", "reach me"]:
        assert secret not in caplog.text
