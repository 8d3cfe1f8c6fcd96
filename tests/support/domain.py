"""Responses as domain.yml defines them, for the stand-in servers: a stub sends
what the real bot sends, and follows the domain when it changes."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def response_variant(name: str) -> Dict[str, Any]:
    """The first variant of response `name`."""
    return yaml.safe_load(DOMAIN.read_text())["responses"][name][0]


def crisis_lines_payload() -> Dict[str, Any]:
    """The custom payload with the crisis lines (911, 988, SAMHSA) as buttons to call."""
    return response_variant("utter_crisis_helplines")["custom"]
