"""Runs whole conversations through the trained model and the real custom actions,
in one process, for the runners that judge what the assistant answers (not
only which intent it read): check_followups.py and check_out_of_scope.py.

The actions run in-process behind a local HTTP endpoint, as the action
server would run them, so Rasa's own remote-action path is what is measured.
"""
from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import AsyncIterator, List, Optional

import structlog

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
from aiohttp import web  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.core.events import BotUttered, UserUttered  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402
from rasa_sdk.executor import ActionExecutor  # noqa: E402

from tests.support.action_server import stand_in_action_server  # noqa: E402


@dataclass
class Turn:
    intent: Optional[str]
    responses: List[str]  # names of the responses the assistant sent for the last message
    topic: Optional[str]  # the `topic` slot afterwards


@contextlib.asynccontextmanager
async def in_process_actions() -> AsyncIterator[str]:
    """The custom actions (package `actions`) on a free local port; yields the webhook URL."""
    executor = ActionExecutor()
    executor.register_package("actions")

    async def webhook(request: web.Request) -> web.Response:
        result = await executor.run(await request.json())
        return web.json_response(result or {"events": [], "responses": []})

    # Trackers of long conversations exceed aiohttp's default 1 MB body limit.
    async with stand_in_action_server(webhook, client_max_size=8 * 1024 * 1024) as url:
        yield url


@contextlib.asynccontextmanager
async def conversation_agent(model: str) -> AsyncIterator[Agent]:
    """The trained model with the production runtime and the real actions."""
    import runtime

    runtime.install()
    async with in_process_actions() as url:
        yield Agent.load(model, action_endpoint=EndpointConfig(url=url))


async def converse(agent: Agent, texts: List[str]) -> Turn:
    """Sends `texts` as one new visitor; what came back for the last of them."""
    sender = f"runner-{uuid.uuid4().hex}"
    for text in texts:
        await agent.handle_text(text, sender_id=sender)
    tracker = await agent.tracker_store.retrieve(sender)
    events = list(tracker.events)
    last_user = max(i for i, event in enumerate(events) if isinstance(event, UserUttered))
    responses = [
        (event.metadata or {}).get("utter_action") or "(text sent without a response name)"
        for event in events[last_user + 1:] if isinstance(event, BotUttered)
    ]
    return Turn(intent=events[last_user].intent_name, responses=responses, topic=tracker.get_slot("topic"))
