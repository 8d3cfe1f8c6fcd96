"""Every new conversation opens with the not-medical-advice notice, sent by Rasa itself.

Rasa's own session start (no carried-over slots, as domain.yml's session_config
says) runs in the Rasa server; the notice is added to its events here. Before,
a custom action on the action server sent it: each new conversation cost a
round trip there, and with the action server down the notice needed a fallback
path of its own. The safety net (runtime/safety_net.py) holds the notice back
behind a crisis reply.
"""
from __future__ import annotations

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.events import BotUttered

from runtime import responses

NOTICE = "utter_session_notice"

_rasa_session_start = ActionSessionStart.run


async def _session_start_with_notice(self: ActionSessionStart, output_channel, nlg, tracker, domain):
    # A new session starts in English (the slot's initial value); the safety net
    # sends the notice in the language of the turn's first reply.
    return [BotUttered(responses.text(NOTICE, "en"))] + await _rasa_session_start(
        self, output_channel, nlg, tracker, domain
    )


def install() -> None:
    """Opens every new conversation with the notice (runtime.install() calls this)."""
    if ActionSessionStart.run is not _session_start_with_notice:
        ActionSessionStart.run = _session_start_with_notice
