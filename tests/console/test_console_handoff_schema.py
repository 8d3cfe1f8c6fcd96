"""`handoff_requests` has one definition: the console's Django model and its migrations.
The action server's SQLAlchemy table (actions/handoff/store.py) must mirror it exactly."""
import datetime as dt
import uuid

import sqlalchemy as sa
from django.apps import apps
from django.db import connection, models

from actions.handoff import store
from handoffs.models import HandoffRequest

from console_support import sqlalchemy_url

SQLALCHEMY_TYPES = {
    models.AutoField: sa.Integer, models.IntegerField: sa.Integer, models.CharField: sa.String,
    models.TextField: sa.Text, models.BooleanField: sa.Boolean, models.DateTimeField: sa.DateTime,
}


def _django_fields():
    return {field.column: field for field in HandoffRequest._meta.concrete_fields}


def test_store_mirrors_the_django_model_column_by_column():
    django_fields, columns = _django_fields(), {c.name: c for c in store.handoff_requests.columns}
    assert set(columns) == set(django_fields)
    for name, field in django_fields.items():
        column = columns[name]
        expected_type = next(t for kind, t in SQLALCHEMY_TYPES.items() if type(field) is kind)
        assert type(column.type) is expected_type or isinstance(column.type, expected_type), name
        assert column.nullable == (field.null and not field.primary_key), name
        assert column.primary_key == field.primary_key, name
        if isinstance(field, models.CharField):
            assert column.type.length == field.max_length, name
        if isinstance(field, models.DateTimeField):
            assert column.type.timezone, f"{name}: Django stores times with a zone"
        if field.db_default is not models.NOT_PROVIDED:
            default = getattr(field.db_default, "value", field.db_default)
            assert column.server_default is not None and str(column.server_default.arg) == str(default), name
        else:
            assert column.server_default is None, name
        assert bool(column.unique) == field.unique or field.primary_key, name


def test_language_and_work_queue_columns_exist():
    names = set(_django_fields())
    assert {"language", "assignee", "notes", "outcome"} <= names
    assert dict(HandoffRequest.OUTCOMES) == {"reached": "Reached", "no_answer": "No answer",
                                             "wrong_number": "Wrong number", "declined": "Declined"}
    language = HandoffRequest._meta.get_field("language").db_default
    assert getattr(language, "value", language) == "en"


def test_migration_adopts_a_table_the_action_server_made_before(transactional_db):
    """A running system has the old table (created by store.py's create_all): the migration
    adds the new columns and keeps the rows."""
    from importlib import import_module

    migration = import_module("handoffs.migrations.0002_handoff_requests_table")
    old = sa.MetaData()
    old_table = sa.Table(
        "handoff_requests", old,
        *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, unique=c.unique,
                    server_default=c.server_default.arg if c.server_default is not None else None)
          for c in store.handoff_requests.columns
          if c.name not in ("language", "assignee", "notes", "outcome")],
    )
    engine = sa.create_engine(sqlalchemy_url(), future=True)
    try:
        with connection.schema_editor() as editor:
            editor.delete_model(HandoffRequest)
        old.create_all(engine)
        now = dt.datetime.now(dt.timezone.utc)
        with engine.begin() as sa_connection:
            sa_connection.execute(old_table.insert().values(
                request_key="old-1", conversation_id="web-old", channel="socketio", first_name="Ann",
                contact_kind="phone", contact="+15550101234", best_time="mornings", for_whom="self",
                consent=True, consent_at=now, created_at=now, status="new", alert_status="sent",
                alert_attempts=1))
        with connection.schema_editor() as editor:
            migration.create_or_adopt(apps, editor)
        with connection.cursor() as cursor:
            present = {c.name for c in connection.introspection.get_table_description(cursor, "handoff_requests")}
        assert set(_django_fields()) <= present
        kept = HandoffRequest.objects.get(request_key="old-1")
        assert (kept.first_name, kept.language, kept.assignee, kept.outcome) == ("Ann", "en", None, None)
    finally:
        engine.dispose()
        with connection.schema_editor() as editor:
            editor.delete_model(HandoffRequest)
            editor.create_model(HandoffRequest)


def test_the_action_server_records_the_visitors_language(transactional_db):
    request = store.HandoffRequest(
        conversation_id=f"web-es-{uuid.uuid4().hex[:6]}", channel="socketio", first_name="Lucia",
        contact_kind="phone", contact="+15550102222", best_time="por la tarde", for_whom="self",
        consent_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), language="es")
    request_id, created = store.save_request(request, request.key("turn-1"), url=sqlalchemy_url())
    assert created
    saved = HandoffRequest.objects.get(pk=request_id)
    assert saved.language == "es" and saved.status == "new" and saved.alert_status == "pending"
    assert abs((saved.created_at - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 120
    default = store.HandoffRequest(
        conversation_id="web-en", channel="rest", first_name="", contact_kind="email", contact="a@example.org",
        best_time="any time", for_whom="loved_one", consent_at=dt.datetime.now(dt.timezone.utc))
    default_id, _ = store.save_request(default, default.key("turn-1"), url=sqlalchemy_url())
    assert HandoffRequest.objects.get(pk=default_id).language == "en"
    store.engine_for(sqlalchemy_url()).dispose()
