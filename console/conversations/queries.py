"""The raw SQL the conversation pages run on Rasa's `events` table (besides the transcript reader
in events.py and the fold in sync.py)."""
from typing import Optional

from django.db import connection

from . import events as ev
from .models import Conversation


def user_event(event_id) -> Optional[dict]:
    """The user event with this id and its conversation, or None."""
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sender_id, id, type_name, timestamp, intent_name, action_name, data FROM {ev.events_table()} "
            "WHERE id = %s",
            [event_id],
        )
        row = cursor.fetchone()
    if row is None or row[2] != "user":
        return None
    conversation = Conversation.objects.filter(sender_id=row[0]).first()
    if conversation is None:
        return None
    return {"entry": ev.entry_from_row(*row[1:]), "conversation": conversation}


def message_language(sender_id: str, event_id: int) -> str:
    """The language the bot gave this user message: the `language` slot it set in the same turn
    (after the message, before the next one), else the one in force before it, else "en"."""
    table = ev.events_table()
    slot = ev.LANGUAGE_SLOT
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(id) FROM {table} WHERE sender_id = %s AND type_name = 'user' AND id > %s",
            [sender_id, event_id],
        )
        next_user = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT data FROM {table} WHERE sender_id = %s AND type_name = 'slot' AND id > %s"
            + (" AND id < %s" if next_user else "") + " ORDER BY id",
            [sender_id, event_id] + ([next_user] if next_user else []),
        )
        in_turn = [ev.load_json(row[0]) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT data FROM {table} WHERE sender_id = %s AND type_name = 'slot' AND id < %s ORDER BY id DESC",
            [sender_id, event_id],
        )
        before = [ev.load_json(row[0]) for row in cursor.fetchall()]
    for data in in_turn + before:
        if data.get("name") == slot and ev.language_of(data.get("value")):
            return ev.language_of(data.get("value"))
    return ev.DEFAULT_LANGUAGE
