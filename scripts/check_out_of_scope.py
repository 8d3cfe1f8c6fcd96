"""Runs the everyday requests of tests/nlu/out_of_scope_everyday.yml (banking,
travel, calendars, cooking, shopping...) through the dialogue and reports the
share that gets the honest out-of-scope reply (utter_out_of_scope, and nothing
else: never a topic answer, the form, the specialist's card or the menu).

English is gated; Spanish is reported (until the Spanish data lands, then
`--gate-spanish`). The crisis detector's replies are counted and listed apart:
a crisis reply to an everyday request is wrong too.
"""
import argparse
import asyncio
import sys
from collections import Counter, defaultdict

from dialogue import conversation_agent, converse
from heldout_sets import fail_on_leaks, load

HONEST = ["utter_out_of_scope"]


async def main(model: str, minimum: float, gate_spanish: bool, show: int) -> int:
    if fail_on_leaks():
        return 1
    requests = load("out_of_scope_everyday.yml")["requests"]
    right, total = Counter(), Counter()
    wrong = defaultdict(list)
    answers = defaultdict(Counter)
    async with conversation_agent(model) as agent:
        for request in requests:
            language = request.get("language", "en")
            turn = await converse(agent, [request["text"]])
            total[language] += 1
            if turn.responses == HONEST:
                right[language] += 1
            else:
                answers[language][turn.responses[0] if turn.responses else "(nothing)"] += 1
                wrong[language].append(f"  [{request.get('domain')}] {request['text']!r}: {turn.intent} -> {turn.responses}")
    passed = True
    for language in sorted(total):
        gated = language == "en" or gate_spanish
        share = right[language] / total[language]
        print(f"Everyday out-of-scope requests ({language}): {right[language]}/{total[language]} honest "
              f"({share:.1%})" + (f", gate {minimum:.0%}" if gated else ", reported only"))
        print("    instead: " + ", ".join(f"{name} {count}" for name, count in answers[language].most_common()))
        passed &= not gated or share >= minimum
    for language in sorted(wrong):
        print(f"Not honest ({language}, first {show}):")
        print("\n".join(wrong[language][:show]))
    return 0 if passed else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("minimum", type=float)
    parser.add_argument("--gate-spanish", action="store_true")
    parser.add_argument("--show", type=int, default=200)
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.model, arguments.minimum, arguments.gate_spanish, arguments.show)))
