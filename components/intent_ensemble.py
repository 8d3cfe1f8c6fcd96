"""LinearIntentEnsemble: DIET's intent ranking averaged with a linear model's.

On this much data (about 5,400 examples, no pretrained word vectors) a linear
SVM on the same sentence features scores as well as DIET in cross-validation
(`scripts/linear_baseline.py`), and the two get different messages wrong.
Averaging their probabilities keeps what each gets right. The SVM trains in
seconds on the features the pipeline has already computed.

Place it after DIETClassifier (with `ranking_length: 0`, so that DIET ranks
every intent) and before FallbackClassifier, which then reads the averaged
confidence.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)

# What the saved model may contain (skops refuses to load anything else).
TRUSTED_TYPES = [
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.svm._classes.LinearSVC",
    "numpy.str_",
]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentEnsemble(IntentClassifier, GraphComponent):
    """Averages the intent probabilities of the classifier before it with a linear SVM's."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # The SVM's regularisation: 0.1 scored best in scripts/linear_baseline.py.
            "C": 0.1,
            # The SVM's share of the averaged confidence.
            "linear_weight": 0.5,
            "random_seed": 42,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[CalibratedClassifierCV] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        self._stacked = self._stack(model) if model is not None else None

    @staticmethod
    def _stack(model: CalibratedClassifierCV):
        """The calibrated SVMs' weights and sigmoids as arrays, for `_linear_probabilities`.

        scikit-learn's predict_proba takes 0.7 to 0.9 ms for one message (input
        checks, a label encoder fitted on every call), a tenth of a whole turn;
        the same arithmetic on these arrays costs a few microseconds.
        """
        parts = model.calibrated_classifiers_
        # scikit-learn 1.1 (Rasa 3.6's pin) names the SVM base_estimator, later ones estimator.
        svms = [getattr(part, "estimator", None) or part.base_estimator for part in parts]
        if len(model.classes_) < 3 or any(list(svm.classes_) != list(model.classes_) for svm in svms):
            return None  # binary, or a class missing from a calibration fold: scikit-learn's own path
        return (
            np.vstack([svm.coef_ for svm in svms]).T,
            np.stack([svm.intercept_ for svm in svms]),
            np.array([[c.a_ for c in part.calibrators] for part in parts]),
            np.array([[c.b_ for c in part.calibrators] for part in parts]),
        )

    def _linear_probabilities(self, features: csr_matrix) -> np.ndarray:
        """What `self.model.predict_proba(features)` returns, computed directly."""
        if self._stacked is None:
            return self.model.predict_proba(features)
        weights, intercepts, slopes, offsets = self._stacked
        parts, classes = intercepts.shape
        margins = np.asarray(features @ weights).reshape(-1, parts, classes) + intercepts
        probabilities = expit(-(slopes * margins + offsets))
        totals = probabilities.sum(axis=2, keepdims=True)
        probabilities = np.divide(
            probabilities, totals, out=np.full_like(probabilities, 1 / classes), where=totals != 0
        )
        return probabilities.mean(axis=1)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentEnsemble":
        return cls(config, model_storage, resource)

    @staticmethod
    def _sentence_features(messages: List[Message]) -> csr_matrix:
        rows = []
        for message in messages:
            _, sentence = message.get_sparse_features(TEXT)
            rows.append(csr_matrix(sentence.features))
        return vstack(rows).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if not examples:
            return self._resource
        labels = [m.get(INTENT) for m in examples]
        fewest = min(Counter(labels).values())
        if fewest < 2:
            raise ValueError("LinearIntentEnsemble needs at least 2 examples of every intent.")
        svm = LinearSVC(C=self.config["C"], random_state=self.config["random_seed"], dual=True, max_iter=5000)
        # Sigmoid calibration, fitted on held-back folds, turns the SVM's margins
        # into probabilities that can be averaged with DIET's.
        self.model = CalibratedClassifierCV(svm, method="sigmoid", cv=min(3, fewest))
        self.model.fit(self._sentence_features(examples), np.array(labels))
        self._stacked = self._stack(self.model)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        scored = [m for m in messages if m.get(TEXT)]
        if self.model is None or not scored:
            return messages
        probabilities = self._linear_probabilities(self._sentence_features(scored))
        for message, linear in zip(scored, probabilities):
            earlier = message.get(INTENT_RANKING_KEY) or []
            # With no classifier before it (or none that ranked this message), the SVM decides alone.
            weight = self.config["linear_weight"] if earlier else 1.0
            averaged = dict.fromkeys(self.model.classes_, 0.0)
            for ranked in earlier:
                averaged[ranked["name"]] = (1 - weight) * ranked["confidence"]
            for name, probability in zip(self.model.classes_, linear):
                averaged[name] += weight * float(probability)
            ranking = sorted(
                ({"name": name, "confidence": confidence} for name, confidence in averaged.items()),
                key=lambda ranked: -ranked["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:LABEL_RANKING_LENGTH], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.model, directory / "linear_intent_model.skops")

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentEnsemble":
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                model = sio.load(directory / "linear_intent_model.skops", trusted=TRUSTED_TYPES)
        except ValueError:
            logger.warning("No linear intent model in the trained model: using DIET's ranking alone.")
            model = None
        return cls(config, model_storage, resource, model)
