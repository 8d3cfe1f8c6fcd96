"""The socket.io channel tells the widget the conversation's language: every
bot_uttered payload carries a top-level `lang` ("en"/"es")."""
import asyncio

from connectors.web import WebSocketOutput


class FakeSocketServer:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data, room=None, **kwargs):
        self.emitted.append((event, data, room))


def send(message):
    sio = FakeSocketServer()
    asyncio.run(WebSocketOutput(sio, "bot_uttered").send_response("room-1", message))
    return [data for event, data, _ in sio.emitted if event == "bot_uttered"]


def test_a_reply_carries_the_conversations_language():
    [payload] = send({"text": "Hola, ¿qué te gustaría saber?", "lang": "es",
                      "buttons": [{"title": "English", "payload": '/set_language{"language":"en"}'}]})
    assert payload["lang"] == "es"
    assert payload["quick_replies"][0]["title"] == "English"


def test_every_part_of_a_reply_carries_it():
    payloads = send({"text": "First paragraph.\n\nSecond paragraph.", "lang": "en",
                     "custom": {"type": "contact_card", "phone": "+15550100199"}})
    assert len(payloads) == 3 and {p["lang"] for p in payloads} == {"en"}
    assert payloads[-1]["custom"]["type"] == "contact_card"


def test_a_reply_without_the_tag_is_read_for_its_language():
    # e.g. the safety net's fallback, sent without the response generator
    [payload] = send({"text": "Perdón, ahorita no puedo contestar bien por un problema de nuestro lado."})
    assert payload["lang"] == "es"


def test_every_part_has_an_id_of_its_own():
    # The widget stores a message under its id, so two tabs that both receive it keep it once.
    payloads = send({"text": "First paragraph.\n\nSecond paragraph.", "lang": "en",
                     "custom": {"type": "contact_card", "phone": "+15550100199"}})
    ids = [p["id"] for p in payloads]
    assert len(set(ids)) == 3
    assert all(len(i) == 32 and i.isalnum() for i in ids)
