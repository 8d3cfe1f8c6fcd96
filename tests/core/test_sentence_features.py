"""DIET gets the sentence-level features only (components/sentence_features.py)."""
import numpy as np
import scipy.sparse
import yaml
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_features import SentenceFeaturesOnly
from tests.core.test_config import ROOT


def featurized_message(text="is withdrawal dangerous"):
    tokens = len(text.split())
    message = Message(data={TEXT: text, INTENT: "withdrawal"})
    message.features = [
        Features(scipy.sparse.coo_matrix(np.ones((tokens, 7))), FEATURE_TYPE_SEQUENCE, TEXT, "words"),
        Features(scipy.sparse.coo_matrix(np.ones((1, 7))), FEATURE_TYPE_SENTENCE, TEXT, "words"),
        Features(np.ones((tokens, 3)), FEATURE_TYPE_SEQUENCE, TEXT, "regex"),
        Features(np.ones((1, 3)), FEATURE_TYPE_SENTENCE, TEXT, "regex"),
        Features(np.ones((1, 2)), FEATURE_TYPE_SEQUENCE, INTENT, "labels"),
    ]
    return message


def summary(message):
    return sorted(
        (f.attribute, f.type, f.origin if isinstance(f.origin, str) else "+".join(f.origin),
         f.features.shape, float(f.features.sum()))
        for f in message.features
    )


EXPECTED = sorted([
    (TEXT, FEATURE_TYPE_SENTENCE, "words", (1, 7), 7.0),
    (TEXT, FEATURE_TYPE_SENTENCE, "regex", (1, 3), 3.0),
    (INTENT, FEATURE_TYPE_SEQUENCE, "labels", (1, 2), 2.0),
    (TEXT, FEATURE_TYPE_SEQUENCE, "SentenceFeaturesOnly", (1, 1), 0.0),
])


def test_token_level_text_features_give_way_to_one_constant_token():
    message = featurized_message()
    SentenceFeaturesOnly().process([message])
    assert summary(message) == EXPECTED


def test_training_data_is_treated_like_messages_at_runtime():
    message = featurized_message()
    SentenceFeaturesOnly().process_training_data(TrainingData([message]))
    assert summary(message) == EXPECTED


def test_a_message_without_text_is_left_alone():
    message = Message(data={INTENT: "greet"})
    message.features = [Features(np.ones((1, 2)), FEATURE_TYPE_SENTENCE, INTENT, "labels")]
    SentenceFeaturesOnly().process([message])
    assert [(f.attribute, f.type) for f in message.features] == [(INTENT, FEATURE_TYPE_SENTENCE)]


def test_it_is_used_only_where_diet_reads_the_sentence_vector_alone():
    # With transformer layers or entity recognition the token-level features
    # matter, and dropping them would cost accuracy.
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    names = [component["name"] for component in pipeline]
    position = names.index("components.sentence_features.SentenceFeaturesOnly")
    assert names[position + 1] == "DIETClassifier"
    assert all("Featurizer" not in name for name in names[position + 1:])
    diet = pipeline[position + 1]
    assert diet["number_of_transformer_layers"] == 0
    assert diet["entity_recognition"] is False


def test_sparse_sentence_vectors_are_joined_into_the_vector_diet_built_from_them():
    message = Message(data={TEXT: "been dopesick since yesterday"})
    message.features = [
        Features(scipy.sparse.coo_matrix(np.ones((4, 4))), FEATURE_TYPE_SEQUENCE, TEXT, "words"),
        Features(scipy.sparse.coo_matrix(np.array([[0, 2, 0, 1]])), FEATURE_TYPE_SENTENCE, TEXT, "words"),
        Features(scipy.sparse.coo_matrix(np.array([[1, 0, 3]])), FEATURE_TYPE_SENTENCE, TEXT, "chars"),
        Features(np.array([[0.5, 0.25]]), FEATURE_TYPE_SENTENCE, TEXT, "dense"),
        Features(scipy.sparse.coo_matrix(np.array([[0, 1]])), FEATURE_TYPE_SENTENCE, TEXT, "regex"),
    ]
    _, rasas_join = message.get_sparse_features(TEXT)  # what DIET and the ensemble read before
    SentenceFeaturesOnly().process([message])
    assert [(f.type, f.origin, f.is_sparse()) for f in message.features if f.type == FEATURE_TYPE_SENTENCE] == [
        (FEATURE_TYPE_SENTENCE, "SentenceFeaturesOnly", True), (FEATURE_TYPE_SENTENCE, "dense", False)]
    _, joined = message.get_sparse_features(TEXT)
    assert joined.features.toarray().tolist() == rasas_join.features.toarray().tolist() == [[0, 2, 0, 1, 1, 0, 3, 0, 1]]
    _, dense = message.get_dense_features(TEXT)
    assert dense.features.tolist() == [[0.5, 0.25]]
