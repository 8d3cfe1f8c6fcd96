"""LanguageDetector: tells English from Spanish for every message.

It adds an entity `language` ("en" or "es") when the message says enough to
tell; the slot `language` (domain.yml) is filled from that entity and kept for
the conversation, and responses have a Spanish variation conditioned on it.
Very short messages ("ok", "si", a name, a number) add nothing, so they keep
the conversation's language; a few one-word openers that only one language
uses ("hola", "gracias") do switch.

lingua-language-detector restricted to the two languages, with its models
preloaded at start-up (about 0.3 s); a message takes well under a millisecond.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from lingua import Language, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

ENTITY = "language"
ENGLISH, SPANISH = "en", "es"
_CODES = {Language.ENGLISH: ENGLISH, Language.SPANISH: SPANISH}

# One-word messages that settle the language by themselves.
ONE_WORD = {
    "hola": SPANISH, "gracias": SPANISH, "buenas": SPANISH, "ayuda": SPANISH,
    "espanol": SPANISH, "español": SPANISH, "adios": SPANISH, "adiós": SPANISH,
    "hello": ENGLISH, "thanks": ENGLISH, "english": ENGLISH, "ingles": ENGLISH, "inglés": ENGLISH,
}
_WORD = re.compile(r"[^\W\d_]+")

_detector = None


def detector():
    """One detector per process, built on first use (its models are shared)."""
    global _detector
    if _detector is None:
        _detector = (
            LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
            .with_preloaded_language_models()
            .build()
        )
    return _detector


def language_of(text: Text, min_confidence: float = 0.6, min_words: int = 2) -> Optional[Text]:
    """"en", "es", or None when the text is too short or too mixed to tell."""
    words = _WORD.findall(text.lower())
    if len(words) == 1 and words[0] in ONE_WORD:
        return ONE_WORD[words[0]]
    if len(words) < min_words:
        return None
    best = detector().compute_language_confidence_values(text)[0]
    return _CODES[best.language] if best.value >= min_confidence else None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Adds the `language` entity when a message's language is clear."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_confidence": 0.6, "min_words": 2}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.min_confidence = config["min_confidence"]
        self.min_words = config["min_words"]
        detector()  # load the models at start-up, not on the first visitor's message

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button's payload: its own entities decide
            language = language_of(text, self.min_confidence, self.min_words)
            if language is not None:
                mark_language(message, language, type(self).__name__)
        return messages


def mark_language(message: Message, language: Text, extractor: Text) -> None:
    """Sets the message's `language` entity (the slot follows it), replacing any other."""
    text = message.get(TEXT) or ""
    entity = {"entity": ENTITY, "value": language, "start": 0, "end": len(text), "extractor": extractor}
    entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
    message.set(ENTITIES, entities + [entity], add_to_output=True)


# What the English / Español buttons send (domain.yml), and a visitor typing the same.
LANGUAGE_NAMES = {"english", "ingles", "in english", "espanol", "en espanol", "spanish", "in spanish"}
SET_LANGUAGE = "set_language"


def names_a_language(text: Text) -> bool:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(_WORD.findall(plain)) in LANGUAGE_NAMES


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class LanguageChoice(GraphComponent):
    """A message that is only a language's name (a button) is set_language for sure:
    one word is too little for the classifier, which once took "English" for a fallback.
    Place it after the intent classifiers and before FallbackClassifier."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageChoice":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not names_a_language(message.get(TEXT) or ""):
                continue
            chosen = {"name": SET_LANGUAGE, "confidence": 1.0}
            others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SET_LANGUAGE]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen] + others, add_to_output=True)
        return messages
