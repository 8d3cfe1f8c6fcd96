"""Domain responses for the Rasa-side code that speaks without Rasa's NLG.

The web channel's input checks and the safety net answer before (or instead
of) a turn, so no tracker picks the variation; they name a response of
domain.yml and a language, and this module reads its text there. domain.yml
stays the one home of wording.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml

DOMAIN_PATH = Path(__file__).resolve().parent.parent / "domain.yml"
LANGUAGES = ("en", "es")


@lru_cache(maxsize=1)
def _responses() -> Dict[Text, List[Dict[Text, Any]]]:
    with open(DOMAIN_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def _language_of_variation(variation: Dict[Text, Any]) -> Optional[Text]:
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return condition.get("value")
    return None


def text(name: Text, language: Optional[Text] = "en", **values: Any) -> Text:
    """The text of response `name` in `language` ("en" when it has no variation
    in that language), with its {placeholders} filled from `values`."""
    variations = _responses()[name]
    chosen = next((v for v in variations if _language_of_variation(v) == language), variations[0])
    return chosen["text"].format(**values) if values else chosen["text"]


def texts(name: Text) -> List[Text]:
    """Every variation's text of response `name` (to recognise it in any language)."""
    return [variation["text"] for variation in _responses()[name]]
