"""Create the 'reviewer' and 'admin' groups with their permissions."""
from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import apply_roles_in_migration

    apply_roles_in_migration(apps, schema_editor)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["reviewer", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("conversations", "0001_initial"),
        ("handoffs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
