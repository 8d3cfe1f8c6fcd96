"""Rasa's response generator, with the conversation's language on every reply.

Configured in endpoints.yml (`nlg: type: runtime.language_nlg.LanguageTaggedResponses`),
Rasa's documented extension point for generating responses. Each reply it
generates carries `lang` ("en"/"es") from the conversation's `language` slot,
so the output channels can tell the widget the conversation's language
(connectors/web.py). The variation itself is still chosen by Rasa from the
conditions in domain.yml.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

LANGUAGE_SLOT = "language"


def conversation_language(tracker: DialogueStateTracker) -> Text:
    return "es" if tracker.get_slot(LANGUAGE_SLOT) == "es" else "en"


class LanguageTaggedResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if message is not None:
            message["lang"] = conversation_language(tracker)
        return message
