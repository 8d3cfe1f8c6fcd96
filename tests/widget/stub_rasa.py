"""Test-only stand-in for Rasa's socketio channel (NOT used for the real-stack tests).

Speaks the same protocol as rasa/core/channels/socketio.py with
session_persistence: session_request joins the session's room and is answered
with session_confirm; user_uttered is acknowledged after the turn, and replies
go to the room as bot_uttered. It exists for what the real bot never
says (markup in a message), for a switch of language on a chosen word (the
real server's `lang` field, connectors/web.py, follows its language detection)
and for stopping the server while a visitor types.

    python tests/widget/stub_rasa.py PORT
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import socketio
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.domain import crisis_lines_payload  # noqa: E402

XSS_TEXT = (
    'Look: <img src=x onerror="window.__xssFired=1"> and <script>window.__xssFired=2</script> '
    "and [click me](javascript:window.__xssFired=3) and javascript:window.__xssFired=4 "
    "and http://insecure.example.org and https://findtreatment.gov/ and 1-800-662-4357."
)

CRISIS = crisis_lines_payload()
# With the server's id for the message, as connectors/web.py sends every part.
LATE_REPLY = {"text": "A reply after the turn.", "id": "5f0c2a9e41b84d7e9a3c6b2d1e0f4a87"}


def replies_for(message: str) -> list[dict]:
    # The `lang` field of bot_uttered, as connectors/web.py sends it, on cue.
    if "hola" in message:
        return [{"text": "¡Hola! ¿En qué le puedo ayudar?", "lang": "es"}]
    if "english" in message:
        return [{"text": "Hello again. What would you like to know?", "lang": "en"}]
    if "xss" in message:
        return [{"text": XSS_TEXT}]
    if "crisis" in message:
        return [{"text": "Call 911 now."}, CRISIS]
    return [{"text": f"Stub reply to: {message}"}]


def create_app() -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    sio.attach(app)

    @sio.on("session_request")
    async def session_request(sid, data):
        session_id = (data or {}).get("session_id")
        await sio.enter_room(sid, session_id)
        await sio.emit("session_confirm", session_id, room=sid)

    async def after_the_turn(room):
        await asyncio.sleep(0.5)
        await sio.emit("bot_uttered", LATE_REPLY, room=room)

    @sio.on("user_uttered")
    async def user_uttered(sid, data):
        await asyncio.sleep(0.3)  # room for the typing indicator
        message = str(data.get("message", ""))
        if "late" in message:
            # Arrives after the turn is acknowledged: no tab has a turn open, so every tab records it.
            asyncio.ensure_future(after_the_turn(data["session_id"]))
            return
        for reply in replies_for(message):
            await sio.emit("bot_uttered", reply, room=data["session_id"])

    return app


if __name__ == "__main__":
    port = int(sys.argv[1])
    web.run_app(create_app(), host="127.0.0.1", port=port, shutdown_timeout=0.5, print=lambda *_: print(f"stub ready on {port}", flush=True))
