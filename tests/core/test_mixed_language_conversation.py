"""A conversation that starts in English, switches to Spanish and back, against
the trained model through Rasa's Agent with the production runtime (runtime.install()
in conftest.py): every reply is named and in the visitor's current language.

The replies are read from the tracker (BotUttered events): the response's name
(utter_action), its `lang` tag from the conversation's slot
(runtime/language_nlg.py), and its text, which must be the variation of that
response written in that language in domain.yml.
"""
import asyncio
import uuid
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from rasa.utils.endpoints import EndpointConfig

from tests.core.trackers import DOMAIN_RESPONSES

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
NLG = EndpointConfig(type="runtime.language_nlg.LanguageTaggedResponses")


def variation_language(variation):
    for condition in variation.get("condition") or []:
        if condition["name"] == "language":
            return condition["value"]
    return "en"


def texts_in(name, language):
    return {v["text"] for v in DOMAIN_RESPONSES[name] if variation_language(v) == language}


@pytest.fixture(scope="module")
def agent():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train`")
    return Agent.load(str(MODEL), generator=NLG)


def say(agent, sender, text):
    """The bot's replies to one message: (response name, lang tag, text)."""
    async def turn():
        before = len((await agent.tracker_store.retrieve(sender) or _Empty()).events)
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
        tracker = await agent.tracker_store.retrieve(sender)
        return [e for e in list(tracker.events)[before:] if isinstance(e, BotUttered)]
    return [(e.metadata.get("utter_action"), e.metadata.get("lang"), e.text) for e in asyncio.run(turn())]


class _Empty:
    events = []


# (visitor's message, the responses expected, the language they must be in)
MIXED = [
    ("hi, what can you tell me about heroin", ["utter_greet"], "en"),
    ("what does withdrawal feel like, my whole body aches", ["utter_withdrawal"], "en"),
    ("perdon, mejor en español. que es el programa ambulatorio de ustedes?", ["utter_outpatient"], "es"),
    ("dime mas", ["utter_more_outpatient"], "es"),
    ("ok", ["utter_what_next"], "es"),
    ("English", ["utter_language_set"], "en"),  # the language button's payload
    ("why do people end up addicted to heroin", ["utter_causes"], "en"),
    ("Español", ["utter_language_set"], "es"),
    ("gracias", ["utter_thank"], "es"),
    ("thanks a lot, that helped me understand", ["utter_thank"], "en"),
]


def test_every_reply_is_in_the_visitors_current_language(agent):
    sender = f"mixed-{uuid.uuid4().hex[:8]}"
    for text, expected, language in MIXED:
        replies = [r for r in say(agent, sender, text) if r[0]]  # the session notice has no response name
        assert [name for name, _, _ in replies] == expected, text
        for name, lang, reply_text in replies:
            assert lang == language, f"{text!r}: {name} tagged {lang}"
            assert reply_text in texts_in(name, language), f"{text!r}: {name} is not its {language} variation"
