"""The staff alert is claimed by one process at a time and remembers which targets have it.

The action server may have added these columns already (store.py's create_all on a fresh
database, or its late-column step on an old one), so the columns are added only where
missing, the same way 0002 adopts the table.
"""
from importlib import import_module

from django.db import migrations, models

adopt = import_module("handoffs.migrations.0002_handoff_requests_table").create_or_adopt


class Migration(migrations.Migration):

    dependencies = [("handoffs", "0002_handoff_requests_table")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AddField(model_name="handoffrequest", name="alert_claimed_at",
                                field=models.DateTimeField(blank=True, null=True)),
            migrations.AddField(model_name="handoffrequest", name="alert_delivered",
                                field=models.CharField(blank=True, max_length=64, null=True)),
        ]),
        migrations.RunPython(adopt, migrations.RunPython.noop),
    ]
