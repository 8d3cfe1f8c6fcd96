"""DIET's ranking averaged with a linear SVM's (components/intent_ensemble.py)."""
import numpy as np
import pytest
import scipy.sparse
import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent_ensemble import LinearIntentEnsemble
from tests.core.test_config import ROOT

# Three intents, each with its own feature column: the SVM learns them exactly.
INTENTS = ["ask_detox", "ask_mat", "greet"]


def message(column, intent=None, ranking=None, text=None):
    row = np.zeros((1, len(INTENTS)))
    row[0, column] = 1.0
    data = {TEXT: text or f"text {column}"}
    if intent:
        data[INTENT] = {"name": intent} if ranking else intent
    if ranking:
        data[INTENT_RANKING_KEY] = [{"name": name, "confidence": c} for name, c in ranking.items()]
    result = Message(data=data)
    result.features = [Features(scipy.sparse.coo_matrix(row), FEATURE_TYPE_SENTENCE, TEXT, "words")]
    return result


@pytest.fixture
def ensemble(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("ensemble")
    component = LinearIntentEnsemble.create({}, storage, resource, ExecutionContext(None))
    examples = [message(i % 3, INTENTS[i % 3], text=f"example {i}") for i in range(60)]
    component.train(TrainingData(examples))
    return component, storage, resource


def test_the_confidence_is_the_average_of_diet_and_the_linear_model(ensemble):
    component, _, _ = ensemble
    diet = {"ask_mat": 0.6, "ask_detox": 0.3, "greet": 0.1}
    turn = message(0, "ask_mat", diet)
    linear = dict(zip(component.model.classes_, component.model.predict_proba(
        scipy.sparse.csr_matrix(turn.features[0].features))[0]))
    assert max(linear, key=linear.get) == "ask_detox"

    component.process([turn])

    expected = {name: 0.5 * diet[name] + 0.5 * linear[name] for name in INTENTS}
    ranking = turn.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == sorted(INTENTS, key=lambda n: -expected[n])
    assert [r["confidence"] for r in ranking] == pytest.approx(sorted(expected.values(), reverse=True))
    assert turn.get(INTENT) == ranking[0]


def test_the_trained_model_is_saved_and_loaded(ensemble):
    component, storage, resource = ensemble
    loaded = LinearIntentEnsemble.load({}, storage, resource, ExecutionContext(None))
    features = scipy.sparse.csr_matrix(np.eye(3))
    assert loaded._linear_probabilities(features) == pytest.approx(component.model.predict_proba(features))


def test_the_direct_arithmetic_gives_scikit_learns_probabilities(ensemble):
    component, _, _ = ensemble
    features = scipy.sparse.csr_matrix(np.random.default_rng(0).random((20, 3)))
    assert component._stacked is not None
    assert component._linear_probabilities(features) == pytest.approx(component.model.predict_proba(features))


def test_a_message_no_classifier_ranked_gets_the_linear_models_probabilities(ensemble):
    component, _, _ = ensemble
    turn = message(1)
    linear = dict(zip(component.model.classes_, component.model.predict_proba(
        scipy.sparse.csr_matrix(turn.features[0].features))[0]))
    component.process([turn])
    ranking = turn.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == sorted(linear, key=lambda n: -linear[n])
    assert [r["confidence"] for r in ranking] == pytest.approx(sorted(linear.values(), reverse=True))
    assert turn.get(INTENT) == ranking[0]


def test_config_has_diet_rank_every_intent_for_the_ensemble():
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    names = [component["name"] for component in pipeline]
    diet = names.index("DIETClassifier")
    assert names[diet + 1] == "components.intent_ensemble.LinearIntentEnsemble"
    # Only the language buttons' sure intent comes between the ensemble and the fallback.
    assert names[diet + 2:diet + 4] == ["components.language.LanguageChoice", "FallbackClassifier"]
    assert pipeline[diet]["ranking_length"] == 0
