"""components/lookup_patterns.py: lookup tables as tries give the sentence features of
Rasa's RegexFeaturizer, the only regex features the classifiers read."""
import random

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from components.lookup_patterns import TrieRegexFeaturizer, trie_pattern
from tests.core.test_config import ROOT

CONFIG = {**RegexFeaturizer.get_default_config(), "case_sensitive": False, "use_word_boundaries": True}


@pytest.mark.parametrize("text,found", [
    ("ana", "ana"), ("anabel", "anabel"), ("an", None), ("annie", None), ("bo", "bo"), ("x.y", "x.y"), ("xzy", None),
])
def test_a_trie_matches_exactly_its_entries(text, found):
    import re

    pattern = re.compile(rf"^(?:{trie_pattern(['ana', 'anabel', 'andrea', 'bo', 'x.y'])})$")
    match = pattern.match(text)
    assert (match.group(0) if match else None) == found


def trained(cls, data, tmp_path, name):
    storage = LocalModelStorage(tmp_path)
    featurizer = cls.create(CONFIG, storage, Resource(name), ExecutionContext(node_name=name, graph_schema=None))
    featurizer.train(data)
    return featurizer


def features(featurizer, texts):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={"text": text}) for text in texts]
    tokenizer.process(messages)
    featurizer.process(messages)
    rows = []
    for message in messages:
        sequence, sentence = message.get_sparse_features("text")
        rows.append((sequence.features.toarray(), sentence.features.toarray()))
    return rows


def test_the_training_datas_messages_get_the_same_features_as_with_rasas_featurizer(tmp_path):
    data = load_data(str(ROOT / "data" / "nlu"))
    assert len(data.lookup_tables) >= 10
    texts = [example.get("text") for example in data.intent_examples]
    sample = random.Random(0).sample(texts, 600) + ["my name is Ana and my number is 555 0100", "anabel", "heroine"]
    rasa, ours = trained(RegexFeaturizer, data, tmp_path, "rasa"), trained(TrieRegexFeaturizer, data, tmp_path, "ours")
    assert [p["name"] for p in ours.known_patterns] == [p["name"] for p in rasa.known_patterns]
    assert sum(p["pattern"] != q["pattern"] for p, q in zip(ours.known_patterns, rasa.known_patterns)) >= 10
    theirs, mine = features(rasa, sample), features(ours, sample)
    for text, (rasa_rows, our_rows) in zip(sample, zip(theirs, mine)):
        assert np.array_equal(rasa_rows[1], our_rows[1]), text
    # Something matched, or the comparison would prove nothing.
    assert sum(row[1].sum() for row in mine) > 100


def test_token_level_regex_features_are_dropped_before_the_classifiers():
    """Where they differ (the longest entry marked rather than the first listed), nothing reads them."""
    import yaml

    names = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    featurizer = names.index("components.lookup_patterns.TrieRegexFeaturizer")
    dropper = names.index("components.sentence_features.SentenceFeaturesOnly")
    assert featurizer < dropper < names.index("DIETClassifier")
    assert "RegexFeaturizer" not in names and "CRFEntityExtractor" not in names
