"""Reading Rasa tracker events: the one place that knows their shape and what makes a flag."""
import datetime as dt
import json
import re
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
SESSION_START_ACTION = "action_session_start"
# The crisis replies, as the Rasa-side safety net names them (channels/safety_net.py).
CRISIS_RESPONSE_PREFIXES = ("utter_crisis", "utter_overdose_")
# Slots other parts of the assistant set for the console (see console/README.md).
LANGUAGE_SLOT = "language"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
FEEDBACK_SLOT = "answer_feedback"
CONTACT_SHARED_SLOT = "contact_details_shared"


def is_crisis_intent(name: Optional[str]) -> bool:
    return bool(name) and name.startswith("crisis_")


def is_crisis_action(name: Optional[str]) -> bool:
    return bool(name) and name.startswith(CRISIS_RESPONSE_PREFIXES)


def language_of(slot_value) -> Optional[str]:
    """"en" / "es" from a `language` slot value; None for anything else."""
    value = str(slot_value or "").strip().lower()
    return value if value in LANGUAGES else None


def feedback_of(slot_value) -> Optional[dict]:
    """An `answer_feedback` slot value {"message_id", "rating": "up"|"down", "text"}, or None."""
    if not isinstance(slot_value, dict) or slot_value.get("rating") not in ("up", "down"):
        return None
    return {"message_id": str(slot_value.get("message_id") or ""), "rating": slot_value["rating"],
            "text": str(slot_value.get("text") or "")}


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
    # Bot messages: a custom payload (crisis lines, contact card) as the lines the visitor read.
    custom_lines: List[str] = field(default_factory=list)
    # Set by `in_visitor_order`: the session-start notice, the visitor's thumbs on an answer,
    # and the language the bot gave a visitor message.
    session_start: bool = False
    feedback: str = ""
    language: str = ""
    correction: object = None  # the staff correction of a visitor message's intent

    @property
    def is_crisis(self) -> bool:
        return self.kind == "bot" and is_crisis_action(self.action)

    @property
    def is_system(self) -> bool:
        return self.kind in ("action", "slot") and not self.feedback

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
            custom_lines=custom_lines(custom),
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


def custom_lines(custom) -> List[str]:
    """The text a custom payload showed the visitor: the crisis lines' labels and numbers, the
    contact card's fields; any other payload as its short text values."""
    if not isinstance(custom, dict):
        return []
    if isinstance(custom.get("lines"), list):
        lines = []
        for line in custom["lines"]:
            if isinstance(line, dict):
                label, href = str(line.get("label") or ""), str(line.get("href") or "")
                number = href[4:] if href.startswith("tel:") else href
                shown = re.sub(r"\D", "", number) in re.sub(r"\D", "", label) if number[:1] in "+0123456789" \
                    else number in label
                lines.append(f"{label} ({number})" if number and not shown else label)
        return [line for line in lines if line]
    if custom.get("type") == "contact_card":
        parts = [custom.get("center"), custom.get("phone_display") or custom.get("phone"),
                 f"open {custom['hours']}" if custom.get("hours") else "", custom.get("address")]
        return [str(part) for part in parts if part]
    return [str(value) for key, value in custom.items()
            if key != "type" and isinstance(value, (str, int, float)) and str(value).strip()][:6]


def in_visitor_order(entries: List[TranscriptEntry]) -> List[TranscriptEntry]:
    """The transcript in the order the visitor saw it.

    Rasa stores the session-start notice before the visitor's first message (the session
    starts when that message arrives), but the visitor receives it after their message,
    and after a crisis reply: the Rasa-side safety net holds the notice back until the
    first reply that is not part of the crisis reply (channels/safety_net.py). Thumbs
    (the `answer_feedback` slot) go on the answer they rate, and each visitor message
    gets the language the bot set for it.
    """
    ordered: List[TranscriptEntry] = []
    held: List[TranscriptEntry] = []  # notice of a session start, before its first message
    pending: List[TranscriptEntry] = []  # notice to place in the current turn
    starting = False
    current_user: Optional[TranscriptEntry] = None
    for entry in entries:
        if entry.kind == "action" and entry.action == SESSION_START_ACTION:
            starting = True
        elif starting and entry.kind == "bot":
            entry.session_start = True
            held.append(entry)
            continue
        elif entry.kind == "user":
            ordered.extend(pending)
            pending, held, starting = held, [], False
            current_user = entry
        elif entry.kind == "bot" and pending and not is_crisis_action(entry.action):
            ordered.extend(pending)
            pending = []
        elif entry.kind == "slot":
            _apply_slot(entry, ordered + pending, current_user)
        ordered.append(entry)
    return ordered + pending + held


def _apply_slot(entry: TranscriptEntry, shown: List[TranscriptEntry], current_user) -> None:
    try:
        value = json.loads(entry.slot_value) if entry.slot_value else None
    except ValueError:
        value = None
    if entry.slot == LANGUAGE_SLOT and current_user is not None and language_of(value):
        current_user.language = language_of(value)
    elif entry.slot == FEEDBACK_SLOT and feedback_of(value):
        rated = feedback_of(value)
        bots = [e for e in shown if e.kind == "bot"]
        # The rated answer is the latest one with the rated text; without one, the rating
        # shows as a line of its own with the text it quotes.
        target = next((e for e in reversed(bots) if rated["text"] and e.text.strip() == rated["text"].strip()),
                      entry)
        target.feedback = rated["rating"]
        if target is entry:
            entry.text = rated["text"]


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
