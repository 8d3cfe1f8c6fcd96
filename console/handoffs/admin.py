from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from audit.admin import TrailAdmin
from audit.models import AuditEntry, record
from conversations.models import Conversation

from .models import HandoffRequest, HandoffStatusChange


def change_status(handoff: HandoffRequest, new_status: str, user) -> bool:
    """Move a request forward one step, with history and an audit entry; False if not allowed."""
    old_status = handoff.status
    if new_status == old_status or new_status not in handoff.allowed_statuses():
        return False
    with transaction.atomic():
        handoff.status = new_status
        handoff.status_changed_at = timezone.now()
        handoff.status_changed_by = user.get_username()
        # Only the console's columns: never rewrite what the action server stored.
        handoff.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        HandoffStatusChange.objects.create(
            request_id=handoff.pk, old_status=old_status, new_status=new_status,
            changed_by=user, changed_by_name=user.get_username(),
        )
        record(user, AuditEntry.HANDOFF_STATUS, f"handoff:{handoff.pk}", old=old_status, new=new_status)
    return True


class HandoffStatusForm(forms.ModelForm):
    class Meta:
        model = HandoffRequest
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            allowed = self.instance.allowed_statuses()
            self.fields["status"].choices = [c for c in HandoffRequest.STATUSES if c[0] in allowed]


@admin.register(HandoffRequest)
class HandoffRequestAdmin(admin.ModelAdmin):
    form = HandoffStatusForm
    list_display = (
        "created_at", "status", "first_name", "contact_kind", "contact", "best_time", "for_whom",
        "consent", "consent_at", "channel", "conversation_link", "status_changed_at", "status_changed_by",
    )
    list_display_links = ("created_at", "status")
    list_filter = ("status", "channel", "contact_kind", "for_whom", "consent", "created_at")
    search_fields = ("=conversation_id", "first_name", "contact")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    list_per_page = 50
    actions = ["mark_contacted", "mark_closed"]
    readonly_fields = (
        "created_at", "first_name", "contact_kind", "contact", "best_time", "for_whom", "consent", "consent_at",
        "channel", "conversation_link", "request_key", "status_changed_at", "status_changed_by", "history",
    )
    fieldsets = (
        ("Request", {"fields": ("created_at", "first_name", "contact_kind", "contact", "best_time", "for_whom",
                                "channel", "conversation_link", "request_key")}),
        ("Consent", {"fields": ("consent", "consent_at")}),
        ("Status (new → contacted → closed)", {"fields": ("status", "status_changed_at", "status_changed_by",
                                                         "history")}),
    )

    def get_queryset(self, request):
        # The transcript link for each row comes in the same query, not one query per row.
        summary = Conversation.objects.filter(sender_id=OuterRef("conversation_id")).values("pk")[:1]
        return super().get_queryset(request).annotate(conversation_pk=Subquery(summary))

    @admin.display(description="conversation")
    def conversation_link(self, obj):
        if getattr(obj, "conversation_pk", None) is None:
            return obj.conversation_id
        url = reverse("admin:conversations_conversation_change", args=[obj.conversation_pk])
        return format_html('<a href="{}">{}</a>', url, obj.conversation_id)

    @admin.display(description="status history")
    def history(self, obj):
        changes = HandoffStatusChange.objects.filter(request_id=obj.pk)
        if not changes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{} → {} by {} at {}</li>", (
                (c.old_status, c.new_status, c.changed_by_name,
                 timezone.localtime(c.changed_at).strftime("%Y-%m-%d %H:%M"))
                for c in changes
            )),
        )

    def has_add_permission(self, request):
        return False  # requests come only from the hand-off action

    def has_delete_permission(self, request, obj=None):
        return False  # removed only by the retention command

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and self.has_view_or_change_permission(request):
            record(request.user, AuditEntry.VIEW_HANDOFF, f"handoff:{object_id}")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            return
        new_status = obj.status
        obj.status = form.initial.get("status")
        change_status(obj, new_status, request.user)

    def _move_selected(self, request, queryset, new_status):
        moved = skipped = 0
        for handoff in queryset:
            if change_status(handoff, new_status, request.user):
                moved += 1
            else:
                skipped += 1
        if moved:
            self.message_user(request, f"{moved} request(s) marked {new_status}.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} request(s) skipped: status only moves new → contacted → closed.",
                              messages.WARNING)

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._move_selected(request, queryset, HandoffRequest.CONTACTED)

    @admin.action(description="Mark selected as closed", permissions=["change"])
    def mark_closed(self, request, queryset):
        self._move_selected(request, queryset, HandoffRequest.CLOSED)


@admin.register(HandoffStatusChange)
class HandoffStatusChangeAdmin(TrailAdmin):
    list_display = ("changed_at", "request_id", "old_status", "new_status", "changed_by_name")
    list_filter = ("new_status", "changed_at")
    search_fields = ("=request_id", "changed_by_name")
