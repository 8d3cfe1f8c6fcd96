"""CrisisGuard: the NLU safety net that makes crisis replies come first.

The classifier is trained on crisis messages, but a frightened visitor may
phrase an emergency in a way no training example covers. This component runs
after the classifiers and
  * forces the crisis intent when the text matches a crisis pattern, and
  * leans towards crisis when the classifier is unsure, ranked a crisis
    intent close to the top, and the message has a word of danger in it
    (without that word, short replies such as "i think so" drew the crisis
    reply in cross-validation).
Suicidal wording is checked before overdose wording: "I want to overdose"
needs the 988 reply.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Pattern, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

SUICIDAL = "crisis_suicidal"
OVERDOSE = "crisis_overdose"
FALLBACK = "nlu_fallback"

_SELF = r"(?:my ?self|him ?self|her ?self|them ?selves|them ?self)"
SUICIDAL_PATTERNS = [
    r"\bsuicid",
    rf"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting)\s+{_SELF}",
    r"\bself[- ]?harm",
    r"\b(?:want|wanna|going|gonna|ready|wish|plan|planning|trying)\s+(?:to\s+)?"
    r"(?:die|be dead|end it|end it all|end my life|not wake up|disappear forever)\b",
    r"\bend(?:ing)?\s+(?:my|his|her|their)\s+(?:own\s+)?life\b",
    r"\b(?:don'?t|do not|dont|doesn'?t|does not)\s+want\s+to\s+(?:live|be alive|be here|wake up|exist)\b",
    r"\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|go on|going on)\b",
    r"\bbetter off\s+(?:dead|without me)\b",
    r"\bwish\s+(?:i|he|she)\s+(?:was|were)\s+dead\b",
    r"\b(?:overdose|od)\s+on purpose\b",
    r"\bnever wake up\b",
    r"\bcan'?t go on\b",
    r"\bkms\b",
    r"\bunalive\b",
    r"\bhot ?shot\b",
    rf"\b(?:hang|hanging|shoot|shooting)\s+{_SELF}",
    r"\bjump(?:ing)?\s+(?:off|in front of)\b",
    r"\b(?:drive|driving|crash|crashing|steer|steering)\s+(?:my|the|his|her)\s+car\s+(?:into|off)\b",
    r"\bgiv(?:e|ing) away (?:all )?(?:of )?(?:my|his|her) (?:things|stuff|belongings)\b",
    r"\bhate (?:my|his|her) (?:own )?life\b",
    r"\bwants? it (?:all )?(?:to be )?over\b",
    r"\b(?:my|this is the) last message\b",
    r"\bto not wake up\b",
    r"\bnothing (?:left )?to live for\b",
    r"\bcan'?t keep (?:living|going)\b",
    r"\bgoodbye (?:letter|note)s?\b",
    r"\b(?:standing )?on (?:a|the) (?:bridge|ledge|roof)\b",
    r"\b(?:take|taking|swallow|swallowing)\s+all\s+(?:of\s+)?(?:my|his|her|the)\s+pills\b",
    r"\b(?:saving|saved|stockpiling|hoarding)\s+(?:up\s+)?(?:my\s+|his\s+|her\s+)?(?:pills|meds|dope|bags)\b",
    r"\buntil (?:my|his|her) heart stops\b",
    r"\band (?:not|never) (?:wake up|come back)\b",
    r"\b(?:wants?|wanting|wanted|talking about|talks about|going)\s+to\s+(?:die|kill (?:him|her|them)self)\b",
]
OVERDOSE_PATTERNS = [
    r"\bover ?dos(?:e|ed|es|ing)\b",
    r"\bo\.?d(?:'d|'?ed|'?ing)\b",  # od'd, oded, od'ing; not "odd"
    r"\b(?:not|isn'?t|isnt|stopped|barely|hardly|can'?t|cant|trouble|struggling)\s+breath(?:e|ing|in)?\b",
    r"\b(?:won'?t|wont|will not|can'?t|cant|cannot|couldn'?t|not|isn'?t|isnt)\s+"
    r"(?:wake|waking|wakin|come to|coming to|respond|responding)\b",
    r"\bunresponsive\b",
    r"\bunconscious\b",
    r"\bturning (?:blue|purple|grey|gray)\b",
    r"\b(?:lips|skin|face|fingers|fingertips|nails)\s+(?:are|is|look|looks|turned|went|gone)?\s*(?:blue|purple)\b",
    r"\bblue lips\b",
    r"\bpinpoint pupils\b",
    r"\bgurgl",
    r"\btook (?:way )?too (?:much|many)\b",
    r"(?<!veins are )(?<!veins )\bcollapsed\b(?!\s+veins?)",  # not the long-term "collapsed veins"
    r"\bpassed out\b",
    r"\b(?:is|he's|she's|they're|i'm|im|am)\s+dying\b",
    r"\bemergency\b",
    r"\bod\b",
    r"\b(?:gave|give|giving|used|need|needs)\s+(?:him|her|them|me)?\s*(?:some\s+)?(?:narcan|naloxone)\b",
    r"\bno pulse\b",
    r"\bnot moving\b",
    r"\bfoaming\b",
    r"\b(?:gone|went|is|he's|she's)\s+limp\b",
    r"\b(?:weak|faint|slow) pulse\b",
    r"\bpulse is (?:really |very |so )?(?:weak|faint|slow)\b",
    r"\bheart is (?:slowing|stopping)\b",
    r"\b(?:i'?m|im|he'?s|she'?s|is)\s+fading\b",
    r"\btook (?:a lot |way |much )?more than (?:usual|normal|i usually do)\b",
    # Using, then falling: "he hit the fent and went down".
    r"\b(?:shot up|used|hit|took|snorted|smoked|injected)\b.{0,40}\b(?:fell over|fell down|went down|dropped)\b",
    # Asking for naloxone in a hurry.
    r"\b(?:narcan|naloxone)\b.{0,40}\b(?:right now|needs? it|hurry|asap|quick)\b",
]


# Words that make an unsure prediction worth the crisis reply.
DANGER_WORDS = re.compile(
    r"\b(?:die|dies|dying|died|dead|death|live|living|alive|life|breath\w*|wake|waking|kill\w*|hurt\w*|harm\w*|"
    r"pills|overdos\w*|od|unresponsive|fading|bridge|narcan|naloxone|911|heart|end|ending|suicid\w*|fell|"
    r"collaps\w*|blue|gone|goodbye letters?|last)\b",
    re.IGNORECASE,
)


def _compile(patterns: List[Text]) -> List[Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


_SUICIDAL = _compile(SUICIDAL_PATTERNS)
_OVERDOSE = _compile(OVERDOSE_PATTERNS)


def crisis_intent_for(text: Text) -> Optional[Text]:
    """The crisis intent the wording alone calls for, or None."""
    normalised = text.replace("\u2019", "'")
    if any(p.search(normalised) for p in _SUICIDAL):
        return SUICIDAL
    if any(p.search(normalised) for p in _OVERDOSE):
        return OVERDOSE
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisGuard(GraphComponent):
    """Overrides the predicted intent with a crisis intent when in doubt."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # A crisis intent ranked at least this high wins when the top
            # prediction is unsure (below `unsure_below` or a fallback).
            "lean_threshold": 0.15,
            "unsure_below": 0.6,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.lean_threshold = config["lean_threshold"]
        self.unsure_below = config["unsure_below"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            crisis = crisis_intent_for(message.get(TEXT) or "")
            if crisis is None:
                crisis = self._lean_towards_crisis(message)
            if crisis is not None:
                self._set_intent(message, crisis)
        return messages

    def _lean_towards_crisis(self, message: Message) -> Optional[Text]:
        intent = message.get(INTENT) or {}
        if intent.get("name") in (SUICIDAL, OVERDOSE):
            return None
        unsure = (
            intent.get("name") == FALLBACK
            or (intent.get("confidence") or 0.0) < self.unsure_below
        )
        if not unsure or not DANGER_WORDS.search(message.get(TEXT) or ""):
            return None
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            if ranked.get("name") in (SUICIDAL, OVERDOSE) and (
                ranked.get("confidence") or 0.0
            ) >= self.lean_threshold:
                return ranked["name"]
        return None

    @staticmethod
    def _set_intent(message: Message, crisis: Text) -> None:
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != crisis
        ]
        message.set(INTENT, {"name": crisis, "confidence": 1.0}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [{"name": crisis, "confidence": 1.0}] + ranking,
            add_to_output=True,
        )
