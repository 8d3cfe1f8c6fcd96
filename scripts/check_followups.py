"""Runs the held-out follow-up conversations (tests/nlu/heldout_followups.yml)
through the dialogue (model + rules + actions) and checks that the last answer
is about `expect_topic`.

An answer is about the expected topic when it is one of that topic's own
responses (ABOUT below), or one of the answers shared by all topics (the
specialist for that topic, the center's configured answer, the loved-one
answer) while the `topic` slot names the expected topic: those name the
topic or answer the center's question about it.

English conversations are gated; Spanish ones are reported (until data/nlu/es/
and the Spanish responses land, then `--gate-spanish`).
"""
import argparse
import asyncio
import sys

from dialogue import conversation_agent, converse
from heldout_sets import fail_on_leaks, load

# expect_topic -> (the topic's own responses, the `topic` slot value for shared answers)
ABOUT = {
    "detox": ({"utter_detox_pain", "utter_withdrawal_danger", "utter_withdrawal_timing", "utter_more_detox"}, "detox"),
    "withdrawal": ({"utter_withdrawal_pain", "utter_withdrawal_timing", "utter_withdrawal_danger",
                    "utter_more_withdrawal"}, "withdrawal"),
    "methadone": ({"utter_methadone", "utter_medication_safety"}, "methadone"),
    "buprenorphine": ({"utter_buprenorphine", "utter_medication_safety"}, "buprenorphine"),
    "naltrexone": ({"utter_naltrexone", "utter_medication_safety"}, "naltrexone"),
    "mat": ({"utter_more_mat", "utter_medication_safety"}, "mat"),
    "outpatient": ({"utter_more_outpatient"}, "outpatient"),
    "counselling": ({"utter_more_counselling"}, "counselling"),
    "family": (set(), "family"),
    "telehealth": (set(), "telehealth"),
    "naloxone": ({"utter_naloxone", "utter_naloxone_where"}, "naloxone"),
    "genetics": ({"utter_cause_genetics"}, "genetics"),
    "brain": ({"utter_more_brain"}, "brain"),
    "helping": ({"utter_more_loved_one"}, "loved_one"),
    "effects": ({"utter_more_body"}, "body"),
    "fentanyl": ({"utter_more_fentanyl"}, "fentanyl"),
}
SHARED_ANSWERS = {"utter_followup_specialist", "utter_faq_answer", "utter_faq_ask_specialist",
                  "utter_help_loved_one"}


def is_about(expect_topic: str, responses, topic_slot) -> bool:
    own, slot_value = ABOUT[expect_topic]
    if own & set(responses):
        return True
    return topic_slot == slot_value and bool(SHARED_ANSWERS & set(responses))


async def main(model: str, minimum: float, gate_spanish: bool) -> int:
    if fail_on_leaks():
        return 1
    conversations = load("heldout_followups.yml")["conversations"]
    results = {"en": [0, 0], "es": [0, 0]}
    wrong = []
    async with conversation_agent(model) as agent:
        for conversation in conversations:
            texts = [turn["text"] for turn in conversation["turns"]]
            turn = await converse(agent, texts)
            language = conversation.get("language", "en")
            results[language][1] += 1
            if is_about(conversation["expect_topic"], turn.responses, turn.topic):
                results[language][0] += 1
            else:
                wrong.append(f"  [{language}] {' / '.join(texts)!r}: {turn.intent} -> {turn.responses} "
                             f"(topic {turn.topic}), expected about {conversation['expect_topic']}")
    passed = True
    for language, (right, total) in results.items():
        if not total:
            continue
        gated = language == "en" or gate_spanish
        print(f"Follow-up conversations ({language}): {right}/{total} right ({right / total:.1%})"
              + (f", gate {minimum:.0%}" if gated else ", reported only"))
        passed &= not gated or right / total >= minimum
    print("\n".join(wrong))
    return 0 if passed else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("minimum", type=float)
    parser.add_argument("--gate-spanish", action="store_true")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.model, arguments.minimum, arguments.gate_spanish)))
