"""Console admins may see login lockouts (django-axes) and lift them."""
from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import apply_roles_in_migration

    apply_roles_in_migration(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
