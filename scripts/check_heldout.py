"""Measures the trained model on the held-out visitor questions (never trained on):
tests/nlu/heldout_questions.yml (the page's topics) and
tests/nlu/heldout_beyond_the_page.yml (the center, fentanyl and naloxone,
medications, timing, feelings) and the English halves of
the later writers' sets (heldout_sets.LATER_WRITERS), reported by kind
and gated together.

Fails first when any held-out message also appears in data/ (heldout_sets.py).

An out-of-scope question also counts as right when the model falls back
(nlu_fallback): both get the honest out-of-scope reply, never a guessed topic.
The old set was labelled before some intents were split (timing and danger
out of ask_withdrawal, the named medications out of ask_mat, the center's hours,
place and start out of request_specialist): for it, the new intent counts too.
"""
import asyncio
import logging
import sys
from collections import defaultdict

import structlog

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
from rasa.core.agent import Agent  # noqa: E402  (after quieting Rasa's logs)

from heldout_sets import fail_on_leaks, later_writers, load  # noqa: E402

# Old-set label -> the intents split out of it since, which count as right too.
SPLIT_SINCE_OLD_SET = {
    "ask_withdrawal": {"ask_withdrawal_timing", "ask_withdrawal_danger"},
    "ask_mat": {"ask_medications"},
    "request_specialist": {"faq_start", "faq_schedule", "faq_location"},
}


def is_right(expected: str, got: str, old_set: bool) -> bool:
    if got == expected or (expected == "out_of_scope" and got == "nlu_fallback"):
        return True
    return old_set and got in SPLIT_SINCE_OLD_SET.get(expected, set())


async def main(model: str, minimum: float) -> int:
    if fail_on_leaks():
        return 1
    questions = [dict(q, kind="page (old set)", old=True) for q in load("heldout_questions.yml")["questions"]]
    questions += [dict(q, kind=q.get("kind", "other"), old=False) for q in load("heldout_beyond_the_page.yml")["questions"]]
    questions += [dict(q, old=False) for q in later_writers("en")]
    agent = Agent.load(model)
    wrong, totals, rights = [], defaultdict(int), defaultdict(int)
    for question in questions:
        parsed = await agent.parse_message(question["text"])
        got = parsed["intent"]["name"]
        totals[question["kind"]] += 1
        if is_right(question["intent"], got, question["old"]):
            rights[question["kind"]] += 1
        else:
            wrong.append(f"  [{question['kind']}] {question['text']!r}: {got}, expected {question['intent']}")
    for kind in totals:
        print(f"  {kind:<20} {rights[kind]:>4}/{totals[kind]:<4} ({rights[kind] / totals[kind]:.1%})")
    right, total = sum(rights.values()), sum(totals.values())
    print(f"Held-out visitor questions: {right}/{total} right ({right / total:.1%}; gate {minimum:.0%})")
    print("\n".join(wrong))
    return 0 if right / total >= minimum else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], float(sys.argv[2]))))
