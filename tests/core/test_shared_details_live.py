"""Contact details typed outside the form, through the real assistant
(`rasa run` + the action server): the offer, yes (the form asks only what is
missing), no, a crisis first, the staff flag in the tracker store, and logs
free of the details."""
import json

import pytest
import sqlalchemy as sa

# The same real assistant as there (on its own SQLite database), started once for this module.
from tests.core.test_running_assistant import conversation, stack  # noqa: F401

pytestmark = pytest.mark.stack
NAME, PHONE, EMAIL = "Carmelita", "857-555-0199", "carmelita.v@example.net"


def slot_events(stack, sender):
    engine = sa.create_engine(stack.database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("select data from events where sender_id = :s and type_name = 'slot' order by id"), {"s": sender}
        ).all()
    return [(json.loads(row[0])["name"], json.loads(row[0])["value"]) for row in rows]


def test_yes_to_the_offer_starts_the_form_at_what_is_missing(stack):
    sender = conversation()
    texts = stack.texts(sender, f"my name is {NAME}, reach me at {PHONE}")
    assert f"Thanks, {NAME}. Would you like a specialist to call you at (857) 555-0199?" in texts
    assert ("contact_details_shared", True) in slot_events(stack, sender)
    assert stack.texts(sender, "yes")[-1].startswith("When is the best time to contact you?")
    stack.rest(sender, "weekday mornings")
    summary = stack.texts(sender, "for myself")[-1]
    assert summary.startswith(f"Here's what I have: name {NAME}, contact (857) 555-0199, best time weekday mornings")


def test_no_to_the_offer_leaves_the_details_unused(stack):
    sender = conversation()
    texts = stack.texts(sender, f"my email address is {EMAIL}")
    assert f"Thanks. Would you like a specialist to email you at {EMAIL}?" in texts
    reply = stack.texts(sender, "no")
    assert len(reply) == 1 and "won't use those details" in reply[0] and "call 911" in reply[0]
    slots = slot_events(stack, sender)
    assert ("contact_details_shared", True) in slots
    assert not any(name in ("contact", "first_name") and value for name, value in slots)


def test_a_crisis_with_contact_details_gets_the_crisis_reply_first(stack):
    texts = stack.texts(conversation(), f"i want to end my life, my number is {PHONE}")
    assert texts[0].startswith("I'm really sorry you're feeling this way")
    assert not any("Would you like a specialist" in t for t in texts)


def test_logs_hold_no_contact_details_or_message_text(stack):
    logs = stack.log("rasa") + stack.log("actions")
    for secret in [NAME, "8575550199", PHONE, "(857) 555-0199", EMAIL, "reach me at", "end my life"]:
        assert secret not in logs
