"""CSV / JSON export of conversations, redacted unless raw text is explicitly asked for."""
import csv
import io
import json
from typing import Dict, Iterable, Iterator, List, Set

from django.db import connection

from . import events as ev
from .redaction import NAME_ENTITY_TYPES, redact

NAME_SLOTS = {"first_name", "name", "last_name", "person_name"}
CSV_COLUMNS = ["conversation_id", "channel", "event_id", "timestamp", "type", "intent", "confidence", "action", "text"]


def _handoff_names(sender_ids: List[str]) -> Dict[str, Set[str]]:
    names: Dict[str, Set[str]] = {}
    if not sender_ids or not ev.table_exists("handoff_requests"):
        return names
    placeholders = ", ".join(["%s"] * len(sender_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT conversation_id, first_name FROM handoff_requests WHERE conversation_id IN ({placeholders})",
            sender_ids,
        )
        for sender, first_name in cursor.fetchall():
            if first_name:
                names.setdefault(sender, set()).add(first_name)
    return names


def _names_in(entries: List[ev.TranscriptEntry]) -> Set[str]:
    names = set()
    for entry in entries:
        names.update(e["value"] for e in entry.entities if e["entity"] in NAME_ENTITY_TYPES)
        if entry.kind == "slot" and entry.slot in NAME_SLOTS and entry.slot_value:
            names.add(entry.slot_value.strip('"'))
    return names


def _conversation_messages(conversations, raw: bool, chunk: int = 200) -> Iterator[tuple]:
    """Yield (conversation, [message dicts]) with text redacted unless `raw`."""
    conversations = list(conversations)
    for start in range(0, len(conversations), chunk):
        part = conversations[start:start + chunk]
        by_sender = {c.sender_id: c for c in part}
        handoff_names = _handoff_names(list(by_sender)) if not raw else {}
        for sender, entries in ev.transcripts(list(by_sender)):
            known = _names_in(entries) | handoff_names.get(sender, set())
            messages = []
            for entry in entries:
                if entry.kind not in ("user", "bot", "action"):
                    continue  # slot values are contact details: not exported
                item = entry.as_dict()
                if not raw:
                    item["text"] = redact(item["text"], known)
                messages.append(item)
            yield by_sender[sender], messages


def export_csv(conversations: Iterable, raw: bool) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for conv, messages in _conversation_messages(conversations, raw):
        for m in messages:
            writer.writerow([
                conv.sender_id, conv.channel, m["event_id"], m["timestamp"], m["type"], m["intent"],
                "" if m["confidence"] is None else m["confidence"], m["action"], _csv_safe(m["text"]),
            ])
        yield flush()


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: keep user text inert."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_json(conversations: Iterable, raw: bool) -> Iterator[str]:
    yield '{"redacted": %s, "conversations": [' % ("false" if raw else "true")
    first = True
    for conv, messages in _conversation_messages(conversations, raw):
        item = {
            "conversation_id": conv.sender_id,
            "channel": conv.channel,
            "language": conv.language,
            "started": conv.started_at.isoformat(),
            "last_activity": conv.last_activity.isoformat(),
            "turns": conv.turns,
            "topics": [t for t in conv.topics.split(", ") if t],
            "flags": {
                "crisis": conv.crisis, "fallback": conv.fallback,
                "low_confidence": conv.low_confidence, "handoff": conv.handoff,
                "contact_shared": conv.contact_shared, "disliked_answer": conv.disliked_answer,
            },
            "review_status": conv.review_status,
            "messages": messages,
        }
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}"
