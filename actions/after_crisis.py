"""Answers the question a visitor asked in the same message as a crisis.

The crisis detector (components/crisis_guard.py) keeps the classifier's best
non-crisis intent under `crisis.question_intent` when the message also asks
something ("...sometimes I think about ending it. How long do cravings
last?"). The crisis rules send the crisis reply first, as plain responses,
then run this action, which hands the question back to the rules as the
visitor's next utterance: Rasa's own rules then answer it in the same turn,
whatever the intent (a topic, a centre FAQ, a follow-up).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, UserUttered
from rasa_sdk.executor import CollectingDispatcher


def _intent_names(domain: Dict[Text, Any]) -> set:
    names = set()
    for intent in domain.get("intents") or []:
        names.update(intent if isinstance(intent, dict) else [intent])
    return names


class ActionAnswerAfterCrisis(Action):
    def name(self) -> Text:
        return "action_answer_after_crisis"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        question = (message.get("crisis") or {}).get("question_intent")
        if not question or question not in _intent_names(domain):
            return []
        ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") == question]
        confidence = ranking[0].get("confidence", 1.0) if ranking else 1.0
        parse_data = {
            "intent": {"name": question, "confidence": confidence},
            "entities": [],
            "text": message.get("text"),
            "intent_ranking": [{"name": question, "confidence": confidence}],
            "crisis": {"kind": None, "answered_after": (message.get("crisis") or {}).get("kind") or "past"},
        }
        # An action_listen first, so the rules read it as the visitor's next turn.
        return [ActionExecuted("action_listen"), UserUttered(message.get("text"), parse_data=parse_data)]
