from django.core.management.base import BaseCommand

from conversations.sync import sync_conversations


class Command(BaseCommand):
    help = "Fold new rows of Rasa's events table into the console's conversation summaries."

    def add_arguments(self, parser):
        parser.add_argument("--max-events", type=int, default=None, help="stop after this many event rows")

    def handle(self, *args, max_events=None, **options):
        read = sync_conversations(max_events=max_events)
        self.stdout.write(f"read {read} event rows")
