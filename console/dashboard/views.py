"""The dashboard on the console's home page: the state at a glance for a chosen period
(default the last 7 days), in the center's time zone."""
import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import timezone

from . import charts, queries

DEFAULT_DAYS = 7
MAX_DAYS = 366


class PeriodForm(forms.Form):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("The period ends before it starts.")
        if start and end and (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {MAX_DAYS} days.")
        return cleaned


def chosen_period(form: PeriodForm) -> queries.Period:
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    default = queries.Period(today - dt.timedelta(days=DEFAULT_DAYS - 1), today, tz)
    if not form.is_valid():
        return default
    end = form.cleaned_data.get("end") or today
    start = form.cleaned_data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if (end - start).days >= MAX_DAYS:
        start = end - dt.timedelta(days=MAX_DAYS - 1)
    return queries.Period(start, end, tz)


def dashboard_context(request) -> dict:
    form = PeriodForm(request.GET or None)
    period = chosen_period(form)
    per_day = queries.conversations_per_day(period)
    totals = queries.totals(period)
    topics = queries.top_topics(period)
    list_url = reverse("admin:conversations_conversation_changelist")
    in_period = f"started_from={period.first_day}&started_to={period.last_day}"
    return {
        "period_form": form,
        "period": period,
        "time_zone": timezone.get_current_timezone_name(),
        "totals": totals,
        "unhelped_rate": (totals["unhelped"] / totals["conversations"]) if totals["conversations"] else None,
        "per_day_chart": charts.stacked_bars(per_day, "Conversations per day, by channel"),
        "crises": queries.crisis_conversations(period),
        "handoffs_by_status": queries.handoffs_by_status(period),
        "oldest_new_handoff": queries.oldest_new_handoff(),
        "unhelped_messages": queries.unhelped_messages(period),
        "topics_chart": charts.horizontal_bars(topics, "Top topics asked") if topics else "",
        "links": {
            "crisis": f"{list_url}?crisis__exact=1&{in_period}",
            "unhelped": f"{list_url}?fallback__exact=1&{in_period}",
            "handoff": f"{list_url}?handoff__exact=1&{in_period}",
            "disliked": f"{list_url}?disliked_answer__exact=1&{in_period}",
            "spanish": f"{list_url}?language=es&{in_period}",
            "all": f"{list_url}?{in_period}",
            "handoff_queue": reverse("admin:handoffs_handoffrequest_changelist"),
        },
    }
