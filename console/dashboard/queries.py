"""The dashboard's numbers: SQL aggregates over the summary tables, one query each, so the page
stays fast at 100,000 conversations (measured by `seed_conversations --speed-check`)."""
import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Optional

from django.db.models import Count, Min, Q

from conversations import events as ev
from conversations.models import Conversation, ConversationTopic, UnhelpedMessage, Vocabulary
from handoffs.models import HandoffRequest

TOP = 10
RECENT_CRISES = 20


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date
    tz: dt.tzinfo

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time.min, tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)

    @property
    def days(self) -> List[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]


def _started_in(period: Period):
    """Conversations started on the period's days (the center's days, folded as started_day)."""
    return Conversation.objects.filter(started_day__gte=period.first_day, started_day__lte=period.last_day)


def conversations_per_day(period: Period) -> Dict[dt.date, Dict[str, int]]:
    """{day: {channel: count}} by the center's day."""
    rows = _started_in(period).order_by().values("started_day", "channel").annotate(n=Count("id"))
    per_day: Dict[dt.date, Dict[str, int]] = {day: {} for day in period.days}
    for row in rows:
        per_day.setdefault(row["started_day"], {})[row["channel"] or "unknown"] = row["n"]
    return per_day


def totals(period: Period) -> Dict[str, int]:
    return _started_in(period).order_by().aggregate(
        conversations=Count("id"), crisis=Count("id", filter=Q(crisis=True)),
        unhelped=Count("id", filter=Q(fallback=True)), handoff=Count("id", filter=Q(handoff=True)),
        disliked=Count("id", filter=Q(disliked_answer=True)), spanish=Count("id", filter=Q(language="es")),
    )


def crisis_conversations(period: Period) -> List[Conversation]:
    return list(Conversation.objects.filter(crisis=True, started_at__gte=period.start, started_at__lt=period.end)
                .order_by("-started_at", "-id")
                .only("id", "sender_id", "started_at", "channel", "first_message", "language")[:RECENT_CRISES])


def handoffs_by_status(period: Period) -> Dict[str, int]:
    counts = dict(HandoffRequest.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
                  .order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status, _ in HandoffRequest.STATUSES}


def oldest_new_handoff() -> Optional[HandoffRequest]:
    """The request waiting longest for a first call, whatever the period."""
    return (HandoffRequest.objects.filter(status=HandoffRequest.NEW).order_by("created_at", "id")
            .only("id", "created_at", "language", "channel").first())


def unhelped_messages(period: Period) -> List[dict]:
    """The messages the assistant most often could not help with (fallback or out of scope)."""
    return list(UnhelpedMessage.objects.filter(at__gte=period.start, at__lt=period.end).order_by()
                .values("text").annotate(n=Count("id"), last=Min("at")).order_by("-n", "text")[:TOP])


def top_topics(period: Period) -> List[tuple]:
    """(intent, conversations) for the topics asked, most asked first (crisis intents apart).
    One count per topic, each a range of the (name, day) index: cheaper than grouping every
    topic row of a long period."""
    names = [name for name in Vocabulary.objects.filter(kind=Vocabulary.INTENT).values_list("name", flat=True)
             if name not in ev.SMALL_TALK_INTENTS and not ev.is_crisis_intent(name)]
    in_period = ConversationTopic.objects.filter(day__gte=period.first_day, day__lte=period.last_day)
    counts = [(name, in_period.filter(name=name).count()) for name in names]
    return sorted((item for item in counts if item[1]), key=lambda item: (-item[1], item[0]))[:TOP]
