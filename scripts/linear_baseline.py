"""A yardstick for DIET: linear classifiers on the same kind of features.

    .venv/bin/python scripts/linear_baseline.py

5-fold cross-validated weighted intent F1 of scikit-learn models on the
word-lemma (1-2 grams, min_df 2) and character (char_wb 3-5) counts that
config.yml gives DIET, without the regex features and the crisis guard. If a
linear model scores well above `make nlu-report`, the features are not what
limits the understanding; DIET's training is. Not part of `make test`.
"""
from __future__ import annotations

import numpy as np
import spacy
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC

from nlu_examples import ROOT, intent_examples


def features(char_min_df: int, char_max_features: int | None):
    return make_union(
        CountVectorizer(ngram_range=(1, 2), min_df=2, token_pattern=r"(?u)\b\w+\b"),
        CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=char_min_df, max_features=char_max_features),
    )


def main() -> None:
    intents, texts = zip(*intent_examples())
    nlp = spacy.load(ROOT / "build" / "spacy" / "en_center_lookup")
    lemmas = np.array([" ".join(token.lemma_.lower() for token in nlp(text)) for text in texts], dtype=object)
    labels = np.array(intents)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for model_name, model in [
        ("logistic regression C=10", LogisticRegression(C=10, max_iter=3000)),
        ("linear SVM C=0.5", LinearSVC(C=0.5)),
        ("linear SVM C=0.1", LinearSVC(C=0.1)),
    ]:
        for features_name, (min_df, max_features) in [("as config.yml", (3, 6000)), ("char min_df 2, no cap", (2, None))]:
            predicted = cross_val_predict(make_pipeline(features(min_df, max_features), model), lemmas, labels, cv=folds)
            score = f1_score(labels, predicted, average="weighted")
            print(f"{model_name:26} features {features_name:22} weighted F1 {score:.3f}", flush=True)


if __name__ == "__main__":
    main()
