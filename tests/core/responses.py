"""Renders domain.yml's responses as Rasa does, for tests that check wording
by response name and variation (the language slot and the others)."""
from typing import Any, Dict

from rasa.core.nlg import TemplatedNaturalLanguageGenerator

from tests.core.trackers import DOMAIN_RESPONSES

_generator = TemplatedNaturalLanguageGenerator(DOMAIN_RESPONSES)


def render(name: str, slots: Dict[str, Any], **values: Any) -> Dict[str, Any]:
    """The reply Rasa sends for response `name` with these slot values."""
    reply = _generator.generate_from_slots(name, {"language": "en", **slots}, "rest", **values)
    assert reply is not None, f"no response {name}"
    return reply
