"""Builds rasa-sdk trackers as plain data, the way the action server receives them."""
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_RESPONSES = Domain.load(str(ROOT / "domain.yml")).responses
DOMAIN = Domain.load(str(ROOT / "domain.yml")).as_dict()
FORM_SLOTS = ["first_name", "contact", "best_time", "for_whom", "consent", "contact_kind"]


def user_event(text: str, intent: str, timestamp: float = 1700000000.0, channel: str = "rest") -> Dict[str, Any]:
    return {
        "event": "user",
        "timestamp": timestamp,
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.99}, "entities": [], "text": text},
        "input_channel": channel,
    }


def tracker(
    text: str = "",
    intent: str = "inform",
    slots: Optional[Dict[str, Any]] = None,
    set_this_turn: Optional[Dict[str, Any]] = None,
    requested_slot: Optional[str] = None,
    form_active: bool = True,
    sender_id: str = "visitor-1",
    timestamp: float = 1700000000.0,
    channel: str = "rest",
) -> Tracker:
    """A tracker whose latest user message is `text`; `set_this_turn` are the
    slots Rasa extracted from it (what the form's validation must check)."""
    values = {slot: None for slot in FORM_SLOTS}
    values.update(slots or {})
    values.update(set_this_turn or {})
    values["requested_slot"] = requested_slot
    latest = user_event(text, intent, timestamp, channel)
    events: List[Dict[str, Any]] = [
        {"event": "action", "name": "action_listen", "timestamp": timestamp - 1},
        latest,
    ] + [{"event": "slot", "name": k, "value": v, "timestamp": timestamp} for k, v in (set_this_turn or {}).items()]
    return Tracker(
        sender_id=sender_id,
        slots=values,
        latest_message={**latest["parse_data"], "text": text},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"} if form_active else {},
        latest_action_name="action_listen",
    )
