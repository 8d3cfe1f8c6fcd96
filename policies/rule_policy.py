"""Rasa's RulePolicy, with the rules that apply to a state remembered.

RulePolicy checks every rule against each state of the conversation, twice per
prediction (about 18% of a turn under cProfile). Whether a rule applies at a
given distance back depends only on that one state, so the set of rules that
apply is remembered per (distance, state); a prediction intersects those sets,
and stops at the length of the longest rule, past which every rule applies.
States repeat across visitors (an intent after an action), not whole
conversations, so this helps any conversation, not only repeated ones. The
predictions are Rasa's (tests/core/test_rasa_speedups.py compares them).

config.yml names it as `policies.rule_policy.RulePolicy`. It keeps Rasa's class
name on purpose: Rasa names the policy's graph node, the `policy` of every
ActionExecuted event and its "predicted from a rule" check after the class
name ("policy_0_RulePolicy"), so transcripts and `rasa test` stay the same.
"""
from __future__ import annotations

import warnings
from typing import Any, Dict, FrozenSet, List, Set, Text, Tuple

from rasa.core.policies import rule_policy as rasa_rule_policy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain

# Rasa's recipe validator looks for RulePolicy by identity (`uses == RulePolicy`),
# so a subclass makes it warn that no RulePolicy is configured. This one is.
warnings.filterwarnings("ignore", message="'RulePolicy' is not included in the model's policy configuration")


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


class _ApplicableRules:
    """Which rules of one lookup table apply at a distance back, per state.

    A rule's applicability reads only the state's features that some rule names,
    and whether the state has a previous action, so the state is keyed by those
    alone: the text of a message, which no rule here names, never becomes a key.
    """

    MAX_ENTRIES = 20_000  # distinct (distance, state) pairs; states come from the domain

    def __init__(self, policy: rasa_rule_policy.RulePolicy, lookup: Dict[Text, Text]) -> None:
        self.lookup = lookup
        self.keys = frozenset(lookup)
        rule_states = [policy._rule_key_to_state(key) for key in lookup]
        self.longest = max((len(states) for states in rule_states), default=0)
        self.named = {(kind, feature) for states in rule_states for state in states
                      for kind, features in state.items() for feature in features}
        self.by_state: Dict[Tuple, FrozenSet[Text]] = {}

    def at(self, policy: rasa_rule_policy.RulePolicy, distance: int, state: Dict) -> FrozenSet[Text]:
        key = (distance, bool(state.get(PREVIOUS_ACTION)), tuple(sorted(
            (kind, feature, _hashable(value)) for kind, features in state.items()
            for feature, value in features.items() if (kind, feature) in self.named)))
        found = self.by_state.get(key)
        if found is None:
            if len(self.by_state) >= self.MAX_ENTRIES:
                self.by_state.clear()
            found = self.by_state[key] = frozenset(
                rule for rule in self.keys if policy._is_rule_applicable(rule, distance, state))
        return found


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RulePolicy(rasa_rule_policy.RulePolicy):
    """Rasa's RulePolicy; `_get_possible_keys` remembers per state."""

    def train(self, training_trackers: List[Any], domain: Domain, **kwargs: Any) -> Resource:
        # Rasa's validator runs this check only for its own class (by identity).
        self.raise_if_incompatible_with_domain(self.config, domain)
        return super().train(training_trackers, domain, **kwargs)

    def _get_possible_keys(self, lookup: Dict[Text, Text], states: List[Dict]) -> Set[Text]:
        tables = self.__dict__.setdefault("_applicable_rules", {})
        table = tables.get(id(lookup))
        # The table holds its lookup, so the id stays that lookup's while it is kept.
        if table is None or table.keys != lookup.keys():
            table = tables[id(lookup)] = _ApplicableRules(self, lookup)  # new or retrained
        possible = table.keys
        for distance, state in enumerate(reversed(states)):
            if distance >= table.longest or not possible:
                break  # further back every rule applies; or none is left
            possible = possible & table.at(self, distance, state)
        return set(possible)
