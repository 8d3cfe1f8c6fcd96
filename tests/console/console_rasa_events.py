"""Write tracker events into the test database the way Rasa 3.6's SQLTrackerStore does.

Events are Rasa's own event classes serialised with `as_dict()`, and rows get the same
columns SQLTrackerStore.save fills (intent_name from parse_data, action_name from "name").
"""
import json
import time
from typing import List, Optional

from django.db import connection
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)


class Conversation:
    def __init__(self, sender_id: str, channel: str = "socketio", start: Optional[float] = None):
        self.sender_id = sender_id
        self.channel = channel
        self.clock = start if start is not None else time.time() - 3600
        self.events: List[Event] = []

    def _tick(self, seconds: float = 1.0) -> float:
        self.clock += seconds
        return self.clock

    def start(self) -> "Conversation":
        self.events += [
            ActionExecuted("action_session_start", timestamp=self._tick()),
            SessionStarted(timestamp=self._tick()),
            ActionExecuted("action_listen", timestamp=self._tick()),
        ]
        return self

    def user(self, text: str, intent: str, confidence: float = 0.95, entities=None) -> "Conversation":
        parse_data = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence},
                               {"name": "out_of_scope", "confidence": round(1 - confidence, 4)}],
            "entities": entities or [],
        }
        self.events.append(UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data,
                                       timestamp=self._tick(20), input_channel=self.channel))
        return self

    def bot(self, utter: str, text: str, custom=None, policy: str = "RulePolicy") -> "Conversation":
        self.events.append(ActionExecuted(utter, policy=policy, confidence=1.0, timestamp=self._tick()))
        data = {"custom": custom} if custom else {}
        self.events.append(BotUttered(text, data, {"utter_action": utter}, timestamp=self._tick()))
        self.events.append(ActionExecuted("action_listen", timestamp=self._tick()))
        return self

    def action(self, name: str) -> "Conversation":
        self.events.append(ActionExecuted(name, policy="RulePolicy", confidence=1.0, timestamp=self._tick()))
        return self

    def slot(self, name: str, value) -> "Conversation":
        self.events.append(SlotSet(name, value, timestamp=self._tick()))
        return self

    def loop(self, name: Optional[str]) -> "Conversation":
        self.events.append(ActiveLoop(name, timestamp=self._tick()))
        return self

    def save(self) -> "Conversation":
        with connection.cursor() as cursor:
            for event in self.events:
                data = event.as_dict()
                cursor.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [self.sender_id, event.type_name, data.get("timestamp"),
                     data.get("parse_data", {}).get("intent", {}).get("name"), data.get("name"), json.dumps(data)],
                )
        self.events = []
        return self


def handoff_row(conversation_id: str, first_name: str = "Maria", contact: str = "+15550101234",
                created_at=None, status: str = "new", channel: str = "socketio"):
    import datetime as dt
    import uuid

    from handoffs.models import HandoffRequest

    from conversations.seeding import insert_handoffs

    created_at = created_at or dt.datetime.now(dt.timezone.utc)
    key = uuid.uuid4().hex
    # The same insert the seeding command uses: it copes with the action server's own table layout.
    insert_handoffs([HandoffRequest(
        request_key=key, conversation_id=conversation_id, channel=channel, first_name=first_name,
        contact_kind="email" if "@" in contact else "phone", contact=contact, best_time="mornings",
        for_whom="self", consent=True, consent_at=created_at, created_at=created_at, status=status,
    )])
    return HandoffRequest.objects.get(request_key=key)
