"""The hand-off form: validating answers, corrections, consent and leaving."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import details

FORM_SLOTS = ["first_name", "contact", "best_time", "for_whom", "consent"]
# Slots the form fills, plus those derived from them.
HANDOFF_SLOTS = FORM_SLOTS + ["contact_kind"]

# Which detail a correction is about, judged from its wording.
CORRECTION_TARGETS = [
    ("contact", re.compile(
        r"\b(?:phone|number|email|e-mail|contact|reach|tel[eé]fono|n[uú]mero|correo|cel|celular|contacto)\b|@|\d{3}",
        re.IGNORECASE)),
    ("first_name", re.compile(r"\b(?:name|nombre)\b", re.IGNORECASE)),
    ("best_time", re.compile(
        r"\b(?:time|when|morning|afternoon|evening|night|day|hours?|hora|horario|cu[aá]ndo|mañana|manana|tarde|noche|d[ií]a)\b",
        re.IGNORECASE)),
    ("for_whom", re.compile(
        r"\b(?:for (?:me|my|a|him|her)|myself|loved one|son|daughter|partner|husband|wife"
        r"|para (?:m[ií]|mi|un|una|[eé]l|ella)|hij[oa]|espos[oa]|pareja|ser querido)(?!\w)",
        re.IGNORECASE)),
]


def clear_handoff_slots() -> List[EventType]:
    return [SlotSet(slot, None) for slot in HANDOFF_SLOTS] + [SlotSet("requested_slot", None)]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_handoff_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if (tracker.latest_message.get("intent") or {}).get("name") == "correct_details":
            return self._apply_correction(tracker)
        return await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _apply_correction(tracker: Tracker) -> List[EventType]:
        """Clears (or directly replaces) the detail named, then consent is asked again.
        An unclear correction changes nothing; the form is rejected and a rule asks which detail."""
        text = tracker.latest_message.get("text") or ""
        for slot, pattern in CORRECTION_TARGETS:
            if not pattern.search(text):
                continue
            events: List[EventType] = [SlotSet("consent", None)]
            if slot == "contact":
                new_contact = details.read_contact(text)
                events += [
                    SlotSet("contact", new_contact.value if new_contact else None),
                    SlotSet("contact_kind", new_contact.kind if new_contact else None),
                ]
            elif slot == "for_whom" and details.read_for_whom(text):
                events.append(SlotSet("for_whom", details.read_for_whom(text)))
            else:
                events.append(SlotSet(slot, None))
            return events
        return []

    def validate_first_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "")
        if details.looks_like_contact(text):
            dispatcher.utter_message(response="utter_first_name_looks_like_contact")
            return {"first_name": None}
        name = details.read_first_name(text)
        if name is None:
            dispatcher.utter_message(response="utter_first_name_invalid")
        return {"first_name": name}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        contact = details.read_contact(str(value or ""))
        if contact is None:
            problem, values = details.contact_problem(str(value or ""))
            dispatcher.utter_message(response=problem, **values)
            return {"contact": None, "contact_kind": None}
        return {"contact": contact.value, "contact_kind": contact.kind}

    def validate_best_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = " ".join(str(value or "").split())
        if details.looks_like_contact(text):
            dispatcher.utter_message(response="utter_best_time_looks_like_contact")
            return {"best_time": None}
        if not 2 <= len(text) <= 120:
            dispatcher.utter_message(response="utter_best_time_invalid")
            return {"best_time": None}
        return {"best_time": text}

    def validate_for_whom(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        for_whom = details.read_for_whom(str(value or ""))
        if for_whom is None:
            dispatcher.utter_message(response="utter_for_whom_unclear")
        return {"for_whom": for_whom}

    def validate_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"consent": bool(value)}


class ActionAskConsent(Action):
    """Shows the details back before asking for consent, so they can be corrected."""

    def name(self) -> Text:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        kind, contact = tracker.get_slot("contact_kind"), tracker.get_slot("contact")
        shown_contact = details.display_contact(kind, contact) if kind and contact else contact
        # The response's variations read first_name, best_time and for_whom from the slots.
        dispatcher.utter_message(response="utter_consent_summary", contact_shown=shown_contact)
        return []


class ActionCancelHandoff(Action):
    """Leaves the form cleanly and forgets what was typed into it."""

    def name(self) -> Text:
        return "action_cancel_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_handoff_cancelled")
        return [ActiveLoop(None)] + clear_handoff_slots()

