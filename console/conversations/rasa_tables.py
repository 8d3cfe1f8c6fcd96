"""Create Rasa's `events` table (and `handoff_requests`, should it be missing) for the seeding
command and tests on an empty database.

In a running system Rasa creates `events`, and the console's migrations create
`handoff_requests` (tests drop it to let the action server make its own). An existing
table is never touched.
"""
from django.db import connection

from handoffs.models import HandoffRequest

from .models import RasaEvent


def ensure_rasa_tables() -> None:
    existing = set(connection.introspection.table_names())
    missing = [model for model in (RasaEvent, HandoffRequest) if model._meta.db_table not in existing]
    if missing:
        with connection.schema_editor() as editor:
            for model in missing:
                editor.create_model(model)
    if RasaEvent in missing:
        # Django skips indexes of unmanaged models; Rasa's SQLEvent has this one (transcripts use it).
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")
