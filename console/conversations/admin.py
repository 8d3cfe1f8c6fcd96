import datetime as dt
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal

from audit.models import AuditEntry, record

from . import events as ev
from .export import export_csv, export_json
from .intents import known_intents
from .models import Conversation, Correction, Note, Tag, Vocabulary
from .sync import sync_conversations

logger = logging.getLogger(__name__)
EXPORT_AUDIT_ID_LIMIT = 10000


class DateRangeFilter(admin.ListFilter):
    """Start date between two days (inclusive), as two date inputs."""

    title = "started between"
    template = "admin/conversations/date_range_filter.html"
    from_param, to_param = "started_from", "started_to"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in (self.from_param, self.to_param):
            if name in params:
                value = params.pop(name)
                self.values[name] = value[-1] if isinstance(value, list) else value
        self.request = request

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.from_param, self.to_param]

    def _day(self, name):
        try:
            return dt.date.fromisoformat(self.values.get(name, ""))
        except ValueError:
            return None

    def queryset(self, request, queryset):
        tz = timezone.get_current_timezone()
        start, end = self._day(self.from_param), self._day(self.to_param)
        if start:
            queryset = queryset.filter(started_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
        if end:
            queryset = queryset.filter(started_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min,
                                                                          tzinfo=tz))
        return queryset

    def choices(self, changelist):
        keep = [
            (key, value) for key, values in self.request.GET.lists() for value in values
            if key not in (self.from_param, self.to_param, "p")
        ]
        yield {
            "from": self.values.get(self.from_param, ""),
            "to": self.values.get(self.to_param, ""),
            "keep": keep,
            "clear": changelist.get_query_string(remove=[self.from_param, self.to_param, "p"]),
        }


class VocabularyFilter(admin.SimpleListFilter):
    """Conversations containing a given intent / action / slot ("|name|" list column)."""

    kind = ""
    field = ""

    def lookups(self, request, model_admin):
        names = Vocabulary.objects.filter(kind=self.kind).values_list("name", flat=True)
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}__contains": f"|{self.value()}|"})
        return queryset


class IntentFilter(VocabularyFilter):
    title, parameter_name, kind, field = "intent", "intent", Vocabulary.INTENT, "intents"


class ActionFilter(VocabularyFilter):
    title, parameter_name, kind, field = "action", "action", Vocabulary.ACTION, "actions"


class SlotFilter(VocabularyFilter):
    title, parameter_name, kind, field = "slot set", "slot", Vocabulary.SLOT, "slots"


class ChannelFilter(admin.SimpleListFilter):
    title, parameter_name = "channel", "channel"

    def lookups(self, request, model_admin):
        channels = Conversation.objects.exclude(channel="").order_by().values_list("channel", flat=True).distinct()
        return [(c, c) for c in sorted(channels)]

    def queryset(self, request, queryset):
        return queryset.filter(channel=self.value()) if self.value() else queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title, parameter_name = "lowest intent confidence", "confidence"
    RANGES = {"lt30": (None, 0.3), "30-50": (0.3, 0.5), "50-70": (0.5, 0.7), "70-90": (0.7, 0.9), "gte90": (0.9, None)}

    def lookups(self, request, model_admin):
        return [("lt30", "below 0.30"), ("30-50", "0.30–0.50"), ("50-70", "0.50–0.70"), ("70-90", "0.70–0.90"),
                ("gte90", "0.90 and above")]

    def queryset(self, request, queryset):
        bounds = self.RANGES.get(self.value())
        if not bounds:
            return queryset
        low, high = bounds
        if low is not None:
            queryset = queryset.filter(min_confidence__gte=low)
        if high is not None:
            queryset = queryset.filter(min_confidence__lt=high)
        return queryset


class LowConfidenceFilter(admin.SimpleListFilter):
    title, parameter_name = "low-confidence turn", "low_confidence"

    def lookups(self, request, model_admin):
        return [("yes", f"Yes (below {settings.LOW_CONFIDENCE_THRESHOLD:g})"), ("no", "No")]

    def queryset(self, request, queryset):
        threshold = settings.LOW_CONFIDENCE_THRESHOLD
        if self.value() == "yes":
            return queryset.filter(min_confidence__lt=threshold)
        if self.value() == "no":
            return queryset.exclude(min_confidence__lt=threshold)
        return queryset


class LengthFilter(admin.SimpleListFilter):
    title, parameter_name = "conversation length (user turns)", "length"
    RANGES = {"1": (1, 1), "2-3": (2, 3), "4-6": (4, 6), "7-10": (7, 10), "11+": (11, None), "0": (0, 0)}

    def lookups(self, request, model_admin):
        return [("0", "no user message"), ("1", "1"), ("2-3", "2–3"), ("4-6", "4–6"), ("7-10", "7–10"),
                ("11+", "11 or more")]

    def queryset(self, request, queryset):
        bounds = self.RANGES.get(self.value())
        if not bounds:
            return queryset
        low, high = bounds
        queryset = queryset.filter(turns__gte=low)
        return queryset if high is None else queryset.filter(turns__lte=high)


class NoteInline(admin.TabularInline):
    """Notes are added, never edited or deleted, so the record of what was said stays."""

    model = Note
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("json", "JSON")], widget=forms.RadioSelect, initial="csv")
    raw = forms.BooleanField(
        required=False,
        label="Include raw, unredacted message text (names, phone numbers and emails). This choice is audited.",
    )


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    change_form_template = "admin/conversations/conversation/transcript.html"
    list_display = (
        "sender_id", "started_at", "last_activity", "channel", "turns", "topics",
        "crisis", "fallback", "low_confidence_flag", "handoff", "review_status",
    )
    list_filter = (
        DateRangeFilter, ("last_activity", admin.DateFieldListFilter), ChannelFilter,
        "crisis", "fallback", LowConfidenceFilter, "handoff", "review_status",
        "tags", IntentFilter, ActionFilter, SlotFilter, ConfidenceFilter, LengthFilter,
    )
    search_fields = ("sender_id", "search_text")  # searched by get_search_results
    search_help_text = "Words in user messages, or an exact conversation id."
    # No date_hierarchy: its DISTINCT over month buckets scans every conversation on each page
    # view; the "started between" filter covers date ranges.
    ordering = ("-last_activity", "-id")
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["mark_reviewed", "mark_follow_up", "export_selected"]
    fields = ("review_status", "tags")
    filter_horizontal = ("tags",)
    inlines = [NoteInline]

    @admin.display(boolean=True, description="low confidence")
    def low_confidence_flag(self, obj):
        return obj.low_confidence

    def get_queryset(self, request):
        # The search column can be large: lists never need it.
        return super().get_queryset(request).defer("search_text", "intents", "actions", "slots")

    def has_add_permission(self, request):
        return False  # conversations come from Rasa

    def has_delete_permission(self, request, obj=None):
        return False  # removed only by the retention command

    def has_export_permission(self, request):
        return request.user.has_perm("conversations.export_conversation")

    def get_search_results(self, request, queryset, search_term):
        """Each word (or "quoted phrase") must occur in the user messages, or the whole term
        is a conversation id. search_text is stored lower-case, so a plain LIKE does: no
        UPPER() over every row as icontains would on PostgreSQL."""
        search_term = search_term.strip()
        if not search_term:
            return queryset, False
        words = queryset
        for bit in smart_split(search_term):
            if bit[:1] in "\"'" and bit[-1:] == bit[:1] and len(bit) > 1:
                bit = unescape_string_literal(bit)
            if bit:
                words = words.filter(search_text__contains=bit.lower())
        return words | queryset.filter(sender_id=search_term), False

    def changelist_view(self, request, extra_context=None):
        try:
            sync_conversations(max_events=settings.SYNC_EVENTS_PER_REQUEST)
        except DatabaseError:
            # Another worker is folding the same rows; this page shows what is already folded.
            logger.warning("conversation summary refresh skipped", exc_info=True)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if conversation is not None and self.has_view_or_change_permission(request, conversation):
            extra_context["title"] = "Conversation transcript"
            extra_context["transcript"] = ev.transcript(conversation.sender_id)
            extra_context["conversation"] = conversation
            extra_context["low_confidence_threshold"] = settings.LOW_CONFIDENCE_THRESHOLD
            extra_context["can_correct"] = request.user.has_perm("conversations.add_correction")
            if request.method == "GET":
                record(request.user, AuditEntry.VIEW_TRANSCRIPT, conversation.sender_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if "review_status" in form.changed_data:
            obj.reviewed_by = request.user if obj.review_status != Conversation.UNREVIEWED else None
            obj.reviewed_at = timezone.now() if obj.review_status != Conversation.UNREVIEWED else None
        obj.save(update_fields=["review_status", "reviewed_by", "reviewed_at"])

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if note.pk is None:
                note.author = request.user
            note.save()
        formset.save_m2m()

    def _set_review(self, request, queryset, status):
        count = queryset.update(review_status=status, reviewed_by=request.user, reviewed_at=timezone.now())
        self.message_user(request, f"{count} conversation(s) marked {dict(Conversation.REVIEW_STATUSES)[status]}.",
                          messages.SUCCESS)

    @admin.action(description="Mark selected as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._set_review(request, queryset, Conversation.REVIEWED)

    @admin.action(description="Mark selected as needing follow-up", permissions=["change"])
    def mark_follow_up(self, request, queryset):
        self._set_review(request, queryset, Conversation.FOLLOW_UP)

    @admin.action(description="Export selected conversations (CSV or JSON)", permissions=["export"])
    def export_selected(self, request, queryset):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = ExportForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_bound and form.is_valid():
            return self._export(request, queryset, form.cleaned_data["format"], form.cleaned_data["raw"])
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        context = {
            **self.admin_site.each_context(request),
            "title": "Export conversations",
            "opts": self.model._meta,
            "form": form,
            "count": queryset.count(),
            "selected": selected,
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/conversations/conversation/export_confirm.html", context)

    def _export(self, request, queryset, fmt, raw):
        conversations = list(queryset.order_by("started_at", "id"))
        ids = [c.sender_id for c in conversations]
        record(
            request.user, AuditEntry.EXPORT, f"{len(ids)} conversation(s)",
            format=fmt, raw=raw, count=len(ids), filters=request.GET.urlencode(),
            conversation_ids=ids[:EXPORT_AUDIT_ID_LIMIT], ids_truncated=len(ids) > EXPORT_AUDIT_ID_LIMIT,
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        suffix = "raw" if raw else "redacted"
        if fmt == "json":
            response = StreamingHttpResponse(export_json(conversations, raw), content_type="application/json")
        else:
            response = StreamingHttpResponse(export_csv(conversations, raw), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="conversations-{stamp}-{suffix}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response


class CorrectionForm(forms.ModelForm):
    corrected_intent = forms.ChoiceField(label="Right intent")

    class Meta:
        model = Correction
        fields = ["event_id", "corrected_intent"]
        widgets = {"event_id": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrected_intent"].choices = [("", "---------")] + [(n, n) for n in known_intents()]
        self.user_event = None
        event_id = self.data.get("event_id") or self.initial.get("event_id") or self.instance.event_id
        if event_id:
            self.user_event = user_event(event_id)
        if self.user_event is not None:
            entry = self.user_event["entry"]
            self.fields["corrected_intent"].help_text = format_html(
                "Message: “{}” — predicted {} ({})", entry.text, entry.intent or "?",
                "?" if entry.confidence is None else f"{entry.confidence:.2f}",
            )

    def clean(self):
        cleaned = super().clean()
        if self.user_event is None:
            raise forms.ValidationError("Choose a user message from a transcript to correct.")
        if cleaned.get("corrected_intent") == self.user_event["entry"].intent:
            raise forms.ValidationError("The right intent must differ from the predicted one.")
        return cleaned


def user_event(event_id):
    """The user event with this id and its conversation, or None."""
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sender_id, id, type_name, timestamp, intent_name, action_name, data FROM {ev.events_table()} "
            "WHERE id = %s",
            [event_id],
        )
        row = cursor.fetchone()
    if row is None or row[2] != "user":
        return None
    conversation = Conversation.objects.filter(sender_id=row[0]).first()
    if conversation is None:
        return None
    return {"entry": ev.entry_from_row(*row[1:]), "conversation": conversation}


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    form = CorrectionForm
    list_display = ("text", "predicted_intent", "predicted_confidence", "corrected_intent", "conversation",
                    "created_by", "created_at")
    list_filter = ("corrected_intent", "predicted_intent", "created_at")
    search_fields = ("text",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ("conversation", "text", "predicted_intent", "predicted_confidence", "created_by") if obj else ()

    def get_fields(self, request, obj=None):
        if obj:
            return ("conversation", "text", "predicted_intent", "predicted_confidence", "corrected_intent",
                    "created_by")
        return ("event_id", "corrected_intent")

    def save_model(self, request, obj, form, change):
        if not change:
            found = form.user_event
            obj.conversation = found["conversation"]
            obj.text = found["entry"].text
            obj.predicted_intent = found["entry"].intent
            obj.predicted_confidence = found["entry"].confidence
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    list_display = ("name",)
