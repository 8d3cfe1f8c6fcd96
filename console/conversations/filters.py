"""List filters of the conversation list: each reads summary columns only, so it pages in SQL."""
import datetime as dt

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from .models import Conversation, Vocabulary


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


class LanguageFilter(admin.SimpleListFilter):
    """The conversation's language (the bot's `language` slot; "en" when it never set one)."""

    title, parameter_name = "language", "language"

    def lookups(self, request, model_admin):
        return [("en", "English"), ("es", "Spanish")]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset
