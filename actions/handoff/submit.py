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
from actions.contact import utter_contact_card, visitor_language
from actions.handoff import alerts, store
from actions.handoff.form import clear_handoff_slots

logger = logging.getLogger(__name__)

# Background alert deliveries; kept referenced so they are not garbage-collected.
_alert_tasks: Set[asyncio.Task] = set()


def _confirming_turn(tracker: Tracker) -> str:
    """Identifies the user turn that completed the form; a retried call sees the same one."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("timestamp"))
    return ""


def _start_alert(request_id: int) -> None:
    settings = alerts.AlertSettings.current()

    async def run() -> None:
        try:
            await alerts.alert_staff(request_id, settings)
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
        center, language = get_center(), visitor_language(tracker)
        if tracker.get_slot("consent") is not True:
            dispatcher.utter_message(response="utter_handoff_no_consent")
            utter_contact_card(dispatcher, center, language, "utter_specialist_contact")
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
            language=language,
        )
        try:
            request_id, created = await asyncio.to_thread(
                store.save_request, request, request.key(_confirming_turn(tracker))
            )
            reference = await asyncio.to_thread(store.reference_of, request_id)
        except Exception as error:
            logger.error("could not store a hand-off request: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_store_failed")
            utter_contact_card(dispatcher, center, language, "utter_specialist_contact")
            return clear_handoff_slots()

        if created:
            logger.info("hand-off request %s stored", request_id)
            _start_alert(request_id)
        saved = {
            "greeting_name": "" if request.first_name == "anonymous" else f", {request.first_name}",
            "reference": reference,
        }
        closing = center.closing_time_text()
        if closing:
            dispatcher.utter_message(response="utter_handoff_saved_open", closes_at=closing, **saved)
        else:
            dispatcher.utter_message(
                response="utter_handoff_saved_closed", next_opening=center.next_opening_text(language=language), **saved
            )
        if language == "es" and not center.spanish_staff:
            dispatcher.utter_message(response="utter_handoff_no_spanish_staff")
        utter_contact_card(dispatcher, center, language, "utter_rather_not_wait")
        return clear_handoff_slots() + [SlotSet("handoff_reference", reference)]
