"""ask_medications: the one medication the visitor named, or the three compared.
Leaves the `topic` slot on that medication, so follow-ups refer to it."""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

# Names and street names of each medication (lowercase, word-bounded).
MEDICATION_NAMES = {
    "methadone": r"methadone|methodone|metadona",
    "buprenorphine": r"buprenorphine|bupe|bupren\w*|suboxone|subutex|sublocade|subs?|sub strips?|zubsolv",
    "naltrexone": r"naltrexone|naltrexona|vivitrol",
}
PATTERNS = {name: re.compile(rf"\b(?:{names})\b", re.IGNORECASE) for name, names in MEDICATION_NAMES.items()}


def named_medication(text: str) -> Optional[str]:
    """The medication the text names, when it names exactly one."""
    named = [name for name, pattern in PATTERNS.items() if pattern.search(text or "")]
    return named[0] if len(named) == 1 else None


class ActionAnswerMedication(Action):
    def name(self) -> Text:
        return "action_answer_medication"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        medication = named_medication(tracker.latest_message.get("text") or "")
        if medication is None:
            dispatcher.utter_message(response="utter_medications")
            return [SlotSet("topic", "medications")]
        dispatcher.utter_message(response=f"utter_{medication}")
        return [SlotSet("topic", medication)]
