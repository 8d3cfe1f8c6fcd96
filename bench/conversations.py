"""The fixed conversation mix sent to every bot (ours and Rasa's starter bot).

The same texts go to both bots, so both do the same amount of NLU work per
turn. The mix is what a website visitor typically does: a greeting, a few
topic questions with a follow-up, chit-chat, asking for a person, goodbye.
"""
from typing import List

CONVERSATIONS: List[List[str]] = [
    ["hi", "what is heroin withdrawal like", "tell me more", "thanks", "bye"],
    ["hello", "my son is using heroin, how can I help him", "what treatment do you offer",
     "what is medical detox", "thank you"],
    ["why do people get hooked on heroin", "does it run in families",
     "what does heroin do to the brain", "goodbye"],
    ["hey", "what is medication assisted treatment", "do you offer counselling",
     "am I talking to a bot", "bye"],
    ["good morning", "what will the weather be tomorrow", "what does years of use do to the body",
     "I want to talk to someone", "thanks"],
    ["hi there", "what is tolerance", "is your program outpatient", "great, thank you"],
]


def turns_per_conversation() -> float:
    return sum(len(c) for c in CONVERSATIONS) / len(CONVERSATIONS)
