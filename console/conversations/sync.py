"""Fold new rows of Rasa's `events` table into the Conversation summary table.

Incremental by an event-id watermark. Rows from concurrent writers can commit out of id
order, so each run re-reads a small window below the watermark and each conversation
remembers the last event it folded (one sender's events are written in order by Rasa).

The fold runs beside a busy bot: in batches of `SYNC_BATCH_EVENTS` events, each in its
own short transaction. On SQLite that transaction takes the write lock when it begins
(settings: transaction_mode IMMEDIATE), so it waits its turn behind Rasa's writes instead
of failing; on PostgreSQL an advisory lock keeps two folders (the background process and
a command run by hand) from folding the same batch at once. Page views never fold: the
list reads the summary and says how fresh it is (`freshness`).
"""
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import events as ev
from .models import Conversation, ConversationTopic, SyncState, UnhelpedMessage, Vocabulary

logger = logging.getLogger(__name__)

EVENTS_WATERMARK = "events"
HANDOFF_WATERMARK = "handoff_requests"
REREAD_WINDOW = 1000
SEARCH_TEXT_LIMIT = 20000
TOPICS_LIMIT = 500
FIRST_MESSAGE_LIMIT = 200
UNHELPED_TEXT_LIMIT = 200
# Any constant: the PostgreSQL advisory lock that one folder holds per batch.
FOLD_LOCK_KEY = 2207_1701


def _watermark(key: str) -> int:
    state = SyncState.objects.filter(key=key).first()
    return state.value if state else 0


def _set_watermark(key: str, value: int) -> None:
    SyncState.objects.update_or_create(key=key, defaults={"value": value, "updated_at": timezone.now()})


def _add_to_list(current: str, name: str) -> str:
    """"|a|b|" list membership, kept as text so a LIKE '%|name|%' filters it."""
    if not name or f"|{name}|" in current:
        return current
    return (current or "|") + f"{name}|"


def _fold_lock() -> None:
    """Inside a transaction: one folder at a time (SQLite's IMMEDIATE transaction already is one)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK_KEY])


class _Fold:
    """Accumulates one batch's changes to conversations, vocabulary and unhelped messages."""

    def __init__(self):
        self.vocabulary = set()
        self.unhelped = []  # (sender_id, event_id, at, text)
        self.topics = []  # (sender_id, name)

    def apply(self, conv: Conversation, row) -> None:
        event_id, _sender, type_name, timestamp, intent_name, action_name, data_text = row
        at = ev.to_datetime(timestamp)
        if at is not None:
            if conv.started_at is None or at < conv.started_at:
                conv.started_at = at
                conv.started_day = timezone.localtime(at).date()  # the center's day
            if conv.last_activity is None or at > conv.last_activity:
                conv.last_activity = at
        conv.last_event_id = max(conv.last_event_id or 0, event_id)

        if type_name == "user":
            self._user(conv, event_id, at, intent_name, ev.load_json(data_text))
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
            self._slot(conv, ev.load_json(data_text))
        elif type_name == "active_loop":
            conv.handoff |= ev.load_json(data_text).get("name") in ev.HANDOFF_NAMES

    def _user(self, conv: Conversation, event_id: int, at, intent_name, data: dict) -> None:
        intent = (data.get("parse_data") or {}).get("intent") or {}
        name = intent_name or intent.get("name") or ""
        raw_text = str(data.get("text") or "")
        if conv.turns == 0 and raw_text:
            conv.first_message = " ".join(raw_text.split())[:FIRST_MESSAGE_LIMIT]
        conv.turns += 1
        if not conv.channel:
            conv.channel = ev.channel_of(conv.sender_id, data)
        confidence = intent.get("confidence")
        if isinstance(confidence, (int, float)) and (conv.min_confidence is None or confidence < conv.min_confidence):
            conv.min_confidence = float(confidence)
        self._intent(conv, name)
        text = raw_text.lower()
        if text and len(conv.search_text) < SEARCH_TEXT_LIMIT:
            conv.search_text = (conv.search_text + "\n" + text)[:SEARCH_TEXT_LIMIT].lstrip("\n")
        if name in ev.FALLBACK_INTENTS and text.strip() and at is not None:
            self.unhelped.append((conv.sender_id, event_id, at, " ".join(text.split())[:UNHELPED_TEXT_LIMIT]))

    def _slot(self, conv: Conversation, data: dict) -> None:
        name = str(data.get("name") or "")
        value = data.get("value")
        if not name or value is None:
            return
        conv.slots = _add_to_list(conv.slots, name)
        self.vocabulary.add((Vocabulary.SLOT, name))
        if name == ev.LANGUAGE_SLOT and ev.language_of(value):
            conv.language = ev.language_of(value)
        elif name == ev.CONTACT_SHARED_SLOT and value is True:
            conv.contact_shared = True
        elif name == ev.FEEDBACK_SLOT and (ev.feedback_of(value) or {}).get("rating") == "down":
            conv.disliked_answer = True

    def _intent(self, conv: Conversation, name: str) -> None:
        if not name:
            return
        conv.intents = _add_to_list(conv.intents, name)
        self.vocabulary.add((Vocabulary.INTENT, name))
        if name not in ev.SMALL_TALK_INTENTS and name not in conv.topics.split(", "):
            topics = f"{conv.topics}, {name}" if conv.topics else name
            if len(topics) <= TOPICS_LIMIT:
                conv.topics = topics
            self.topics.append((conv.sender_id, name))
        conv.crisis |= ev.is_crisis_intent(name)
        conv.fallback |= name in ev.FALLBACK_INTENTS
        conv.handoff |= name in ev.HANDOFF_NAMES


SUMMARY_FIELDS = [
    "channel", "started_at", "started_day", "last_activity", "turns", "topics", "intents", "actions", "slots",
    "min_confidence", "crisis", "fallback", "handoff", "contact_shared", "disliked_answer", "language",
    "first_message", "search_text", "last_event_id",
]


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
        Conversation.objects.bulk_update(updated, SUMMARY_FIELDS, batch_size=500)
    if fold.vocabulary:
        Vocabulary.objects.bulk_create(
            [Vocabulary(kind=kind, name=name[:255]) for kind, name in fold.vocabulary], ignore_conflicts=True
        )
    if fold.unhelped or fold.topics:
        _save_rows_of(fold, {c.sender_id: c for c in created + updated})


def _save_rows_of(fold: _Fold, folded: Dict[str, Conversation]) -> None:
    """The dashboard's per-topic and per-unhelped-message rows of the conversations just folded."""
    senders = sorted({sender for sender, *_ in fold.unhelped} | {sender for sender, _ in fold.topics})
    ids = {}
    for part in _chunks(senders):
        ids.update(Conversation.objects.filter(sender_id__in=part).values_list("sender_id", "pk"))
    ConversationTopic.objects.bulk_create(
        [ConversationTopic(conversation_id=ids[sender], day=folded[sender].started_day, name=name[:255])
         for sender, name in fold.topics if sender in ids and sender in folded],
        ignore_conflicts=True, batch_size=500,
    )
    if fold.unhelped:
        UnhelpedMessage.objects.bulk_create(
            [UnhelpedMessage(conversation_id=ids[sender], event_id=event_id, at=at, text=text)
             for sender, event_id, at, text in fold.unhelped if sender in ids],
            ignore_conflicts=True, batch_size=500,
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


def sync_conversations(max_events: Optional[int] = None, batch_size: Optional[int] = None) -> int:
    """Fold events newer than the watermark, one short transaction per batch; returns how many
    event rows were read."""
    if not ev.table_exists("events"):
        return 0
    batch_size = batch_size or settings.SYNC_BATCH_EVENTS
    read = 0
    start_after = max(0, _watermark(EVENTS_WATERMARK) - REREAD_WINDOW)
    while max_events is None or read < max_events:
        limit = batch_size if max_events is None else min(batch_size, max_events - read)
        with transaction.atomic():
            _fold_lock()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {ev.EVENT_COLUMNS} FROM {ev.events_table()} WHERE id > %s ORDER BY id LIMIT %s",
                    [start_after, limit],
                )
                rows = cursor.fetchall()
            if rows:
                _fold_rows(rows)
                start_after = rows[-1][0]
                if start_after > _watermark(EVENTS_WATERMARK):
                    _set_watermark(EVENTS_WATERMARK, start_after)
        read += len(rows)
        if len(rows) < limit:
            break
    with transaction.atomic():
        _fold_lock()
        _sync_handoff_rows()
        # Also when nothing was new: "updated" means "checked", which is what the list reports.
        SyncState.objects.update_or_create(key=EVENTS_WATERMARK, defaults={"updated_at": timezone.now()})
    return read


def sync_forever(interval: float, stop=lambda: False, sleep=time.sleep) -> None:
    """The background fold (`sync_conversations --every N`): a pass every `interval` seconds.
    A failed pass (the database restarting, a lock held past the busy timeout) is logged and
    retried on the next one; nothing is lost, as the watermark only moves on commit."""
    while not stop():
        try:
            sync_conversations()
        except DatabaseError as error:
            logger.warning("conversation summary fold failed, retrying in %ss: %s", interval, type(error).__name__)
        finally:
            if not connection.in_atomic_block:
                connection.close()  # no connection (or SQLite read snapshot) held between passes
        sleep(interval)


@dataclass(frozen=True)
class Freshness:
    updated_at: Optional[dt.datetime]
    pending_events: int  # event rows newer than the watermark: the summary's backlog

    @property
    def behind(self) -> bool:
        return self.pending_events > 0


def freshness() -> Freshness:
    """How up to date the summary is: two indexed reads, no write."""
    state = SyncState.objects.filter(key=EVENTS_WATERMARK).first()
    newest = 0
    if ev.table_exists("events"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {ev.events_table()}")
            newest = cursor.fetchone()[0] or 0
    watermark = state.value if state else 0
    return Freshness(updated_at=state.updated_at if state else None, pending_events=max(0, newest - watermark))
