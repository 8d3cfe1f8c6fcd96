"""action_handoff_to_specialist: records a consented request and alerts staff."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.center import get_center
from actions.contact import contact_text, utter_contact_card
from actions.handoff import alerts, store
from actions.handoff.form import clear_handoff_slots
from actions.messages import HANDOFF_NO_CONSENT, STORE_FAILED

logger = logging.getLogger(__name__)

# Background alert deliveries; kept referenced so they are not garbage-collected.
_alert_tasks: Set[asyncio.Task] = set()


def _confirming_turn(tracker: Tracker) -> str:
    """Identifies the user turn that completed the form; a retried call sees the same one."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("timestamp"))
    return ""


def _start_alert(request_id: int, channel: str, for_whom: str) -> None:
    settings = alerts.AlertSettings.current()

    async def run() -> None:
        try:
            await alerts.alert_staff(request_id, channel, for_whom, settings)
            await alerts.retry_failed_alerts(settings)
        except Exception:  # a database hiccup here must not surface to the visitor
            logger.exception("hand-off alert bookkeeping for request %s failed", request_id)

    task = asyncio.get_running_loop().create_task(run())
    _alert_tasks.add(task)
    task.add_done_callback(_alert_tasks.discard)


class ActionHandoffToSpecialist(Action):
    def name(self) -> Text:
        return "action_handoff_to_specialist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        center = get_center()
        if tracker.get_slot("consent") is not True:
            dispatcher.utter_message(text=HANDOFF_NO_CONSENT)
            utter_contact_card(dispatcher, center, contact_text(center))
            return clear_handoff_slots()

        request = store.HandoffRequest(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "unknown",
            first_name=tracker.get_slot("first_name") or "anonymous",
            contact_kind=tracker.get_slot("contact_kind"),
            contact=tracker.get_slot("contact"),
            best_time=tracker.get_slot("best_time"),
            for_whom=tracker.get_slot("for_whom"),
            consent_at=datetime.now(timezone.utc).replace(tzinfo=None),
        )
        try:
            request_id, created = await asyncio.to_thread(
                store.save_request, request, request.key(_confirming_turn(tracker))
            )
            reference = await asyncio.to_thread(store.reference_of, request_id)
        except Exception as error:
            logger.error("could not store a hand-off request: %s", type(error).__name__)
            dispatcher.utter_message(text=STORE_FAILED)
            utter_contact_card(dispatcher, center, contact_text(center))
            return clear_handoff_slots()

        if created:
            logger.info("hand-off request %s stored", request_id)
            _start_alert(request_id, request.channel, request.for_whom)
        name = "" if request.first_name == "anonymous" else f", {request.first_name}"
        how = "call" if request.contact_kind == "phone" else "email"
        dispatcher.utter_message(
            text=(
                f"Thank you{name}. Your request is saved (reference #{reference}). "
                f"A specialist will {how} you {center.when_we_will_call()}."
            )
        )
        utter_contact_card(
            dispatcher,
            center,
            f"If you'd rather not wait, call {center.number_and_hours()}. "
            "In an emergency, call 911.",
        )
        return clear_handoff_slots() + [SlotSet("handoff_reference", reference)]
