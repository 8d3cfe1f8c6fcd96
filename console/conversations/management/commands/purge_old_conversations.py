"""Retention: delete conversations (Rasa events and review data) and hand-off records past their age."""
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry, record
from conversations import events as ev
from conversations.models import Conversation
from conversations.sync import sync_conversations
from handoffs.models import HandoffRequest, HandoffStatusChange

CHUNK = 500


class Command(BaseCommand):
    help = ("Delete conversations whose last activity is older than CONSOLE_RETENTION_DAYS (their rows in Rasa's "
            "events table, summaries, tags, notes and corrections) and hand-off requests older than "
            "CONSOLE_HANDOFF_RETENTION_DAYS. 0 keeps forever.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.CONVERSATION_RETENTION_DAYS)
        parser.add_argument("--handoff-days", type=int, default=settings.HANDOFF_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, handoff_days, dry_run, **options):
        now = timezone.now()
        conversations = self.purge_conversations(now - dt.timedelta(days=days), dry_run) if days > 0 else 0
        handoffs = self.purge_handoffs(now - dt.timedelta(days=handoff_days), dry_run) if handoff_days > 0 else 0
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {conversations} conversation(s) and {handoffs} hand-off request(s)")
        if not dry_run and (conversations or handoffs):
            record("retention", AuditEntry.RETENTION, "", conversations=conversations, handoffs=handoffs,
                   conversation_days=days, handoff_days=handoff_days)

    def purge_conversations(self, cutoff, dry_run) -> int:
        sync_conversations()  # conversations not folded yet must be judged too
        old = Conversation.objects.filter(last_activity__lt=cutoff)
        if dry_run:
            return old.count()
        deleted = 0
        table = ev.events_table()
        while True:
            senders = list(old.values_list("sender_id", flat=True)[:CHUNK])
            if not senders:
                return deleted
            placeholders = ", ".join(["%s"] * len(senders))
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {table} WHERE sender_id IN ({placeholders})", senders)
                # Cascades to notes, corrections and tags of these conversations.
                Conversation.objects.filter(sender_id__in=senders).delete()
            deleted += len(senders)

    def purge_handoffs(self, cutoff, dry_run) -> int:
        if not ev.table_exists(HandoffRequest._meta.db_table):
            return 0
        old = HandoffRequest.objects.filter(created_at__lt=cutoff)
        if dry_run:
            return old.count()
        ids = list(old.values_list("id", flat=True))
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            with transaction.atomic():
                HandoffStatusChange.objects.filter(request_id__in=part).delete()
                HandoffRequest.objects.filter(id__in=part).delete()
        return len(ids)
