"""Fill the database with synthetic Rasa conversations; optionally time the console on them."""
import datetime as dt
import json
import platform
import secrets
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from conversations.seeding import seed as seed_conversations
from conversations.sync import sync_conversations


class Command(BaseCommand):
    help = ("Write synthetic, Rasa-shaped conversations into the events table (and hand-off requests). "
            "With --speed-check, time the summary refresh and the console pages and write reports/.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200, help="conversations to add (0: only time the pages)")
        parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same conversations)")
        parser.add_argument("--days", type=int, default=90, help="spread start times over this many past days")
        parser.add_argument("--speed-check", action="store_true")
        parser.add_argument("--report", default=str(Path(settings.REPORTS_DIR) / "console_speed.md"))

    def handle(self, *args, count, seed, days, speed_check, report, **options):
        if count < 0 or (count == 0 and not speed_check):
            raise CommandError("--count must be positive (0 only with --speed-check: time the pages as they are)")
        started = time.perf_counter()
        last_print = [0.0]

        def progress(totals):
            if time.perf_counter() - last_print[0] > 10:
                last_print[0] = time.perf_counter()
                self.stdout.write(f"  {totals['conversations']} conversations, {totals['events']} events")

        totals = seed_conversations(count, seed_value=seed, days=days, progress=progress)
        seed_seconds = time.perf_counter() - started
        self.stdout.write(f"seeded {totals['conversations']} conversations ({totals['events']} events, "
                          f"{totals['handoffs']} hand-off requests) in {seed_seconds:.1f}s")
        started = time.perf_counter()
        read = sync_conversations()
        sync_seconds = time.perf_counter() - started
        self.stdout.write(f"folded {read} event rows into summaries in {sync_seconds:.1f}s")
        if speed_check:
            timings = self.time_pages()
            self.write_report(Path(report), totals, seed_seconds, sync_seconds, timings)

    def time_pages(self) -> dict:
        """Median of 5 requests per page, through the whole Django stack as a logged-in admin."""
        user = get_user_model().objects.create_superuser(f"speedcheck-{secrets.token_hex(4)}", None, None)
        sample = Conversation.objects.order_by("-last_activity").first()
        deep_page = max(1, min(1000, Conversation.objects.count() // 50))
        today = timezone.localdate()
        pages = {
            "dashboard, last 7 days": reverse("admin:index"),
            "dashboard, last 90 days": reverse("admin:index") + f"?start={today - dt.timedelta(days=89)}&end={today}",
            "list, first page": reverse("admin:conversations_conversation_changelist"),
            "list, hand-off filter": reverse("admin:conversations_conversation_changelist") + "?handoff__exact=1",
            "list, crisis + channel filter": reverse("admin:conversations_conversation_changelist")
            + "?crisis__exact=1&channel=telegram",
            "list, intent filter": reverse("admin:conversations_conversation_changelist") + "?intent=ask_withdrawal",
            "list, low confidence + length": reverse("admin:conversations_conversation_changelist")
            + "?low_confidence=yes&length=4-6",
            "list, full-text search": reverse("admin:conversations_conversation_changelist") + "?q=methadone",
            "list, part of an id": reverse("admin:conversations_conversation_changelist")
            + "?q=" + quote(sample.sender_id[2:9]),
            "list, Spanish + disliked an answer": reverse("admin:conversations_conversation_changelist")
            + "?language=es&disliked_answer__exact=1",
            f"list, page {deep_page}": reverse("admin:conversations_conversation_changelist") + f"?p={deep_page}",
            "transcript": reverse("admin:conversations_conversation_change", args=[sample.pk]),
            "hand-off queue": reverse("admin:handoffs_handoffrequest_changelist"),
        }
        timings = {}
        try:
            with override_settings(ALLOWED_HOSTS=["testserver"]):
                client = Client()
                client.force_login(user)
                for label, url in pages.items():
                    samples = []
                    for _ in range(5):
                        started = time.perf_counter()
                        response = client.get(url)
                        samples.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200:
                            raise CommandError(f"{label}: HTTP {response.status_code}")
                    timings[label] = {"url": url, "median_ms": round(statistics.median(samples), 1),
                                      "max_ms": round(max(samples), 1)}
                    self.stdout.write(f"  {label}: median {timings[label]['median_ms']} ms")
        finally:
            user.delete()
        return timings

    def write_report(self, path: Path, totals, seed_seconds, sync_seconds, timings) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        total_conversations = Conversation.objects.count()
        lines = [
            "# Staff console speed check",
            "",
            f"- database: {engine}; conversations in the summary table: {total_conversations}",
            f"- seeded now: {totals['conversations']} conversations, {totals['events']} events, "
            f"{totals['handoffs']} hand-off requests in {seed_seconds:.1f} s",
            f"- summary refresh (fold events into conversations): {sync_seconds:.1f} s",
            f"- machine: {platform.platform()}, Python {platform.python_version()}",
            "",
            "| page | median ms | max ms |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {label} | {t['median_ms']} | {t['max_ms']} |" for label, t in timings.items()]
        path.write_text("\n".join(lines) + "\n")
        path.with_suffix(".json").write_text(json.dumps({
            "database": engine, "conversations": total_conversations, "seeded": totals,
            "seed_seconds": round(seed_seconds, 1), "sync_seconds": round(sync_seconds, 1), "pages": timings,
        }, indent=2))
        self.stdout.write(f"report written to {path}")
