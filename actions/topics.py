"""The topic table (actions/topics.yml), read once: which intent answers which
topic, the `topic` slot value each leaves, and the answers to follow-ups."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

TABLE_PATH = Path(__file__).resolve().parent / "topics.yml"
FOLLOWUP_KINDS = ("pain", "timing", "safety", "cost", "other_person", "family_history")
FAQ_PREFIX = "faq:"


@dataclass(frozen=True)
class Topic:
    name: str
    label: str
    intents: Dict[str, str]  # intent -> its answer (a response or an action)
    more: Optional[str]
    followups: Dict[str, str] = field(default_factory=dict)
    # The label in Spanish, for a conversation in Spanish ("Did you mean ...").
    label_es: str = ""

    def label_in(self, language: str) -> str:
        return self.label_es if language == "es" and self.label_es else self.label


@dataclass(frozen=True)
class TopicTable:
    topics: List[Topic]
    followup_defaults: Dict[str, str]

    def by_name(self, name: Optional[str]) -> Optional[Topic]:
        return next((topic for topic in self.topics if topic.name == name), None)

    def by_intent(self, intent: str) -> Optional[Topic]:
        return next((topic for topic in self.topics if intent in topic.intents), None)

    def followup_answer(self, topic_name: Optional[str], kind: str) -> str:
        """The answer to a follow-up of `kind` ("more" too) about a topic."""
        topic = self.by_name(topic_name)
        if topic is not None:
            if kind == "more" and topic.more:
                return topic.more
            if kind in topic.followups:
                return topic.followups[kind]
        return self.followup_defaults[kind]

    def intent_label(self, intent: str) -> Optional[str]:
        topic = self.by_intent(intent)
        return topic.label if topic else None


def parse_table(data: dict) -> TopicTable:
    topics = [
        Topic(
            name=entry["topic"],
            label=entry["label"],
            intents=dict(entry.get("intents") or {}),
            more=entry.get("more"),
            followups=dict(entry.get("followups") or {}),
            label_es=entry.get("label_es") or "",
        )
        for entry in data["topics"]
    ]
    return TopicTable(topics=topics, followup_defaults=dict(data["followup_defaults"]))


@lru_cache(maxsize=1)
def topic_table() -> TopicTable:
    return parse_table(yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8")))
