"""What the channels read from the assistant's domain at start-up.

1. Forced intents (`/intent{...}`) only from the assistant's own buttons.

Rasa treats any message starting with `/` as a forced intent (with entities and
slots from `{...}`), and logs a `/` message it cannot parse word for word. A
visitor's typed text must be classified, so every channel passes the text
through `as_visitor_text` first: a payload of one of the assistant's own
buttons passes unchanged, anything else loses its leading slashes and is
classified like any other message.

The payloads are read once, at start-up, from the domain's responses and from
the buttons the custom actions send (actions/).

2. The crisis lines (`utter_crisis_helplines`), for the notice a channel sends
itself when a message has nothing the assistant can read (a photo alone).
"""
from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import FrozenSet, Iterable, Optional

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
FORCED_INTENT_PREFIX = "/"
# "payload": "/ask_cost" in the actions' source (they build buttons in code).
ACTION_BUTTON_PAYLOAD = re.compile(r"""["']payload["']\s*:\s*["'](/[^"'\n]+)["']""")


CRISIS_LINES_RESPONSE = "utter_crisis_helplines"
MEDIA_ONLY_NOTICE = "I can only read text, so I couldn't see what you sent. Please type your question."


@functools.lru_cache(maxsize=1)
def _domain():
    from rasa.shared.core.domain import Domain

    # The domain of the project Rasa runs (a file, or a directory if it is ever split).
    path = ROOT / "domain.yml"
    return Domain.load(str(path if path.exists() else ROOT / "domain"))


def _domain_payloads() -> Iterable[str]:
    for variations in _domain().responses.values():
        for variation in variations:
            for button in variation.get("buttons") or []:
                payload = button.get("payload") if isinstance(button, dict) else None
                if isinstance(payload, str):
                    yield payload.strip()


def _action_payloads(actions_dir: Path) -> Iterable[str]:
    for source in sorted(actions_dir.rglob("*.py")):
        yield from (m.strip() for m in ACTION_BUTTON_PAYLOAD.findall(source.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=1)
def button_payloads() -> FrozenSet[str]:
    payloads = set(_domain_payloads()) | set(_action_payloads(ROOT / "actions"))
    forced = frozenset(p for p in payloads if p.startswith(FORCED_INTENT_PREFIX))
    logger.info("%d button payloads may force an intent.", len(forced))
    return forced


def as_visitor_text(text: Optional[str]) -> Optional[str]:
    """The text Rasa should see: an own button's payload, or text to classify."""
    if not isinstance(text, str) or not text.lstrip().startswith(FORCED_INTENT_PREFIX):
        return text
    if text.strip() in button_payloads():
        return text.strip()
    return text.lstrip().lstrip(FORCED_INTENT_PREFIX).lstrip()


def media_only_notice() -> str:
    """What a message without text gets: that the assistant reads text, then the crisis lines."""
    variations = _domain().responses.get(CRISIS_LINES_RESPONSE) or []
    # The first variation without a condition is the default (English) one.
    texts = [v.get("text") for v in variations if v.get("text") and not v.get("condition")]
    texts = texts or [v.get("text") for v in variations if v.get("text")]
    return f"{MEDIA_ONLY_NOTICE} {texts[0]}" if texts else MEDIA_ONLY_NOTICE + " In an emergency call 911; in a crisis call or text 988."
