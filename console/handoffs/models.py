from django.conf import settings
from django.db import models


class HandoffRequest(models.Model):
    """A request for a specialist call, written by the action server into `handoff_requests`.

    Unmanaged: the action server owns the table. The console only updates status and
    status_changed_at / status_changed_by.
    """

    NEW, CONTACTED, CLOSED = "new", "contacted", "closed"
    STATUSES = [(NEW, "New"), (CONTACTED, "Contacted"), (CLOSED, "Closed")]
    # Status only moves forward: new -> contacted -> closed.
    NEXT_STATUS = {NEW: CONTACTED, CONTACTED: CLOSED}

    id = models.AutoField(primary_key=True)
    request_key = models.CharField(max_length=64, unique=True)
    conversation_id = models.CharField(max_length=255)
    channel = models.CharField(max_length=64)
    first_name = models.CharField(max_length=100, null=True, blank=True)
    contact_kind = models.CharField(max_length=10, choices=[("phone", "Phone"), ("email", "Email")])
    contact = models.CharField(max_length=255)
    best_time = models.CharField(max_length=255)
    for_whom = models.CharField(max_length=20, choices=[("self", "Self"), ("loved_one", "A loved one")])
    consent = models.BooleanField()
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField("requested at")
    status = models.CharField(max_length=20, choices=STATUSES, default=NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.CharField(max_length=150, null=True, blank=True)

    class Meta:
        managed = False
        db_table = "handoff_requests"
        ordering = ["-created_at", "-id"]
        verbose_name = "hand-off request"

    def __str__(self) -> str:
        return f"Hand-off #{self.pk} ({self.get_status_display()})"

    def allowed_statuses(self) -> list:
        nxt = self.NEXT_STATUS.get(self.status)
        return [self.status] + ([nxt] if nxt else [])


class HandoffStatusChange(models.Model):
    """History of status changes (the request row only keeps the latest)."""

    # A plain id, not a foreign key: the console must not put constraints on the action server's table.
    request_id = models.IntegerField(db_index=True)
    old_status = models.CharField(max_length=20)
    new_status = models.CharField(max_length=20)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_by_name = models.CharField(max_length=150)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "hand-off status change"

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.old_status} -> {self.new_status}"
