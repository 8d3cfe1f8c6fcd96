"""Write corrected intents as Rasa NLU training data (YAML, version 3.1)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from conversations.models import Correction
from conversations.redaction import redact


def nlu_yaml(examples_by_intent: dict) -> str:
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(examples_by_intent):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        for text in examples_by_intent[intent]:
            lines.append(f"    - {text}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Export corrected intents as a Rasa NLU YAML file, ready to review and merge into data/nlu/."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.REPO_ROOT) / "var" / "corrections_nlu.yml"))
        parser.add_argument(
            "--include-personal", action="store_true",
            help="keep examples that contain names, phone numbers or emails (skipped by default: "
                 "training data ends up in git)",
        )

    def handle(self, *args, output, include_personal, **options):
        examples_by_intent, seen, skipped = {}, set(), 0
        for correction in Correction.objects.order_by("corrected_intent", "created_at"):
            # One line per example: the YAML list item and Rasa's parser both need it.
            text = " ".join(correction.text.split())
            if not text or (correction.corrected_intent, text.lower()) in seen:
                continue
            if not include_personal and redact(text) != text:
                skipped += 1
                continue
            seen.add((correction.corrected_intent, text.lower()))
            examples_by_intent.setdefault(correction.corrected_intent, []).append(text)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nlu_yaml(examples_by_intent))
        count = sum(len(v) for v in examples_by_intent.values())
        self.stdout.write(f"wrote {count} example(s) for {len(examples_by_intent)} intent(s) to {path}")
        if skipped:
            self.stderr.write(f"skipped {skipped} example(s) containing personal details (--include-personal keeps them)")
