"""The two staff roles and their permissions (applied by the data migration)."""

REVIEWER = "reviewer"
ADMIN = "admin"

REVIEWER_PERMISSIONS = [
    ("conversations", "view_conversation"),
    ("conversations", "change_conversation"),  # review status and tags
    ("conversations", "view_note"),
    ("conversations", "add_note"),
    ("conversations", "view_correction"),
    ("conversations", "add_correction"),
    ("conversations", "change_correction"),
    ("conversations", "view_tag"),
    ("conversations", "add_tag"),
    ("handoffs", "view_handoffrequest"),
    ("handoffs", "change_handoffrequest"),  # status new -> contacted -> closed
    ("handoffs", "view_handoffstatuschange"),
]

ADMIN_PERMISSIONS = REVIEWER_PERMISSIONS + [
    ("conversations", "export_conversation"),
    ("conversations", "change_tag"),
    ("conversations", "delete_tag"),
    ("conversations", "delete_correction"),
    ("audit", "view_auditentry"),
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "delete_user"),
    ("auth", "view_group"),
    # Login lockouts (django-axes): see them, and delete one to lift it.
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
]

ROLE_PERMISSIONS = {REVIEWER: REVIEWER_PERMISSIONS, ADMIN: ADMIN_PERMISSIONS}


def apply_roles(group_model, permission_model, missing_ok: bool = False) -> None:
    """Create or update the role groups (used by the data migrations and tests).
    With `missing_ok`, permissions of apps not migrated yet are left out (a later
    migration adds them); without it, an unknown permission is an error."""
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for app_label, codename in wanted:
            found = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None and not missing_ok:
                raise permission_model.DoesNotExist(f"{app_label}.{codename}")
            permissions += [found] if found else []
        group.permissions.set(permissions)


def apply_roles_in_migration(apps, schema_editor) -> None:
    """RunPython step: the role groups with their permissions, at this point of the migrations."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    apply_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), missing_ok=True)
