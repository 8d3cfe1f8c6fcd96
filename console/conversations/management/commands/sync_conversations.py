from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conversations.sync import sync_conversations, sync_forever


class Command(BaseCommand):
    help = ("Fold new rows of Rasa's events table into the console's conversation summaries, in short "
            "batches. With --every, keep doing it (the console's background process in deploy/Procfile).")

    def add_arguments(self, parser):
        parser.add_argument("--max-events", type=int, default=None, help="stop after this many event rows")
        parser.add_argument("--every", type=float, nargs="?", const=settings.SYNC_INTERVAL_SECONDS, default=None,
                            metavar="SECONDS",
                            help="run a pass every SECONDS (default CONSOLE_SYNC_INTERVAL_SECONDS) until stopped")

    def handle(self, *args, max_events=None, every=None, **options):
        if every is not None:
            if every <= 0 or max_events is not None:
                raise CommandError("--every takes a positive number of seconds, and no --max-events")
            self.stdout.write(f"folding new events every {every:g}s (Ctrl-C stops)")
            try:
                sync_forever(every)
            except KeyboardInterrupt:
                pass
            return
        read = sync_conversations(max_events=max_events)
        self.stdout.write(f"read {read} event rows")
