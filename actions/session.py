"""Session start: every new conversation opens with the not-medical-advice notice."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import DISCLAIMER


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=DISCLAIMER)
        # Nothing is carried over from an earlier session: it may hold contact details.
        return [SessionStarted(), ActionExecuted("action_listen")]
