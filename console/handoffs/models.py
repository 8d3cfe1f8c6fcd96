from django.conf import settings
from django.db import models


class HandoffRequest(models.Model):
    """A request for a specialist call: the one definition of the `handoff_requests` table.

    The action server writes new requests into it (actions/handoff/store.py holds a
    SQLAlchemy mirror of this model, checked column by column by
    tests/console/test_console_handoff_schema.py); the migrations here create it, or adopt
    a table the action server created first and add the columns it lacks. The console
    changes only the work-queue columns: status, assignee, notes, outcome.
    """

    NEW, CONTACTED, CLOSED = "new", "contacted", "closed"
    STATUSES = [(NEW, "New"), (CONTACTED, "Contacted"), (CLOSED, "Closed")]
    OPEN_STATUSES = (NEW, CONTACTED)
    # Status only moves forward: new -> contacted -> closed.
    NEXT_STATUS = {NEW: CONTACTED, CONTACTED: CLOSED}
    OUTCOMES = [("reached", "Reached"), ("no_answer", "No answer"), ("wrong_number", "Wrong number"),
                ("declined", "Declined")]
    LANGUAGES = [("en", "English"), ("es", "Spanish")]

    id = models.AutoField(primary_key=True)
    request_key = models.CharField(max_length=64, unique=True)
    conversation_id = models.CharField(max_length=255, db_index=True)
    channel = models.CharField(max_length=64)
    first_name = models.CharField(max_length=100, null=True, blank=True)
    contact_kind = models.CharField(max_length=10, choices=[("phone", "Phone"), ("email", "Email")])
    contact = models.CharField(max_length=255)
    best_time = models.CharField(max_length=255)
    for_whom = models.CharField(max_length=20, choices=[("self", "Self"), ("loved_one", "A loved one")])
    consent = models.BooleanField()
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField("requested at", db_index=True)
    # The visitor's language, so a Spanish-speaking specialist calls back.
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en", db_default="en")
    status = models.CharField(max_length=20, choices=STATUSES, default=NEW, db_default=NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.CharField(max_length=150, null=True, blank=True)
    # The work queue: who calls back, what they noted, and how it ended (set when closing).
    assignee = models.CharField(max_length=150, null=True, blank=True, help_text="staff member calling back")
    notes = models.TextField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOMES, null=True, blank=True)
    # Delivery of the staff alert (action server):
    # pending -> sending (claimed by one process) -> sent | failed (retried) | skipped.
    alert_status = models.CharField(max_length=20, default="pending", db_default="pending")
    alert_attempts = models.IntegerField(default=0, db_default=0)
    alert_claimed_at = models.DateTimeField(null=True, blank=True)
    # The targets that have the alert ("email,webhook"); a retry sends only to the others.
    alert_delivered = models.CharField(max_length=64, null=True, blank=True)
    # The short random reference the visitor was told (actions/handoff/reference.py);
    # empty for requests made before references existed.
    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)

    class Meta:
        db_table = "handoff_requests"
        ordering = ["created_at", "id"]
        verbose_name = "hand-off request"

    def __str__(self) -> str:
        return f"Hand-off #{self.reference or self.pk} ({self.get_status_display()})"

    def allowed_statuses(self) -> list:
        nxt = self.NEXT_STATUS.get(self.status)
        return [self.status] + ([nxt] if nxt else [])


class HandoffStatusChange(models.Model):
    """History of status changes (the request row only keeps the latest)."""

    # A plain id, not a foreign key: rows of the action server's requests are deleted by retention alone.
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
