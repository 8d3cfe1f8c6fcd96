"""Measures the trained model on tests/nlu/heldout_spanish.yml and the Spanish halves of
the later writers' sets (heldout_sets.LATER_WRITERS; never trained on).

Like check_heldout.py, it fails first when a held-out message also appears in
the training data (scripts/heldout_sets.py: compared without accents, so "daña"
and "dana" count as the same message).

A message is right when the model gives its intent (an out-of-scope message
may also fall back). A form answer is right only when, in addition, the form
reads the detail the set expects: the same functions the action server uses
(actions/handoff/details.py) turn "para mi hijo" into loved_one and a number
read out in Spanish words into the phone number.

    python scripts/check_heldout_spanish.py MODEL MINIMUM [--show-right]
"""
import asyncio
import logging
import sys
from typing import Optional

import structlog
import yaml

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
from rasa.core.agent import Agent  # noqa: E402  (after quieting Rasa's logs)

from heldout_sets import fail_on_leaks, later_writers  # noqa: E402
from nlu_examples import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))
from actions.handoff import details  # noqa: E402

HELDOUT = ROOT / "tests" / "nlu" / "heldout_spanish.yml"


def detail_problem(text: str, slot: str) -> Optional[str]:
    """None when the form reads `text` as the set's expected `slot=value`, else what it read."""
    name, _, expected = slot.partition("=")
    if name == "for_whom":
        got = details.read_for_whom(text)
    elif name == "first_name":
        got = details.read_first_name(text)
    elif name == "contact":
        contact = details.read_contact(text)
        got = contact.value if contact else None
        if contact and contact.kind == "phone" and got.endswith(expected) and len(expected) == 10:
            return None
    elif name == "best_time":
        # The form keeps a short time as written (actions/handoff/form.py).
        got = text if 2 <= len(text) <= 120 and not details.looks_like_contact(text) else None
    else:  # consent: decided by the intent alone (affirm/deny)
        return None
    return None if got == expected else f"read {name}={got!r}"


async def main(model: str, minimum: float, show_right: bool = False) -> int:
    questions = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["questions"]
    questions += later_writers("es")
    if fail_on_leaks():
        return 1
    agent = Agent.load(model)
    wrong = []
    by_kind = {}
    for question in questions:
        parsed = await agent.parse_message(question["text"])
        got = parsed["intent"]["name"]
        problem = None
        if got != question["intent"] and not (question["intent"] == "out_of_scope" and got == "nlu_fallback"):
            problem = f"{got}, expected {question['intent']}"
        elif question.get("slot"):
            problem = detail_problem(question["text"], question["slot"])
        kind = by_kind.setdefault(question.get("kind", ""), [0, 0])
        kind[1] += 1
        if problem:
            wrong.append(f"  {question['text']!r}: {problem}")
        else:
            kind[0] += 1
    right = len(questions) - len(wrong)
    print(f"Spanish held-out messages: {right}/{len(questions)} right ({right / len(questions):.1%})")
    print("  by kind: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in sorted(by_kind.items())))
    print("\n".join(wrong))
    return 0 if right / len(questions) >= minimum else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], float(sys.argv[2]), "--show-right" in sys.argv[3:])))
