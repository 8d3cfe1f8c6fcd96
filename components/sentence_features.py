"""SentenceFeaturesOnly: hand DIET the sentence-level features alone.

DIET here runs without a transformer (`number_of_transformer_layers: 0`) and
without entity recognition, so its intent prediction reads only the
sentence-level vector; the token-level (sequence) features that the
featurizers also produce are embedded for every token and then never used.
Dropping them before DIET gives it the same information at less cost, in
training and in every turn. Place it after the last featurizer.

The sparse sentence-level vectors (word and character counts, regex
matches) are also joined here into one, in the featurizers' order: DIET and
the ensemble after it each joined them again for every message, and the
join through scipy's hstack cost about as much as the SVM itself. The joined
vector is the one they built: same columns, same values (DIET's `featurizers`
option, which picks features by origin, is left at its default, all).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class SentenceFeaturesOnly(GraphComponent):
    """Removes the text's token-level features, keeping the sentence-level ones (joined)."""

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
        sentence = [feature for feature in message.features
                    if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE]
        sparse = [feature for feature in sentence if feature.is_sparse()]
        if len(sparse) > 1:
            sparse = [joined_sentence_features(sparse)]
        message.features = [feature for feature in message.features if feature.attribute != TEXT]
        message.features += sparse + [feature for feature in sentence if not feature.is_sparse()]
        # DIET's input layer insists on some token-level features: one constant
        # token stands in, and it adds nothing to the sentence vector.
        message.features.append(
            Features(np.zeros((1, 1)), FEATURE_TYPE_SEQUENCE, TEXT, SentenceFeaturesOnly.__name__)
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._drop_sequence_features(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._drop_sequence_features(message)
        return messages


def joined_sentence_features(features: List[Features]) -> Features:
    """One-row sparse features side by side, as scipy.sparse.hstack would put them."""
    matrices = [feature.features.tocoo() for feature in features]
    offsets = np.cumsum([0] + [matrix.shape[1] for matrix in matrices])
    joined = scipy.sparse.coo_matrix(
        (np.concatenate([matrix.data for matrix in matrices]),
         (np.concatenate([matrix.row for matrix in matrices]),
          np.concatenate([matrix.col + offset for matrix, offset in zip(matrices, offsets)]))),
        shape=(1, int(offsets[-1])),
    )
    return Features(joined, FEATURE_TYPE_SENTENCE, TEXT, SentenceFeaturesOnly.__name__)
