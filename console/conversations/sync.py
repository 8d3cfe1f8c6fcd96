"""Fold new rows of Rasa's `events` table into the Conversation summary table.

Incremental by an event-id watermark. Rows from concurrent writers can commit out of id
order, so each pass re-reads a small window below the watermark and each conversation
remembers the last event it folded (one sender's events are written in order by Rasa).
"""
from typing import Dict, Iterable, List, Optional

from django.db import connection, transaction

from . import events as ev
from .models import Conversation, SyncState, Vocabulary

EVENTS_WATERMARK = "events"
HANDOFF_WATERMARK = "handoff_requests"
REREAD_WINDOW = 1000
SEARCH_TEXT_LIMIT = 20000
TOPICS_LIMIT = 500


def _watermark(key: str) -> int:
    state = SyncState.objects.filter(key=key).first()
    return state.value if state else 0


def _set_watermark(key: str, value: int) -> None:
    SyncState.objects.update_or_create(key=key, defaults={"value": value})


def _add_to_list(current: str, name: str) -> str:
    """"|a|b|" list membership, kept as text so a LIKE '%|name|%' filters it."""
    if not name or f"|{name}|" in current:
        return current
    return (current or "|") + f"{name}|"


class _Fold:
    """Accumulates one batch's changes to conversations and vocabulary."""

    def __init__(self):
        self.vocabulary = set()

    def apply(self, conv: Conversation, row) -> None:
        event_id, _sender, type_name, timestamp, intent_name, action_name, data_text = row
        at = ev.to_datetime(timestamp)
        if at is not None:
            if conv.started_at is None or at < conv.started_at:
                conv.started_at = at
            if conv.last_activity is None or at > conv.last_activity:
                conv.last_activity = at
        conv.last_event_id = max(conv.last_event_id or 0, event_id)

        if type_name == "user":
            data = ev.load_json(data_text)
            intent = (data.get("parse_data") or {}).get("intent") or {}
            name = intent_name or intent.get("name") or ""
            conv.turns += 1
            if not conv.channel:
                conv.channel = ev.channel_of(conv.sender_id, data)
            confidence = intent.get("confidence")
            if isinstance(confidence, (int, float)) and (conv.min_confidence is None or confidence < conv.min_confidence):
                conv.min_confidence = float(confidence)
            self._intent(conv, name)
            text = str(data.get("text") or "").lower()
            if text and len(conv.search_text) < SEARCH_TEXT_LIMIT:
                conv.search_text = (conv.search_text + "\n" + text)[:SEARCH_TEXT_LIMIT].lstrip("\n")
        elif type_name == "action":
            name = action_name or ev.load_json(data_text).get("name") or ""
            if name and name not in ev.LISTEN_ACTIONS:
                conv.actions = _add_to_list(conv.actions, name)
                self.vocabulary.add((Vocabulary.ACTION, name))
            conv.crisis |= ev.is_crisis_action(name)
            conv.fallback |= name in ev.FALLBACK_ACTIONS
            conv.handoff |= name in ev.HANDOFF_NAMES
        elif type_name == "bot":
            utter = (ev.load_json(data_text).get("metadata") or {}).get("utter_action")
            conv.crisis |= ev.is_crisis_action(utter)
        elif type_name == "slot":
            data = ev.load_json(data_text)
            name = str(data.get("name") or "")
            if name and data.get("value") is not None:
                conv.slots = _add_to_list(conv.slots, name)
                self.vocabulary.add((Vocabulary.SLOT, name))
        elif type_name == "active_loop":
            conv.handoff |= ev.load_json(data_text).get("name") in ev.HANDOFF_NAMES

    def _intent(self, conv: Conversation, name: str) -> None:
        if not name:
            return
        conv.intents = _add_to_list(conv.intents, name)
        self.vocabulary.add((Vocabulary.INTENT, name))
        if name not in ev.SMALL_TALK_INTENTS and name not in conv.topics.split(", "):
            topics = f"{conv.topics}, {name}" if conv.topics else name
            if len(topics) <= TOPICS_LIMIT:
                conv.topics = topics
        conv.crisis |= ev.is_crisis_intent(name)
        conv.fallback |= name in ev.FALLBACK_INTENTS
        conv.handoff |= name in ev.HANDOFF_NAMES


def _chunks(items: List, size: int = 500) -> Iterable[List]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _fold_rows(rows) -> None:
    fold = _Fold()
    by_sender: Dict[str, list] = {}
    for row in rows:
        by_sender.setdefault(row[1], []).append(row)
    existing: Dict[str, Conversation] = {}
    for part in _chunks(list(by_sender)):
        existing.update({c.sender_id: c for c in Conversation.objects.filter(sender_id__in=part)})
    created, updated = [], []
    for sender, sender_rows in by_sender.items():
        conv = existing.get(sender)
        is_new = conv is None
        if is_new:
            conv = Conversation(sender_id=sender, channel=ev.channel_of(sender), started_at=None, last_activity=None)
        folded_upto = conv.last_event_id or 0
        fresh = [row for row in sender_rows if row[0] > folded_upto]
        if not fresh:
            continue
        for row in fresh:
            fold.apply(conv, row)
        if conv.started_at is None:  # events without timestamps: never seen from Rasa, but stay valid
            continue
        (created if is_new else updated).append(conv)
    if created:
        Conversation.objects.bulk_create(created, batch_size=500)
        _mark_handoffs_for([c.sender_id for c in created])
    if updated:
        Conversation.objects.bulk_update(
            updated,
            ["channel", "started_at", "last_activity", "turns", "topics", "intents", "actions", "slots",
             "min_confidence", "crisis", "fallback", "handoff", "search_text", "last_event_id"],
            batch_size=500,
        )
    if fold.vocabulary:
        Vocabulary.objects.bulk_create(
            [Vocabulary(kind=kind, name=name[:255]) for kind, name in fold.vocabulary], ignore_conflicts=True
        )


def _mark_handoffs_for(sender_ids: List[str]) -> None:
    """Conversations created after their hand-off row was already seen."""
    if not ev.table_exists("handoff_requests"):
        return
    for part in _chunks(sender_ids):
        placeholders = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT conversation_id FROM handoff_requests WHERE conversation_id IN ({placeholders})",
                part,
            )
            with_handoff = [row[0] for row in cursor.fetchall()]
        if with_handoff:
            Conversation.objects.filter(sender_id__in=with_handoff).update(handoff=True)


def _sync_handoff_rows() -> None:
    if not ev.table_exists("handoff_requests"):
        return
    since = _watermark(HANDOFF_WATERMARK)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, conversation_id FROM handoff_requests WHERE id > %s ORDER BY id", [since])
        rows = cursor.fetchall()
    if not rows:
        return
    for part in _chunks(sorted({row[1] for row in rows if row[1]})):
        Conversation.objects.filter(sender_id__in=part).update(handoff=True)
    _set_watermark(HANDOFF_WATERMARK, max(row[0] for row in rows))


def sync_conversations(max_events: Optional[int] = None, batch_size: int = 5000) -> int:
    """Fold events newer than the watermark; returns how many event rows were read."""
    if not ev.table_exists("events"):
        return 0
    read = 0
    watermark = _watermark(EVENTS_WATERMARK)
    start_after = max(0, watermark - REREAD_WINDOW)
    while max_events is None or read < max_events:
        limit = batch_size if max_events is None else min(batch_size, max_events - read)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {ev.EVENT_COLUMNS} FROM {ev.events_table()} WHERE id > %s ORDER BY id LIMIT %s",
                [start_after, limit],
            )
            rows = cursor.fetchall()
        if not rows:
            break
        with transaction.atomic():
            _fold_rows(rows)
            start_after = rows[-1][0]
            if start_after > watermark:
                watermark = start_after
                _set_watermark(EVENTS_WATERMARK, watermark)
        read += len(rows)
        if len(rows) < limit:
            break
    with transaction.atomic():
        _sync_handoff_rows()
    return read
