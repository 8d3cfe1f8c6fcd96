"""Reading Rasa tracker events: the one place that knows their shape and what makes a flag."""
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from django.db import connection

MESSAGING_PREFIXES = ("telegram", "slack", "twilio", "facebook")
FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
FALLBACK_ACTIONS = {"action_default_fallback"}
HANDOFF_NAMES = {"request_specialist", "request_callback", "handoff_form", "action_handoff_to_specialist"}
# Intents that say nothing about what the visitor came for; left out of "topics".
SMALL_TALK_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thank", "thanks", "bot_challenge", "mood_great",
    "mood_unhappy", "nlu_fallback", "out_of_scope", "restart", "session_start", "tell_me_more", "stop",
    "correct_details",
}
# Bookkeeping actions that are noise in filters and transcripts.
LISTEN_ACTIONS = {"action_listen"}


def is_crisis_intent(name: Optional[str]) -> bool:
    return bool(name) and name.startswith("crisis_")


def is_crisis_action(name: Optional[str]) -> bool:
    return bool(name) and name.startswith("utter_crisis")


def to_datetime(timestamp: Optional[float]) -> Optional[dt.datetime]:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(float(timestamp), tz=dt.timezone.utc)


def channel_of(sender_id: str, user_data: Optional[dict] = None) -> str:
    prefix = sender_id.split(":", 1)[0] if ":" in sender_id else ""
    if prefix in MESSAGING_PREFIXES:
        return prefix
    if user_data and user_data.get("input_channel"):
        return str(user_data["input_channel"])[:64]
    return ""


def load_json(text: Optional[str]) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class TranscriptEntry:
    """One line of a transcript: a user message, a bot reply, an action or a slot."""

    event_id: int
    kind: str  # "user" | "bot" | "action" | "slot" | "other"
    at: Optional[dt.datetime]
    text: str = ""
    intent: str = ""
    confidence: Optional[float] = None
    ranking: List[dict] = field(default_factory=list)
    entities: List[dict] = field(default_factory=list)
    action: str = ""
    policy: str = ""
    buttons: List[str] = field(default_factory=list)
    custom: str = ""
    slot: str = ""
    slot_value: str = ""
    channel: str = ""

    def as_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "type": self.kind,
            "timestamp": self.at.isoformat() if self.at else None,
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "action": self.action,
            "policy": self.policy,
        }


def entry_from_row(event_id, type_name, timestamp, intent_name, action_name, data_text) -> Optional[TranscriptEntry]:
    data = load_json(data_text)
    at = to_datetime(timestamp)
    if type_name == "user":
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        ranking = [
            {"name": str(item.get("name", "")), "confidence": item.get("confidence")}
            for item in (parse.get("intent_ranking") or [])[:3]
            if isinstance(item, dict)
        ]
        entities = [
            {"entity": str(item.get("entity", "")), "value": str(item.get("value", ""))}
            for item in (parse.get("entities") or [])
            if isinstance(item, dict)
        ]
        return TranscriptEntry(
            event_id, "user", at, text=str(data.get("text") or ""),
            intent=str(intent_name or intent.get("name") or ""),
            confidence=intent.get("confidence"), ranking=ranking, entities=entities,
            channel=str(data.get("input_channel") or ""),
        )
    if type_name == "bot":
        payload = data.get("data") or {}
        buttons = [str(b.get("title", "")) for b in (payload.get("buttons") or []) if isinstance(b, dict)]
        custom = payload.get("custom")
        return TranscriptEntry(
            event_id, "bot", at, text=str(data.get("text") or ""), buttons=buttons,
            custom=json.dumps(custom, ensure_ascii=False) if custom else "",
            action=str((data.get("metadata") or {}).get("utter_action") or ""),
        )
    if type_name == "action":
        name = str(action_name or data.get("name") or "")
        if name in LISTEN_ACTIONS:
            return None
        return TranscriptEntry(
            event_id, "action", at, action=name, policy=str(data.get("policy") or ""),
            confidence=data.get("confidence"),
        )
    if type_name == "slot":
        value = data.get("value")
        return TranscriptEntry(
            event_id, "slot", at, slot=str(data.get("name") or ""),
            slot_value="" if value is None else json.dumps(value, ensure_ascii=False),
        )
    return None


def events_table() -> str:
    return connection.ops.quote_name("events")


def table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        return name in connection.introspection.table_names(cursor)


EVENT_COLUMNS = "id, sender_id, type_name, timestamp, intent_name, action_name, data"


def transcript(sender_id: str, limit: int = 5000) -> List[TranscriptEntry]:
    """The conversation's events in order, as displayable entries (uses Rasa's sender_id index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, type_name, timestamp, intent_name, action_name, data FROM {events_table()} "
            "WHERE sender_id = %s ORDER BY id LIMIT %s",
            [sender_id, limit],
        )
        rows = cursor.fetchall()
    entries = (entry_from_row(*row) for row in rows)
    return [entry for entry in entries if entry is not None]


def transcripts(sender_ids: Iterable[str], chunk: int = 200):
    """Yield (sender_id, entries) for many conversations, a chunk of senders per query."""
    sender_ids = list(sender_ids)
    for start in range(0, len(sender_ids), chunk):
        part = sender_ids[start:start + chunk]
        placeholders = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT sender_id, id, type_name, timestamp, intent_name, action_name, data FROM {events_table()} "
                f"WHERE sender_id IN ({placeholders}) ORDER BY sender_id, id",
                part,
            )
            rows = cursor.fetchall()
        grouped = {sender: [] for sender in part}
        for sender, *rest in rows:
            entry = entry_from_row(*rest)
            if entry is not None:
                grouped[sender].append(entry)
        yield from grouped.items()
