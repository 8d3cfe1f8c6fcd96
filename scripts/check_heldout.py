"""Measures the trained model on tests/nlu/heldout_questions.yml (never trained on).

Fails first when a held-out question also appears in data/nlu (compared in
lowercase without punctuation): a question the model was trained on would
make the score a test of memory.

An out-of-scope question also counts as right when the model falls back
(nlu_fallback): both get "this is what I can help with", never a guessed topic.
"""
import asyncio
import logging
import re
import sys

import structlog
import yaml

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
from rasa.core.agent import Agent  # noqa: E402  (after quieting Rasa's logs)

from nlu_examples import ROOT, intent_examples  # noqa: E402


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", "", text.lower()).split())


def training_examples() -> set:
    return {normalised(text) for _, text in intent_examples()}


async def main(model: str, minimum: float) -> int:
    questions = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout_questions.yml").read_text())["questions"]
    leaked = [q["text"] for q in questions if normalised(q["text"]) in training_examples()]
    if leaked:
        print("Held-out questions that are also training examples (remove them from data/nlu):")
        print("\n".join(f"  {text!r}" for text in leaked))
        return 1
    agent = Agent.load(model)
    wrong = []
    for question in questions:
        parsed = await agent.parse_message(question["text"])
        got = parsed["intent"]["name"]
        if got != question["intent"] and not (question["intent"] == "out_of_scope" and got == "nlu_fallback"):
            wrong.append(f"  {question['text']!r}: {got}, expected {question['intent']}")
    right = len(questions) - len(wrong)
    print(f"Held-out visitor questions: {right}/{len(questions)} right ({right / len(questions):.1%})")
    print("\n".join(wrong))
    return 0 if right / len(questions) >= minimum else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], float(sys.argv[2]))))
