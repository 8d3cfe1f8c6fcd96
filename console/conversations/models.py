from django.conf import settings
from django.db import models


class RasaEvent(models.Model):
    """Rasa's SQLTrackerStore table. Unmanaged: the console reads it and retention deletes rows,
    but no migration ever creates or alters it."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255, db_index=True)
    type_name = models.CharField(max_length=255)
    timestamp = models.FloatField(null=True)
    intent_name = models.CharField(max_length=255, null=True)
    action_name = models.CharField(max_length=255, null=True)
    data = models.TextField(null=True)

    class Meta:
        managed = False
        db_table = "events"
        default_permissions = ()


class Tag(models.Model):
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """One row per Rasa conversation (sender_id), folded incrementally from `events`.

    Lists, filters and search run on this table so they page in SQL; the transcript
    itself is always read from `events`.
    """

    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"
    FOLLOW_UP = "follow_up"
    REVIEW_STATUSES = [(UNREVIEWED, "Not reviewed"), (REVIEWED, "Reviewed"), (FOLLOW_UP, "Needs follow-up")]

    sender_id = models.CharField("conversation id", max_length=255, unique=True)
    channel = models.CharField(max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField("started", db_index=True)
    # The start's day in the center's time zone, so the dashboard groups by day with an index
    # instead of converting every row's time.
    started_day = models.DateField(null=True, blank=True)
    last_activity = models.DateTimeField(db_index=True)
    turns = models.PositiveIntegerField("user turns", default=0, db_index=True)
    topics = models.CharField(max_length=500, blank=True)
    # "|a|b|" lists so one LIKE finds a conversation with a given intent, action or slot.
    intents = models.TextField(blank=True, default="")
    actions = models.TextField(blank=True, default="")
    slots = models.TextField(blank=True, default="")
    min_confidence = models.FloatField("lowest intent confidence", null=True, blank=True, db_index=True)
    crisis = models.BooleanField("crisis reply", default=False, db_index=True)
    fallback = models.BooleanField("fallback / out of scope", default=False, db_index=True)
    handoff = models.BooleanField("hand-off requested", default=False, db_index=True)
    # The bot's `contact_details_shared` slot: the visitor typed contact details into the chat.
    contact_shared = models.BooleanField("contact details shared", default=False, db_index=True)
    # A thumbs-down on an answer (the widget's `answer_feedback` slot).
    disliked_answer = models.BooleanField("visitor disliked an answer", default=False, db_index=True)
    # The `language` slot's latest value ("en" or "es"); "en" until the bot sets one.
    language = models.CharField(max_length=8, default="en", db_index=True)
    first_message = models.CharField("first visitor message", max_length=200, blank=True, default="")
    # Lower-cased user messages for full-text search.
    search_text = models.TextField(blank=True, default="")
    last_event_id = models.BigIntegerField(default=0)

    review_status = models.CharField(max_length=16, choices=REVIEW_STATUSES, default=UNREVIEWED, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")

    class Meta:
        ordering = ["-last_activity"]
        permissions = [("export_conversation", "Can export conversations")]
        # The list's order (newest activity first, id as tie-breaker) walks this index, also deep pages.
        indexes = [models.Index(fields=["last_activity", "id"], name="conv_last_activity_id"),
                   models.Index(fields=["started_day", "channel"], name="conv_started_day_channel"),
                   # Covers the dashboard's counts of a period: no read of the wide rows.
                   models.Index(fields=["started_day", "crisis", "fallback", "handoff", "disliked_answer", "language"],
                                name="conv_started_day_flags")]

    def __str__(self) -> str:
        return self.sender_id

    @property
    def low_confidence(self) -> bool:
        return self.min_confidence is not None and self.min_confidence < settings.LOW_CONFIDENCE_THRESHOLD


class Note(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A user message whose predicted intent was wrong, with the right one (NLU training data)."""

    LANGUAGES = [("en", "English"), ("es", "Spanish")]

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="corrections")
    event_id = models.BigIntegerField(unique=True, help_text="id of the user event in Rasa's events table")
    text = models.TextField()
    predicted_intent = models.CharField(max_length=255, blank=True)
    predicted_confidence = models.FloatField(null=True, blank=True)
    corrected_intent = models.CharField(max_length=255)
    # The language the bot detected for this message (its `language` slot), for per-language export.
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.predicted_intent or '?'} -> {self.corrected_intent}"


class Vocabulary(models.Model):
    """Intent, action and slot names seen in events: choices for the list filters
    without a DISTINCT over millions of event rows."""

    INTENT, ACTION, SLOT = "intent", "action", "slot"
    kind = models.CharField(max_length=16, choices=[(INTENT, INTENT), (ACTION, ACTION), (SLOT, SLOT)])
    name = models.CharField(max_length=255)

    class Meta:
        unique_together = [("kind", "name")]
        ordering = ["kind", "name"]
        default_permissions = ()


class ConversationTopic(models.Model):
    """One row per topic a conversation asked about (its "topics"), by the conversation's start
    day: the dashboard's top topics are one indexed count."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="topic_rows")
    day = models.DateField()
    name = models.CharField(max_length=255)

    class Meta:
        unique_together = [("conversation", "name")]
        # Each topic's count of a period is one range of this index (no grouping of all rows).
        indexes = [models.Index(fields=["name", "day"], name="topic_name_day")]
        default_permissions = ()


class UnhelpedMessage(models.Model):
    """A visitor message the assistant could not help with (fallback or out of scope), folded
    from events so the dashboard can count the most common ones with one indexed query."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="unhelped_messages")
    event_id = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    # Lower-cased, whitespace-collapsed: the same question typed twice counts twice.
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["-at"]
        default_permissions = ()


class SyncState(models.Model):
    """Watermarks (last folded row id) for the incremental summary refresh, and when a fold
    pass last ran (the list's "updated 2 minutes ago")."""

    key = models.CharField(max_length=32, unique=True)
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
