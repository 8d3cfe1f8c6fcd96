from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who looked at or changed sensitive records. Holds ids and choices, never message text."""

    VIEW_TRANSCRIPT = "view_transcript"
    VIEW_HANDOFF = "view_handoff"
    EXPORT = "export"
    HANDOFF_STATUS = "handoff_status"
    RETENTION = "retention"
    ACTIONS = [
        (VIEW_TRANSCRIPT, "Viewed transcript"),
        (VIEW_HANDOFF, "Viewed hand-off request"),
        (EXPORT, "Exported conversations"),
        (HANDOFF_STATUS, "Changed hand-off status"),
        (RETENTION, "Retention purge"),
    ]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the trail survives the user account being deleted.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=32, choices=ACTIONS, db_index=True)
    target = models.CharField(max_length=255, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"


def record(actor, action: str, target: str = "", **detail) -> AuditEntry:
    """Write one audit entry; `actor` is a user or a system name such as 'retention'."""
    user = actor if getattr(actor, "pk", None) else None
    name = actor.get_username() if user else str(actor)
    return AuditEntry.objects.create(actor=user, actor_name=name, action=action, target=str(target), detail=detail)
