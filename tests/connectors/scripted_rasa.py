"""A real Sanic server with the messaging connectors, loaded from a credentials
file exactly as `rasa run` loads them, and a scripted agent instead of a model.

It lets tests drive turns a trained model would rarely produce on cue (buttons
plus crisis in one turn, a contact card, a very long answer) through the real
webhook -> verification -> Rasa connector -> reply path.

    python tests/connectors/scripted_rasa.py --credentials FILE --port N
"""
import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rasa.core.channels.channel import UserMessage, register  # noqa: E402
from rasa.core.run import create_http_input_channels  # noqa: E402
from sanic import Sanic, response  # noqa: E402

from tests.support.domain import crisis_lines_payload  # noqa: E402

CRISIS_TEXT = (
    "If someone is not breathing or won't wake up, call 911 now. Give naloxone (Narcan) if you "
    "have it, and stay with them until help arrives. If you are thinking about ending your life, "
    "call or text 988. You can reach the SAMHSA National Helpline at 1-800-662-4357, free and "
    "confidential, 24/7."
)
CRISIS_PAYLOAD = crisis_lines_payload()
CONTACT_CARD = {
    "type": "contact_card",
    "center": "Riverside Recovery Center",
    "phone": "+15550101234",
    "phone_display": "(555) 010-1234",
    "hours": "Mon-Fri 8am-6pm",
    "href": "tel:+15550101234",
    "address": "12 River St",
}
OPTIONS = [
    {"title": "Talk to a specialist", "payload": "/request_specialist"},
    {"title": "Treatment options", "payload": "/ask_treatment"},
    {"title": "Medical detox", "payload": "/ask_detox"},
]
LONG_SENTENCE = "Methadone and buprenorphine reduce cravings and withdrawal symptoms for most people."
LONG_ANSWER = " ".join([LONG_SENTENCE] * 12)


def script(text: str) -> List[Dict[str, Any]]:
    lowered = text.lower()
    if "overdose" in lowered or "breathing" in lowered:
        # Something else first on purpose: the connector must still send crisis text first.
        return [{"text": "Here is what you can do.", "buttons": OPTIONS}, {"text": CRISIS_TEXT},
                {"custom": CRISIS_PAYLOAD}]
    if "options" in lowered:
        return [{"text": "How can I help?", "buttons": OPTIONS}]
    if "card" in lowered:
        return [{"text": "You can call us."}, {"custom": CONTACT_CARD}]
    if "long" in lowered:
        return [{"text": LONG_ANSWER}]
    return [{"text": f"You chose {text}" if text.startswith("/") else "Thanks for your message."}]


class ScriptedAgent:
    def __init__(self) -> None:
        self.received: List[Dict[str, Any]] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(
            {"sender_id": message.sender_id, "text": message.text, "input_channel": message.input_channel,
             "output_channel": message.output_channel.name()}
        )
        for bot_message in script(message.text or ""):
            await message.output_channel.send_response(message.sender_id, bot_message)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    app = Sanic("scripted_rasa")
    app.ctx.agent = ScriptedAgent()
    register(create_http_input_channels(None, args.credentials), app, route="/webhooks/")

    @app.get("/received")
    async def received(_: Any) -> Any:
        return response.json(app.ctx.agent.received)

    @app.get("/ready")
    async def ready(_: Any) -> Any:
        return response.json({"status": "ok"})

    app.run(host="127.0.0.1", port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
