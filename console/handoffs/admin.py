"""The hand-off queue, worked as a queue: open requests oldest first, an assignee and notes,
and an outcome when closing."""
import phonenumbers
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from audit.admin import TrailAdmin
from audit.models import AuditEntry, record
from conversations.models import Conversation

from .models import HandoffRequest, HandoffStatusChange

PHONE_REGION = "US"


def change_status(handoff: HandoffRequest, new_status: str, user, outcome: str = "") -> bool:
    """Move a request forward one step, with history and an audit entry; False if not allowed.
    Closing needs an outcome."""
    old_status = handoff.status
    if new_status == old_status or new_status not in handoff.allowed_statuses():
        return False
    if new_status == HandoffRequest.CLOSED and outcome not in dict(HandoffRequest.OUTCOMES):
        return False
    with transaction.atomic():
        handoff.status = new_status
        handoff.status_changed_at = timezone.now()
        handoff.status_changed_by = user.get_username()
        changed = ["status", "status_changed_at", "status_changed_by"]
        if new_status == HandoffRequest.CLOSED:
            handoff.outcome = outcome
            changed.append("outcome")
        # Only the console's columns: never rewrite what the action server stored.
        handoff.save(update_fields=changed)
        HandoffStatusChange.objects.create(
            request_id=handoff.pk, old_status=old_status, new_status=new_status,
            changed_by=user, changed_by_name=user.get_username(),
        )
        record(user, AuditEntry.HANDOFF_STATUS, f"handoff:{handoff.pk}", old=old_status, new=new_status,
               **({"outcome": outcome} if new_status == HandoffRequest.CLOSED else {}))
    return True


def formatted_phone(number: str) -> tuple:
    """(display, tel: href) for a phone number, or ("", "") when it does not read as one."""
    try:
        parsed = phonenumbers.parse(number, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return "", ""
    if not phonenumbers.is_possible_number(parsed):
        return "", ""
    home = parsed.country_code == phonenumbers.country_code_for_region(PHONE_REGION)
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return (phonenumbers.format_number(parsed, fmt),
            "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


class OpenFilter(admin.SimpleListFilter):
    """Open requests (new or contacted) unless another status is chosen: the default view of the queue."""

    title, parameter_name = "status", "status"

    def lookups(self, request, model_admin):
        return [("open", "Open (new or contacted)"), *HandoffRequest.STATUSES, ("all", "All")]

    def value(self):
        return super().value() or "open"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(status__in=HandoffRequest.OPEN_STATUSES)
        if self.value() in dict(HandoffRequest.STATUSES):
            return queryset.filter(status=self.value())
        return queryset


class HandoffWorkForm(forms.ModelForm):
    assignee = forms.ChoiceField(required=False, label="Assignee")

    class Meta:
        model = HandoffRequest
        fields = ["status", "outcome", "assignee", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(get_user_model().objects.filter(is_active=True, is_staff=True)
                     .order_by("username").values_list("username", flat=True))
        if self.instance.assignee and self.instance.assignee not in names:
            names.append(self.instance.assignee)  # a former colleague stays readable
        self.fields["assignee"].choices = [("", "— nobody yet —")] + [(n, n) for n in names]
        self.fields["outcome"].help_text = "Required when closing."
        if self.instance.pk:
            allowed = self.instance.allowed_statuses()
            self.fields["status"].choices = [c for c in HandoffRequest.STATUSES if c[0] in allowed]

    def clean(self):
        cleaned = super().clean()
        closing = cleaned.get("status") == HandoffRequest.CLOSED and self.instance.status != HandoffRequest.CLOSED
        if closing and not cleaned.get("outcome"):
            self.add_error("outcome", "Choose how the call ended to close the request.")
        if not closing and cleaned.get("outcome") and self.instance.status != HandoffRequest.CLOSED:
            self.add_error("outcome", "An outcome is recorded when closing.")
        cleaned["assignee"] = cleaned.get("assignee") or None
        return cleaned


@admin.register(HandoffRequest)
class HandoffRequestAdmin(admin.ModelAdmin):
    form = HandoffWorkForm
    list_display = (
        "created_at", "status", "language", "first_name", "contact_link", "best_time", "for_whom", "assignee",
        "outcome", "channel", "conversation_link",
    )
    list_display_links = ("created_at", "status")
    list_filter = (OpenFilter, "language", "assignee", "outcome", "channel", "contact_kind", "for_whom",
                   "created_at")
    search_fields = ("=conversation_id", "first_name", "contact")
    ordering = ("created_at", "id")  # the oldest open request is the next call
    show_full_result_count = False
    list_per_page = 50
    actions = ["mark_contacted"]  # and one "close" action per outcome (get_actions)
    readonly_fields = (
        "created_at", "first_name", "contact_kind", "contact_link", "best_time", "for_whom", "language", "consent",
        "consent_at", "channel", "conversation_link", "request_key", "status_changed_at", "status_changed_by",
        "history", "alert_status", "alert_attempts", "alert_delivered",
    )
    fieldsets = (
        ("Request", {"fields": ("created_at", "first_name", "contact_kind", "contact_link", "best_time", "for_whom",
                                "language", "channel", "conversation_link", "request_key")}),
        ("Consent", {"fields": ("consent", "consent_at")}),
        ("Work (new → contacted → closed)", {"fields": ("assignee", "notes", "status", "outcome",
                                                        "status_changed_at", "status_changed_by", "history")}),
        ("Staff alert", {"fields": ("alert_status", "alert_attempts", "alert_delivered"),
                         "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        # The transcript link for each row comes in the same query, not one query per row.
        summary = Conversation.objects.filter(sender_id=OuterRef("conversation_id")).values("pk")[:1]
        return super().get_queryset(request).annotate(conversation_pk=Subquery(summary))

    @admin.display(description="contact", ordering="contact")
    def contact_link(self, obj):
        if obj.contact_kind == "email":
            return format_html('<a href="mailto:{}">{}</a>', obj.contact, obj.contact)
        display, href = formatted_phone(obj.contact)
        if not href:
            return obj.contact
        return format_html('<a href="{}">{}</a>', href, display)

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
        work = [name for name in ("assignee", "notes") if name in form.changed_data]
        if "outcome" in form.changed_data and form.initial.get("status") == HandoffRequest.CLOSED:
            work.append("outcome")  # correcting how a closed request ended
        if work:
            HandoffRequest.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in work})
        if "status" in form.changed_data:
            new_status, outcome = obj.status, obj.outcome or ""
            obj.status = form.initial.get("status")
            change_status(obj, new_status, request.user, outcome)

    def _move_selected(self, request, queryset, new_status, outcome=""):
        moved = skipped = 0
        for handoff in queryset:
            if change_status(handoff, new_status, request.user, outcome):
                moved += 1
            else:
                skipped += 1
        if moved:
            done = f"closed ({dict(HandoffRequest.OUTCOMES)[outcome].lower()})" if outcome else new_status
            self.message_user(request, f"{moved} request(s) marked {done}.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} request(s) skipped: status only moves new → contacted → closed.",
                              messages.WARNING)

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._move_selected(request, queryset, HandoffRequest.CONTACTED)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for value, label in HandoffRequest.OUTCOMES:
                name = f"close_{value}"
                actions[name] = (
                    lambda admin_, request_, queryset, outcome=value:
                    admin_._move_selected(request_, queryset, HandoffRequest.CLOSED, outcome),
                    name, f"Close selected: {label.lower()}",
                )
        return actions


@admin.register(HandoffStatusChange)
class HandoffStatusChangeAdmin(TrailAdmin):
    list_display = ("changed_at", "request_id", "old_status", "new_status", "changed_by_name")
    list_filter = ("new_status", "changed_at")
    search_fields = ("=request_id", "changed_by_name")
