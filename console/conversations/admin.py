"""The conversation list, the transcript page and corrections (filters, forms and SQL live in
filters.py, forms.py and queries.py). A page view never writes the summary: the fold runs
in the background (`sync_conversations --every`), and the list says how fresh it is."""
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal

from audit.models import AuditEntry, record

from . import events as ev
from . import filters
from .export import export_csv, export_json
from .forms import CorrectionForm, ExportForm
from .models import Conversation, Correction, Note, Tag
from .queries import message_language
from .sync import freshness

EXPORT_AUDIT_ID_LIMIT = 10000
SNIPPET_CONTEXT = 40
# (field, symbol, label): the flags of a row, as compact icons in the first column.
FLAG_ICONS = [
    ("crisis", "⚠", "crisis reply"),
    ("handoff", "☎", "hand-off requested"),
    ("contact_shared", "✉", "contact details shared"),
    ("fallback", "?", "fallback / out of scope"),
    ("low_confidence", "↓", "low-confidence turn"),
    ("disliked_answer", "👎", "visitor disliked an answer"),
]


def search_words(search_term: str) -> list:
    """The words and "quoted phrases" of a search, lower-cased as search_text is stored."""
    words = []
    for bit in smart_split(search_term.strip()):
        if bit[:1] in "\"'" and bit[-1:] == bit[:1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit.lower())
    return words


def snippet(text: str, words: list) -> str:
    """The stretch of the visitor's messages around the first word found."""
    for word in words:
        at = text.find(word)
        if at >= 0:
            start, end = max(0, at - SNIPPET_CONTEXT), min(len(text), at + len(word) + SNIPPET_CONTEXT)
            line = " ".join(text[start:end].split())
            return ("…" if start else "") + line + ("…" if end < len(text) else "")
    return ""


class NoteInline(admin.StackedInline):
    """Notes are added, never edited or deleted, so the record of what was said stays."""

    model = Note
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    change_form_template = "admin/conversations/conversation/transcript.html"
    change_list_template = "admin/conversations/conversation/change_list.html"
    list_display = ("flags", "sender_id", "preview", "last_activity", "channel", "language", "turns",
                    "review_status")
    list_display_links = ("sender_id",)
    list_filter = (
        filters.DateRangeFilter, ("last_activity", admin.DateFieldListFilter), filters.ChannelFilter,
        filters.LanguageFilter, "crisis", "handoff", "contact_shared", "disliked_answer", "fallback",
        filters.LowConfidenceFilter, "review_status", "tags", filters.IntentFilter, filters.ActionFilter,
        filters.SlotFilter, filters.ConfidenceFilter, filters.LengthFilter,
    )
    search_fields = ("sender_id", "search_text")  # searched by get_search_results
    search_help_text = "Words in visitor messages, or part of a conversation id."
    # No date_hierarchy: its DISTINCT over month buckets scans every conversation on each page
    # view; the "started between" filter covers date ranges.
    ordering = ("-last_activity", "-id")
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["mark_reviewed", "mark_follow_up", "export_selected"]
    fields = ("review_status", "tags")  # a plain multi-select: it fits beside the transcript
    inlines = [NoteInline]

    @admin.display(description="flags")
    def flags(self, obj):
        shown = [(field, symbol, label) for field, symbol, label in FLAG_ICONS if getattr(obj, field)]
        return format_html_join(
            "", '<span class="flag flag-{}" title="{}" aria-label="{}">{}</span>',
            ((field, label, label, symbol) for field, symbol, label in shown),
        )

    @admin.display(description="first visitor message")
    def preview(self, obj):
        found = getattr(obj, "search_snippet", "")
        if found:
            return format_html('<span class="preview">{}</span><div class="match">match: {}</div>',
                               obj.first_message or "—", found)
        return format_html('<span class="preview">{}</span>', obj.first_message or "—")

    def get_queryset(self, request):
        # The search column can be large: lists never need it, unless they show what matched.
        deferred = ["intents", "actions", "slots"]
        if not request.GET.get("q"):
            deferred.append("search_text")
        return super().get_queryset(request).defer(*deferred)

    def get_changelist(self, request, **kwargs):
        words = search_words(request.GET.get("q", ""))
        base = super().get_changelist(request, **kwargs)

        class SnippetChangeList(base):
            def get_results(self, request):
                super().get_results(request)
                for conversation in self.result_list:
                    conversation.search_snippet = snippet(conversation.search_text, words) if words else ""

        return SnippetChangeList

    def has_add_permission(self, request):
        return False  # conversations come from Rasa

    def has_delete_permission(self, request, obj=None):
        return False  # removed only by the retention command

    def has_export_permission(self, request):
        return request.user.has_perm("conversations.export_conversation")

    def get_search_results(self, request, queryset, search_term):
        """Each word (or "quoted phrase") must occur in the visitor's messages, or the term is part
        of a conversation id. search_text is stored lower-case, so a plain LIKE does: no UPPER()
        over every row as icontains would on PostgreSQL."""
        words = search_words(search_term)
        if not words:
            return queryset, False
        matching = queryset
        for word in words:
            matching = matching.filter(search_text__contains=word)
        return matching | queryset.filter(sender_id__contains=search_term.strip()), False

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["freshness"] = fresh = freshness()
        extra_context["updated_just_now"] = bool(
            fresh.updated_at and (timezone.now() - fresh.updated_at).total_seconds() < 60)
        extra_context["fold_interval"] = settings.SYNC_INTERVAL_SECONDS
        extra_context["time_zone"] = timezone.get_current_timezone_name()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if conversation is not None and self.has_view_or_change_permission(request, conversation):
            extra_context["title"] = "Conversation transcript"
            transcript = ev.in_visitor_order(ev.transcript(conversation.sender_id))
            corrections = {c.event_id: c for c in conversation.corrections.select_related("created_by")}
            for entry in transcript:
                entry.correction = corrections.get(entry.event_id)
            extra_context["transcript"] = transcript
            extra_context["conversation"] = conversation
            extra_context["flag_icons"] = [(symbol, label) for field, symbol, label in FLAG_ICONS
                                           if getattr(conversation, field)]
            extra_context["low_confidence_threshold"] = settings.LOW_CONFIDENCE_THRESHOLD
            extra_context["can_correct"] = request.user.has_perm("conversations.add_correction")
            extra_context["time_zone"] = timezone.get_current_timezone_name()
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
        # The filters, but never the search words: they are message text (names, phone numbers).
        used_filters = request.GET.copy()
        search_used = bool(used_filters.pop("q", None))
        record(
            request.user, AuditEntry.EXPORT, f"{len(ids)} conversation(s)",
            format=fmt, raw=raw, count=len(ids), filters=used_filters.urlencode(), search_used=search_used,
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


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    form = CorrectionForm
    list_display = ("text", "predicted_intent", "predicted_confidence", "corrected_intent", "language",
                    "conversation", "created_by", "created_at")
    list_filter = ("corrected_intent", "predicted_intent", "language", "created_at")
    search_fields = ("text",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ("conversation", "text", "predicted_intent", "predicted_confidence", "language",
                "created_by") if obj else ()

    def get_fields(self, request, obj=None):
        if obj:
            return ("conversation", "text", "predicted_intent", "predicted_confidence", "corrected_intent",
                    "language", "created_by")
        return ("event_id", "corrected_intent")

    def save_model(self, request, obj, form, change):
        if not change:
            found = form.user_event
            obj.conversation = found["conversation"]
            obj.text = found["entry"].text
            obj.predicted_intent = found["entry"].intent
            obj.predicted_confidence = found["entry"].confidence
            obj.language = message_language(found["conversation"].sender_id, found["entry"].event_id)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Back to the transcript, at the corrected message."""
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Correction saved: “{obj.text}” is {obj.corrected_intent}.", messages.SUCCESS)
        url = reverse("admin:conversations_conversation_change", args=[obj.conversation_id])
        return HttpResponseRedirect(f"{url}#message-{obj.event_id}")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    list_display = ("name",)
