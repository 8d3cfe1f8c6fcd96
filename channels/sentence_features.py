"""SentenceFeaturesOnly: hand DIET the sentence-level features alone.

DIET here runs without a transformer (`number_of_transformer_layers: 0`) and
without entity recognition, so its intent prediction reads only the
sentence-level vector; the token-level (sequence) features that the
featurizers also produce are embedded for every token and then never used.
Dropping them before DIET gives it the same information at less cost, in
training and in every turn. Place it after the last featurizer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class SentenceFeaturesOnly(GraphComponent):
    """Removes the text's token-level features, keeping the sentence-level ones."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceFeaturesOnly":
        return cls()

    @staticmethod
    def _drop_sequence_features(message: Message) -> None:
        if not message.get(TEXT):
            return
        message.features = [
            feature
            for feature in message.features
            if not (feature.attribute == TEXT and feature.type == FEATURE_TYPE_SEQUENCE)
        ]
        # DIET's input layer insists on some token-level features: one constant
        # token stands in, and it adds nothing to the sentence vector.
        message.features.append(
            Features(np.zeros((1, 1)), FEATURE_TYPE_SEQUENCE, TEXT, "SentenceFeaturesOnly")
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._drop_sequence_features(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._drop_sequence_features(message)
        return messages
