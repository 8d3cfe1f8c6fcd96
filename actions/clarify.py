"""When the classifier is unsure (nlu_fallback): the honest out-of-scope reply
when its best guess is out of scope; the follow-up answer when its best guess
is a follow-up and a topic is under discussion; "Did you mean X or Y?" with two
buttons when its two best guesses are two different topics; else "I didn't
quite understand" with the topics.

out_of_scope: the honest reply, unless the domain gate (components/domain_gate.py)
turned an unsure guess into it for a short question that refers back ("does
insurance cover that") while a topic is under discussion: then the guess,
read in that context, is answered. The gate sees one message; this sees the
conversation."""
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import FAQ_KEYS
from actions.contact import visitor_language
from actions.faq import faq_key, utter_faq
from actions.followup import FOLLOWUP_PREFIX, answer_followup, followup_kind
from actions.topics import topic_table

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
# A follow-up is short and points back at what was just said.
FOLLOWUP_MAX_WORDS = 10
CONTEXT_GUESSES = 3
REFERS_BACK = re.compile(
    r"\b(that|this|it|those|these|them|they|there|what about|how about|what if|and if|eso|esto|ese|esa|ahi|alli|y si|y para|y mi)\b")


def guesses(tracker: Tracker) -> List[str]:
    """The classifier's guesses for the latest message, best first, without the fallback."""
    return [entry.get("name") or "" for entry in tracker.latest_message.get("intent_ranking") or []
            if entry.get("name") != FALLBACK]


def two_best_guesses(tracker: Tracker) -> Tuple[Optional[str], Optional[str]]:
    ranking = guesses(tracker) + [None, None]
    return ranking[0], ranking[1]


class ActionClarify(Action):
    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        first, second = two_best_guesses(tracker)
        if first == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if first and first.startswith(FOLLOWUP_PREFIX) and tracker.get_slot("topic"):
            # A short question right after a topic is most likely about it.
            return answer_followup(dispatcher, tracker, followup_kind(first))
        table = topic_table()
        first_topic, second_topic = table.by_intent(first or ""), table.by_intent(second or "")
        if first_topic and second_topic and first_topic is not second_topic:
            language = visitor_language(tracker)
            first_label, second_label = first_topic.label_in(language), second_topic.label_in(language)
            dispatcher.utter_message(
                response="utter_clarify", first=first_label, second=second_label,
                buttons=[{"title": first_label, "payload": f"/{first}"},
                         {"title": second_label, "payload": f"/{second}"}])
            return []
        if first_topic and first_topic is second_topic and first_topic.intents[first].startswith("utter_"):
            # Two readings of one topic (e.g. withdrawal and its timing): the best one.
            dispatcher.utter_message(response=first_topic.intents[first])
            return [SlotSet("topic", first_topic.name)]
        dispatcher.utter_message(response="utter_default")
        return []


def refers_back(text: str) -> bool:
    lowered = text.lower()
    return 0 < len(lowered.split()) <= FOLLOWUP_MAX_WORDS and bool(REFERS_BACK.search(lowered))


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        ranked = guesses(tracker)
        text = tracker.latest_message.get("text") or ""
        if ranked and ranked[0] != OUT_OF_SCOPE and tracker.get_slot("topic") and refers_back(text):
            # The best reading in context among the three best guesses.
            for guess in ranked[:CONTEXT_GUESSES]:
                if guess.startswith(FOLLOWUP_PREFIX):
                    return answer_followup(dispatcher, tracker, followup_kind(guess))
                if faq_key(guess) in FAQ_KEYS:
                    # The topic stays: "does insurance cover that" is still about it.
                    utter_faq(dispatcher, tracker, faq_key(guess))
                    return []
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
