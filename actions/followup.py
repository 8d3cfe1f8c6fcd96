"""Short follow-ups ("does it hurt", "is that expensive", "and if it's my wife?")
answered for the topic under discussion (slot `topic`), from the topic table."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import get_center
from actions.contact import center_values, visitor_language
from actions.faq import utter_faq
from actions.topics import FAQ_PREFIX, FOLLOWUP_KINDS, topic_table

FOLLOWUP_PREFIX = "followup_"
# Follow-ups that mean nothing without a topic: ask which one.
NEED_A_TOPIC = {"pain", "timing", "safety", "more"}


def followup_kind(intent: str) -> str:
    if intent.startswith(FOLLOWUP_PREFIX) and intent[len(FOLLOWUP_PREFIX):] in FOLLOWUP_KINDS:
        return intent[len(FOLLOWUP_PREFIX):]
    return "more"  # tell_me_more about a topic without a second answer


class ActionAnswerFollowup(Action):
    def name(self) -> Text:
        return "action_answer_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        return answer_followup(dispatcher, tracker, followup_kind(intent))


def answer_followup(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> List[EventType]:
    """Answers a follow-up of `kind` about the topic in the `topic` slot."""
    table = topic_table()
    topic_name = tracker.get_slot("topic")
    topic = table.by_name(topic_name)
    if topic is None and kind in NEED_A_TOPIC:
        dispatcher.utter_message(response="utter_followup_no_topic")
        return []
    answer = table.followup_answer(topic_name, kind)
    if answer.startswith(FAQ_PREFIX):
        utter_faq(dispatcher, tracker, answer[len(FAQ_PREFIX):])
    elif answer == "utter_followup_specialist":
        language = visitor_language(tracker)
        dispatcher.utter_message(response=answer, topic_label=topic.label_in(language).lower(),
                                 **center_values(get_center(), language))
    else:
        dispatcher.utter_message(response=answer)
    if kind == "family_history":
        return [SlotSet("topic", "genetics")]
    return []
