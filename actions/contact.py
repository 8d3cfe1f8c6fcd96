"""Shares the specialist's contact from configuration, and offers a callback."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.center import Center, get_center
from actions.messages import CALLBACK_OFFER, CALLBACK_OFFER_BUTTONS


def contact_text(center: Center) -> str:
    """One sentence with the number to call now, and when it is answered."""
    return (
        f"You can talk to a specialist at {center.name}: call {center.phone_display} "
        f"(open {center.hours_text()})."
    )


def utter_contact_card(dispatcher: CollectingDispatcher, center: Center, text: str) -> None:
    """The contact as text, with a card payload the web widget renders with a tel: link."""
    dispatcher.utter_message(text=text, json_message=center.contact_card())


class ActionShareSpecialistContact(Action):
    def name(self) -> Text:
        return "action_share_specialist_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        center = get_center()
        text = contact_text(center)
        if not center.is_open():
            text += f" We're closed right now and open again {center.next_opening_text()}."
        text += " In an emergency, call 911."
        utter_contact_card(dispatcher, center, text)
        dispatcher.utter_message(text=CALLBACK_OFFER, buttons=CALLBACK_OFFER_BUTTONS)
        return []

