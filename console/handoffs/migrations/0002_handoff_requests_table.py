"""`handoff_requests` becomes a managed table with the work-queue and language columns.

Before, the action server created the table (SQLAlchemy `create_all`) and the console only
mapped it. This migration creates the table where it is missing, or adopts the existing
one and adds each column it lacks, so both a fresh database and a running system end up
with the table of handoffs.models.HandoffRequest.
"""
from django.db import migrations, models

TABLE = "handoff_requests"


def _columns(connection) -> set:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, TABLE)}


def create_or_adopt(apps, schema_editor):
    model = apps.get_model("handoffs", "HandoffRequest")
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        schema_editor.create_model(model)
        return
    present = _columns(connection)
    quote = schema_editor.quote_name
    for field in model._meta.local_fields:
        if field.column in present:
            continue
        # A plain ADD COLUMN with the column's definition: Django's SQLite add_field would rebuild
        # the table from the whole model, copying columns the old table does not have yet.
        definition, params = schema_editor.column_sql(model, field)
        # SQLite cannot add a UNIQUE column: add it plain, then a unique index.
        definition = definition.replace(" UNIQUE", "")
        schema_editor.execute(f"ALTER TABLE {quote(TABLE)} ADD COLUMN {quote(field.column)} {definition}",
                              params or None)
        if field.unique:
            index = quote(f"ix_{TABLE}_{field.column}")
            schema_editor.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {quote(TABLE)} ({quote(field.column)})")


class Migration(migrations.Migration):

    dependencies = [("handoffs", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterModelOptions(
                name="handoffrequest",
                options={"ordering": ["created_at", "id"], "verbose_name": "hand-off request"},
            ),
            migrations.AlterField(
                model_name="handoffrequest", name="conversation_id",
                field=models.CharField(db_index=True, max_length=255),
            ),
            migrations.AlterField(
                model_name="handoffrequest", name="created_at",
                field=models.DateTimeField(db_index=True, verbose_name="requested at"),
            ),
            migrations.AlterField(
                model_name="handoffrequest", name="status",
                field=models.CharField(choices=[("new", "New"), ("contacted", "Contacted"), ("closed", "Closed")],
                                       db_default="new", default="new", max_length=20),
            ),
            migrations.AddField(
                model_name="handoffrequest", name="language",
                field=models.CharField(choices=[("en", "English"), ("es", "Spanish")], db_default="en",
                                       default="en", max_length=8),
            ),
            migrations.AddField(
                model_name="handoffrequest", name="assignee",
                field=models.CharField(blank=True, help_text="staff member calling back", max_length=150,
                                       null=True),
            ),
            migrations.AddField(model_name="handoffrequest", name="notes",
                                field=models.TextField(blank=True, null=True)),
            migrations.AddField(
                model_name="handoffrequest", name="outcome",
                field=models.CharField(blank=True, choices=[("reached", "Reached"), ("no_answer", "No answer"),
                                                            ("wrong_number", "Wrong number"),
                                                            ("declined", "Declined")],
                                       max_length=20, null=True),
            ),
            migrations.AddField(model_name="handoffrequest", name="alert_status",
                                field=models.CharField(db_default="pending", default="pending", max_length=20)),
            migrations.AddField(model_name="handoffrequest", name="alert_attempts",
                                field=models.IntegerField(db_default=0, default=0)),
            migrations.AddField(model_name="handoffrequest", name="reference",
                                field=models.CharField(blank=True, max_length=16, null=True, unique=True)),
        ]),
        # The options above drop managed=False; RunPython then sees the model it creates or completes.
        migrations.RunPython(create_or_adopt, migrations.RunPython.noop),
    ]
