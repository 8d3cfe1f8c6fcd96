"""TrieRegexFeaturizer: Rasa's RegexFeaturizer, with each lookup table compiled as a trie.

Rasa turns a lookup table into one alternation, `(\\bana\\b|\\bandrea\\b|...)`, and
Python's `re` tries every entry at every position of the message: with the
first-names and topic tables (thousands of entries) that was about 50 s of
every training run and a few milliseconds of every turn. The same entries as
a trie, `(\\b(?:an(?:a|drea)|...)\\b)`, match wherever the alternation matches
(the engine backtracks through the trie as through the alternation), so every
message gets the same sentence-level features; only the search is shorter.
Token-level marks can differ where one entry is the start of another ("risk",
"risk factors"): the trie marks the longer one. Nothing here reads those:
SentenceFeaturesOnly drops token-level features before the classifiers.
tests/core/test_lookup_patterns.py compares the two on the training data.

Regexes written in the data (phone numbers, emails) are left as Rasa builds them.
"""
from __future__ import annotations

import re
import warnings
from typing import Dict, Iterable, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.training_data.training_data import TrainingData


# Rasa's recipe validator looks for the RegexFeaturizer class itself, not a subclass, and
# would warn at every training that the lookup tables are unused: they are used, here.
warnings.filterwarnings("ignore", message=r"(?s).*does not include a featurizer or an entity extractor using the lookup table")


def trie_pattern(elements: Iterable[Text]) -> Text:
    """One regex matching exactly the given strings, prefix-factored."""
    trie: Dict = {}
    for element in elements:
        node = trie
        for character in element:
            node = node.setdefault(character, {})
        node[""] = {}  # an entry ends here
    return _branches(trie)


def _branches(node: Dict) -> Text:
    branches = [re.escape(character) + _branches(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # an entry ends here and longer ones go on
        body = f"(?:{body})?"
    return body


def lookup_pattern(table: Dict, use_word_boundaries: bool) -> Text:
    elements = table["elements"]
    if not isinstance(elements, list):
        elements = pattern_utils.read_lookup_table_file(elements)
    body = trie_pattern(elements)
    return f"(\\b(?:{body})\\b)" if use_word_boundaries else f"((?:{body}))"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True
)
class TrieRegexFeaturizer(RegexFeaturizer):
    """RegexFeaturizer whose lookup-table patterns are tries (same sentence features, faster)."""

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        tables = {table["name"]: table for table in training_data.lookup_tables}
        if self._config["use_lookup_tables"]:
            self.known_patterns = self._with_tries(self.known_patterns, tables)
            self._persist()
        return resource

    def _with_tries(self, patterns: List[Dict[Text, Text]], tables: Dict[Text, Dict]) -> List[Dict[Text, Text]]:
        boundaries = self._config["use_word_boundaries"]
        # A regex of the data and a lookup table may share a name: only the table's pattern is replaced.
        table_patterns = {name: pattern_utils._generate_lookup_regex(table, boundaries) for name, table in tables.items()}
        return [
            {**pattern, "pattern": lookup_pattern(tables[pattern["name"]], boundaries)}
            if table_patterns.get(pattern["name"]) == pattern["pattern"] else pattern
            for pattern in patterns
        ]
