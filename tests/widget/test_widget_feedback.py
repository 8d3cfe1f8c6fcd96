"""Thumbs up/down on answers (issue 21 §5) against the real stack: the widget's
`feedback` event becomes an `answer_feedback` slot event in the visitor's
tracker (connectors/feedback.py); invalid payloads are refused and store nothing."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sqlite3

import socketio
from playwright.sync_api import expect

from connectors import web_ids
from tests.widget.driver import Widget
from tests.widget.test_widget_stack import ANSWER, QUESTION


def feedback_events(rasa_stack, sender_id: str) -> list:
    with sqlite3.connect(rasa_stack.workdir / "rasa.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id", (sender_id,)
        ).fetchall()
    events = [json.loads(data) for (data,) in rows]
    return [event["value"] for event in events if event.get("name") == "answer_feedback"]


def test_thumbs_are_stored_in_the_visitors_tracker(new_page, site_url, rasa_stack):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)
    answer = page.locator("[data-center-chat] .msg.bot.last").last
    message_id = answer.get_attribute("data-id")
    answer_text = answer.locator(".bubble").text_content()

    down = answer.get_by_role("button", name="Not helpful")
    down.click()
    expect(widget.polite_live).to_contain_text("Thanks for your feedback.")
    expect(down).to_have_attribute("aria-pressed", "true")
    session = widget.session_id()
    stored = feedback_events(rasa_stack, session)
    assert stored == [{"message_id": message_id, "rating": "down", "text": answer_text[:600]}]

    # Changing one's mind adds the new rating; the latest is the one that counts.
    answer.get_by_role("button", name="Helpful", exact=True).click()
    expect(answer.get_by_role("button", name="Helpful", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(widget.polite_live).to_contain_text("Thanks for your feedback.")
    assert [item["rating"] for item in feedback_events(rasa_stack, session)] == ["down", "up"]
    # The rating stays with the conversation in this browser too.
    page.reload()
    widget.open()
    expect(page.locator(f"[data-center-chat] [data-id='{message_id}'] .thumb.up")).to_have_attribute("aria-pressed", "true")


def socket_exchange(url: str, session_id: str | None, payloads: list) -> tuple[list, list]:
    """Emits `payloads` as `feedback` from a socket.io client (in its own thread:
    Playwright's sync API already runs an event loop in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _socket_exchange(url, session_id, payloads)).result(timeout=120)


async def _socket_exchange(url: str, session_id: str | None, payloads: list) -> tuple[list, list]:
    client = socketio.AsyncClient(reconnection=False)
    errors = []
    client.on("feedback_error", lambda data: errors.append(data))
    # Long-polling: this aiohttp's websocket client is older than python-engineio's (one server here).
    await client.connect(url, transports=["polling"], socketio_path="/socket.io/")
    try:
        if session_id:
            confirmed = asyncio.get_running_loop().create_future()
            client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
            await client.emit("session_request", {"session_id": session_id})
            await asyncio.wait_for(confirmed, 20)
        answers = [await client.call("feedback", payload, timeout=20) for payload in payloads]
        await asyncio.sleep(0.3)  # the error events follow the acknowledgements
    finally:
        await client.disconnect()
    return answers, errors


def test_invalid_feedback_is_refused_with_an_error_and_stores_nothing(rasa_stack):
    # A server-signed web id (connectors/web_ids.py): the REST turn and the socket share it.
    session = web_ids.for_label("feedbacktest")
    notice, *_, answer = rasa_stack.texts(session, QUESTION)
    valid = {"message_id": "abc-123", "rating": "up", "text": answer[:600]}
    on_notice = {"message_id": "abc-124", "rating": "down", "text": notice[:600]}
    invalid = [
        "not an object",
        [1, 2],
        {"message_id": "abc-123", "rating": "meh", "text": answer[:100]},
        {"message_id": "abc-123", "rating": "up", "text": 42},
        {"message_id": "<script>", "rating": "up", "text": answer[:100]},
        {"message_id": "abc-123", "rating": "up", "text": "x" * 601},
        {"message_id": "abc-123", "rating": "up", "text": answer[:100], "sender": "someone-else"},
        {"message_id": "abc-123", "rating": "up", "text": "An answer the bot never gave."},
    ]

    # Without a session there is no conversation to attach it to.
    answers, errors = socket_exchange(rasa_stack.rasa_url, None, [valid])
    assert "error" in answers[0] and errors == [answers[0]]

    answers, errors = socket_exchange(rasa_stack.rasa_url, session, invalid + [valid, on_notice])
    for payload, reply in zip(invalid, answers):
        assert set(reply) == {"error"}, (payload, reply)
    assert answers[-2:] == [{"ok": True}, {"ok": True}]
    assert errors == answers[:-2], "each refusal is also sent as a feedback_error event"
    assert feedback_events(rasa_stack, session) == [valid, on_notice]
    # The server is fine afterwards.
    assert rasa_stack.texts(session, "what is detox?")
