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
]

ROLE_PERMISSIONS = {REVIEWER: REVIEWER_PERMISSIONS, ADMIN: ADMIN_PERMISSIONS}


def apply_roles(group_model, permission_model) -> None:
    """Create or update the role groups (used by the data migration and tests)."""
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set([
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ])
