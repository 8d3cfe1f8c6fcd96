"""Shares the specialist's contact from configuration, and offers a callback."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.center import Center, get_center


def visitor_language(tracker: Tracker) -> str:
    """"en" or "es": the conversation's language slot (components/language.py)."""
    return "es" if tracker.get_slot("language") == "es" else "en"


def center_values(center: Center, language: str) -> Dict[str, str]:
    """The center's details as the responses' {center_...} placeholders read them."""
    return {
        "center_name": center.name,
        "center_phone": center.phone_display,
        "center_hours": center.hours_text(language),
    }


def utter_contact_card(
    dispatcher: CollectingDispatcher, center: Center, language: str, response: str, **values: Any
) -> None:
    """A response naming the center's number, with a card payload the web widget renders with a tel: link."""
    dispatcher.utter_message(
        response=response, json_message=center.contact_card(language), **center_values(center, language), **values
    )


class ActionShareSpecialistContact(Action):
    def name(self) -> Text:
        return "action_share_specialist_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        center, language = get_center(), visitor_language(tracker)
        if center.is_open():
            utter_contact_card(dispatcher, center, language, "utter_specialist_contact_open")
        else:
            utter_contact_card(
                dispatcher, center, language, "utter_specialist_contact_closed",
                next_opening=center.next_opening_text(language=language),
            )
        dispatcher.utter_message(response="utter_callback_offer")
        return []
