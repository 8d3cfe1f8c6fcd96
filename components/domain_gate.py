"""DomainGate: an unsure guess at a topic, for a message with no word of the
assistant's domain, becomes out_of_scope.

Everyday requests ("is costco open on memorial day", "how much do movers cost",
"phone number for the dmv") share words like "open", "cost" and "phone" with the
center's questions, and the intent classifier, which has only this project's
examples to go on, guesses a topic for them with low confidence or falls back.
The domain is written down already: the topic vocabulary of the lookup tables
(data/nlu/lookups.yml) that the RegexFeaturizer uses. A message that names none
of it (no drug, treatment, feeling, family member or the center) and that the
classifier is unsure about is not a topic question.

Topic and hand-off intents (and a fallback whose best guess is one) are
gated, except a guess at the center's own questions that the classifier gives
out_of_scope almost no chance of (`center_out_of_scope_below`), and so are
short-talk intents (hello, yes, no, stop) in a message of
four words or more ("skip to the next track" is no "no"), except a thank or a
goodbye that opens with its own word and asks nothing ("thx that helps a lot"). A form answer, a
feeling or a follow-up carries no topic word by nature and is never gated.
Only English is gated until the lookup tables hold Spanish domain words
(`languages`). Place it after FallbackClassifier and before
the crisis detector, which still decides any crisis. Per turn it costs one set
lookup per token.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import rasa.shared.utils.io

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
WORDS_FILE = "domain_words.json"
WORD = re.compile(r"[a-z0-9ñáéíóúü']+")


def words_of(text: str) -> List[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DomainGate(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Lookup tables whose words mark a message as inside the domain.
            "domain_lookups": [],
            # Guesses at these intents (prefixes) are gated...
            "gated_intents": ["ask_", "faq_", "request_specialist", "request_callback", FALLBACK],
            # ...when their confidence is below this.
            "unsure_below": 0.6,
            # Languages whose domain words the lookup tables hold (the `language`
            # entity of components/language.py); other messages are not gated.
            "languages": ["en"],
            # Short-talk intents ("yes", "stop", "bye") are gated too, unsure or
            # fallen back, once a message is this long: "skip to the next track"
            # is no "no" (everyday requests fall back to these for want of a topic).
            "small_talk_intents": ["greet", "goodbye", "thank", "affirm", "deny", "tell_me_more",
                                   "stop", "bot_challenge", "set_language"],
            "small_talk_min_words": 4,
            # ...unless it opens with the intent's own word and asks nothing: "thx that
            # helps a lot" is a thank at any length; "thanks, can you set an alarm?" is gated.
            "small_talk_openings": {
                "thank": r"^(?:thx|thanks|thank you|thank u|thankyou|ty|tysm|many thanks|appreciate it|gracias|mil gracias)\b",
                "goodbye": r"^(?:bye|goodbye|good bye|ok bye|gotta go|got to go|adios|nos vemos)\b",
            },
            # The center's own questions ("can i start today", "can i talk to a real person")
            # name no topic by nature: an unsure guess at one of these is kept when the
            # classifier gives out_of_scope less than this (it is torn between the center's
            # intents, not between the center and the world).
            "center_intents": ["faq_", "request_specialist", "request_callback"],
            "center_out_of_scope_below": 0.1,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 words: Optional[Set[str]] = None) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.words: Set[str] = words or set()
        self.phrases: List[List[str]] = []
        self._split_phrases()

    def _split_phrases(self) -> None:
        self.phrases = [phrase.split() for phrase in self.words if " " in phrase]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "DomainGate":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        wanted = set(self.config["domain_lookups"])
        found = {table["name"] for table in training_data.lookup_tables}
        missing = wanted - found
        if missing:
            raise ValueError(f"DomainGate: no lookup tables named {sorted(missing)} in the training data")
        self.words = {" ".join(words_of(element)) for table in training_data.lookup_tables
                      if table["name"] in wanted for element in table["elements"]} - {""}
        self._split_phrases()
        with self.model_storage.write_to(self.resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(directory / WORDS_FILE, sorted(self.words))
        return self.resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DomainGate":
        try:
            with model_storage.read_from(resource) as directory:
                words = set(rasa.shared.utils.io.read_json_file(directory / WORDS_FILE))
        except ValueError:
            words = set()
        return cls(config, model_storage, resource, words)

    def in_domain(self, text: str) -> bool:
        tokens = words_of(text)
        if any(token in self.words for token in tokens):
            return True
        joined = f" {' '.join(tokens)} "
        return any(f" {' '.join(phrase)} " in joined for phrase in self.phrases)

    @staticmethod
    def _matches(name: Text, patterns: List[Text]) -> bool:
        return any(name == p or (p.endswith("_") and name.startswith(p)) for p in patterns)

    def _is_gated_intent(self, name: Text) -> bool:
        return self._matches(name, self.config["gated_intents"])

    def _is_center_question(self, message: Message, name: Text) -> bool:
        if not self._matches(name, self.config["center_intents"]):
            return False
        out_of_scope = next((r.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for r in message.get(INTENT_RANKING_KEY) or []
                             if r.get(INTENT_NAME_KEY) == OUT_OF_SCOPE), 0.0)
        return out_of_scope < self.config["center_out_of_scope_below"]

    def _is_small_talk(self, name: Text, text: Text) -> bool:
        if name not in self.config["small_talk_intents"] or len(words_of(text)) < self.config["small_talk_min_words"]:
            return False
        opening = self.config["small_talk_openings"].get(name)
        return not (opening and "?" not in text and re.search(opening, " ".join(words_of(text))))

    def _gated(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY) or ""
        text = message.get(TEXT) or ""
        if not (self._is_gated_intent(name) or self._is_small_talk(name, text)):
            return False
        languages = [e.get("value") for e in message.get(ENTITIES) or [] if e.get("entity") == "language"]
        if any(language not in self.config["languages"] for language in languages):
            return False
        if name == FALLBACK:
            # A fallback whose best guess is a follow-up, a feeling or a form
            # answer is left to the fallback's own handling.
            ranked = [r.get(INTENT_NAME_KEY) for r in message.get(INTENT_RANKING_KEY) or []
                      if r.get(INTENT_NAME_KEY) != FALLBACK]
            return not ranked or self._is_gated_intent(ranked[0]) or self._is_small_talk(ranked[0], text)
        if self._is_center_question(message, name):
            return False
        return (intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < self.config["unsure_below"]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if self._gated(message) and not self.in_domain(message.get(TEXT) or ""):
                message.set(INTENT, {INTENT_NAME_KEY: OUT_OF_SCOPE,
                                     PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY)},
                            add_to_output=True)
        return messages
