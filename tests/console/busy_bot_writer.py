"""A bot at full speed, for the busy-bot test: writes Rasa-shaped events into the `events`
table through SQLAlchemy, as Rasa's SQLTrackerStore does, one committed event every
--interval seconds, until --stop-file appears. Prints a JSON summary on exit.

    python busy_bot_writer.py --url sqlite:////tmp/db --interval 0.02 --stop-file /tmp/stop --prefix busy-
"""
import argparse
import json
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

TURNS = [
    ("what is detox", "ask_detox", "utter_detox", "Detox is the first step ..."),
    ("como se quita la malilla", "ask_withdrawal", "utter_withdrawal", "Los sintomas ..."),
    ("can i talk to someone", "request_specialist", "utter_specialist", "You can reach a specialist ..."),
]


def conversation_events(sender: str):
    """One short conversation: session start, then a visitor message and the bot's answer per turn.
    Each event is stamped when it is made, just before it is written, as Rasa stamps them."""
    def event(type_name, data, intent=None, action=None):
        clock = time.time()
        return sender, type_name, clock, intent, action, json.dumps({"event": type_name, "timestamp": clock, **data})

    yield event("action", {"name": "action_session_start", "policy": None, "confidence": 1.0},
                action="action_session_start")
    yield event("session_started", {})
    yield event("action", {"name": "action_listen", "policy": None, "confidence": None}, action="action_listen")
    for text, intent, utter, answer in TURNS:
        parse = {"text": text, "intent": {"name": intent, "confidence": 0.93},
                 "intent_ranking": [{"name": intent, "confidence": 0.93}], "entities": []}
        yield event("user", {"text": text, "parse_data": parse, "input_channel": "socketio",
                             "message_id": uuid.uuid4().hex, "metadata": {}}, intent=intent)
        if intent == "ask_withdrawal":
            yield event("slot", {"name": "language", "value": "es"})
        yield event("action", {"name": utter, "policy": "policy_1_RulePolicy", "confidence": 1.0}, action=utter)
        yield event("bot", {"text": answer, "data": {}, "metadata": {"utter_action": utter}})
        yield event("action", {"name": "action_listen", "policy": "policy_1_RulePolicy", "confidence": 1.0},
                    action="action_listen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--prefix", default="busy-")
    args = parser.parse_args()

    engine = sa.create_engine(args.url, future=True)  # Rasa's defaults: no busy timeout tuning
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    stop = Path(args.stop_file)
    written, errors, senders = 0, [], []
    while not stop.exists():
        sender = f"{args.prefix}{len(senders):05d}"
        for row in conversation_events(sender):
            if stop.exists():
                break
            values = dict(zip(["sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"], row))
            try:
                with engine.begin() as connection:
                    connection.execute(events.insert().values(**values))
                written += 1
                if not senders or senders[-1] != sender:
                    senders.append(sender)
            except sa.exc.DBAPIError as error:
                errors.append(type(error.orig).__name__ + ": " + str(error.orig)[:200])
            time.sleep(args.interval)
    print(json.dumps({"written": written, "errors": errors, "senders": senders}))


if __name__ == "__main__":
    main()
