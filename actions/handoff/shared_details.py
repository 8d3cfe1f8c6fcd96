"""Contact details typed into the chat outside the hand-off form.

"my name is Carla, reach me at 857-555-0199" with no question pending is
answered with a callback offer at those details. Yes starts the hand-off form
with them filled in, so it asks only what is missing; no leaves them unused.
Either way the conversation is flagged for staff (slot contact_details_shared).
The details are read again from the visitor's message when they say yes, so
nothing is kept in slots unless the visitor accepts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.center import get_center
from actions.contact import center_values, visitor_language
from actions.handoff import details

OFFER_ACTION = "action_offer_callback_at_shared_details"
# Featurized, so the rules tell an offer made from one without details.
OFFER_PENDING_SLOT = "callback_at_shared_details"
# Not featurized: the staff console flags the conversation from this slot event.
FLAG_SLOT = "contact_details_shared"

CLAUSE_BREAK = re.compile(r"[,;!?\n]+|\.\s+|\s+(?:and|but)\s+", re.IGNORECASE)
OFFER_RESPONSES = {
    # (contact kind, name known) -> response
    ("phone", True): "utter_offer_call_at_shared_number_named",
    ("phone", False): "utter_offer_call_at_shared_number",
    ("email", True): "utter_offer_email_at_shared_address_named",
    ("email", False): "utter_offer_email_at_shared_address",
}


@dataclass(frozen=True)
class SharedDetails:
    contact: details.Contact
    first_name: Optional[str]


def read_given_name(text: str) -> Optional[str]:
    """The first name in a clause such as "my name is Carla" or "I'm Carla", else None.

    "I'm"/"this is" also start "I'm worried", so after them only a single
    capitalised word counts; after "my name is" any name the form accepts."""
    for clause in CLAUSE_BREAK.split(text):
        clause = clause.strip()
        prefix = details.NAME_PREFIX.match(clause)
        if not prefix or details.looks_like_contact(clause):
            continue
        rest = clause[prefix.end():].strip(" .!")
        said_name = "name" in prefix.group(0).lower()
        if not said_name and not (len(rest.split()) == 1 and rest[:1].isupper()):
            continue
        name = details.read_first_name(clause)
        if name and name != "anonymous":
            return name
    return None


def read_shared_details(text: str) -> Optional[SharedDetails]:
    """A phone number or email (and a first name if given) in free text, else None."""
    contact = details.read_contact(text)
    if contact is None:
        return None
    return SharedDetails(contact=contact, first_name=read_given_name(text))


def message_before_offer(tracker: Tracker) -> Optional[Text]:
    """The text of the visitor message the latest offer answered."""
    offered = False
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == OFFER_ACTION:
            offered = True
        elif offered and event.get("event") == "user":
            return event.get("text") or ""
    return None


class ActionOfferCallbackAtSharedDetails(Action):
    """Answers details given with no question pending: a callback offer when they
    hold a phone number or email, else "what would you like to know" as before."""

    def name(self) -> Text:
        return OFFER_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        shared = None if tracker.active_loop_name else read_shared_details(tracker.latest_message.get("text") or "")
        if shared is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return [SlotSet(OFFER_PENDING_SLOT, None)] if tracker.get_slot(OFFER_PENDING_SLOT) else []
        kind = shared.contact.kind
        response = OFFER_RESPONSES[(kind, shared.first_name is not None)]
        values: Dict[Text, Any] = {"contact_shown": details.display_contact(kind, shared.contact.value)}
        if shared.first_name:
            values["given_name"] = shared.first_name
        dispatcher.utter_message(response=response, **values)
        return [SlotSet(FLAG_SLOT, True), SlotSet(OFFER_PENDING_SLOT, True)]


class ActionFillHandoffFromSharedDetails(Action):
    """Yes to the offer: fills the form's slots from the details given, so the
    form (started next by the rule) validates them and asks only what is missing."""

    def name(self) -> Text:
        return "action_fill_handoff_from_shared_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        shared = read_shared_details(message_before_offer(tracker) or "")
        events: List[EventType] = []
        if shared is not None:
            if shared.first_name:
                events.append(SlotSet("first_name", shared.first_name))
            events += [SlotSet("contact", shared.contact.value), SlotSet("contact_kind", shared.contact.kind)]
        return events + [SlotSet(OFFER_PENDING_SLOT, None)]


class ActionDeclineSharedDetails(Action):
    """No to the offer: the details are not used, and how to reach the center instead."""

    def name(self) -> Text:
        return "action_decline_shared_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        values = center_values(get_center(), visitor_language(tracker))
        dispatcher.utter_message(response="utter_shared_details_not_used", **values)
        return [SlotSet(OFFER_PENDING_SLOT, None)]
