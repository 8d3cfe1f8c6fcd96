"""The center's own questions (faq_* intents), answered from center.yml's `faq`
section. An answer the center has not filled in gets an honest "a specialist
can answer that" with the number, hours and a callback offer."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.center import FAQ_KEYS, get_center
from actions.contact import center_values, visitor_language

FAQ_INTENT_PREFIX = "faq_"


def faq_key(intent: str) -> str:
    """The center.yml key a faq_* intent asks about ("" for any other intent)."""
    return intent[len(FAQ_INTENT_PREFIX):] if intent.startswith(FAQ_INTENT_PREFIX) else ""


def utter_faq(dispatcher: CollectingDispatcher, tracker: Tracker, key: str) -> None:
    """The center's answer for `key` in the visitor's language, or the specialist."""
    center, language = get_center(), visitor_language(tracker)
    answer = center.faq_answer(key, language)
    if answer:
        dispatcher.utter_message(response="utter_faq_answer", answer=answer)
    else:
        dispatcher.utter_message(response="utter_faq_ask_specialist", **center_values(center, language))
    if key == "confidentiality":
        dispatcher.utter_message(response="utter_confidentiality_rule")


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        key = faq_key(intent)
        if key not in FAQ_KEYS:
            # Reached only by a rule naming an intent center.py does not know.
            dispatcher.utter_message(
                response="utter_faq_ask_specialist", **center_values(get_center(), visitor_language(tracker))
            )
            return []
        utter_faq(dispatcher, tracker, key)
        return []
