"""`rasa data validate --fail-on-warnings`, except that a response sent by a
custom action (utter_message(response=...)) needs no rule or story.

Rasa warns about every response no rule or story names; the actions send
theirs by name (all wording lives in domain.yml), so those are taken out of
that one check. Every other check, and every other warning, is Rasa's own.
"""
import re
import sys
import warnings
from pathlib import Path
from typing import Set

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule")


def responses_sent_by_actions() -> Set[str]:
    """Response names the actions (and the topic table they read) send."""
    from actions.medications import MEDICATION_NAMES

    names: Set[str] = {f"utter_{medication}" for medication in MEDICATION_NAMES}
    # Named in code as a string: the actions, and the Rasa-side code that sends a
    # response without a turn (runtime/responses.py's callers in runtime/, connectors/).
    for folder in ("actions", "runtime", "connectors"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            names |= set(re.findall(r"""["'](utter_\w+)["']""", path.read_text(encoding="utf-8")))
    # Not response names: the key of a bot message naming its response, and prefixes ("utter_crisis_").
    names = {name for name in names if name != "utter_action" and not name.endswith("_")}
    names |= set(re.findall(r"\butter_\w+", (ROOT / "actions" / "topics.yml").read_text(encoding="utf-8")))
    # The form's questions, which Rasa's form asks by name (utter_ask_<form>_<slot>).
    import yaml

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    asked = {f"utter_ask_{form}_{slot}" for form, spec in (domain.get("forms") or {}).items()
             for slot in spec.get("required_slots", [])}
    names |= asked & set(domain.get("responses") or {})  # a slot asked by an action has none
    return names


def main() -> int:
    from rasa.cli import utils as cli_utils
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa import validator as rasa_validator
    from rasa.shared.utils.io import raise_warning

    sent_by_actions = responses_sent_by_actions()

    class ProjectValidator(rasa_validator.Validator):
        def verify_utterances_in_stories(self, ignore_warnings: bool = True) -> bool:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                super().verify_utterances_in_stories(ignore_warnings=True)
            everything_is_alright = True
            for warning in caught:
                unused = UNUSED.match(str(warning.message))
                if unused and unused.group(1) in sent_by_actions:
                    continue
                raise_warning(str(warning.message))
                everything_is_alright = ignore_warnings
            return everything_is_alright

    rasa_validator.Validator = ProjectValidator  # validate_files imports it by name
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    cli_utils.validate_files(fail_on_warnings=True, max_history=None, importer=importer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
