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
        parser.add_argument("--output", default=None,
                            help="default var/corrections_nlu.yml (var/corrections_nlu_es.yml with --language es)")
        parser.add_argument(
            "--language", choices=[code for code, _ in Correction.LANGUAGES],
            help="only corrections of messages in this language (the bot's language slot); default: all",
        )
        parser.add_argument(
            "--include-personal", action="store_true",
            help="keep examples that contain names, phone numbers or emails (skipped by default: "
                 "training data ends up in git)",
        )

    def handle(self, *args, output, include_personal, language=None, **options):
        examples_by_intent, seen, skipped = {}, set(), 0
        corrections = Correction.objects.order_by("corrected_intent", "created_at")
        if language:
            corrections = corrections.filter(language=language)
        for correction in corrections:
            # One line per example: the YAML list item and Rasa's parser both need it.
            text = " ".join(correction.text.split())
            if not text or (correction.corrected_intent, text.lower()) in seen:
                continue
            if not include_personal and redact(text) != text:
                skipped += 1
                continue
            seen.add((correction.corrected_intent, text.lower()))
            examples_by_intent.setdefault(correction.corrected_intent, []).append(text)
        path = Path(output or Path(settings.REPO_ROOT) / "var" /
                    (f"corrections_nlu_{language}.yml" if language else "corrections_nlu.yml"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nlu_yaml(examples_by_intent))
        count = sum(len(v) for v in examples_by_intent.values())
        which = f" in {dict(Correction.LANGUAGES)[language]}" if language else ""
        self.stdout.write(f"wrote {count} example(s){which} for {len(examples_by_intent)} intent(s) to {path}")
        if skipped:
            self.stderr.write(f"skipped {skipped} example(s) containing personal details (--include-personal keeps them)")
