"""Synthetic, Rasa-shaped conversations for demos and the 100,000-conversation speed check.

Rows look like what Rasa 3.6's SQLTrackerStore writes: session start, then per turn a
`user` event (parse_data with intent, ranking and input_channel), the policy's `action`,
the `bot` message and `action_listen`. User texts come from the project's NLU data and
bot texts from domain.yml, so transcripts read like real ones.
"""
import datetime as dt
import json
import random
import re
import uuid
from pathlib import Path
from typing import Dict, List

import yaml
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from handoffs.models import HandoffRequest

from . import events as ev
from .rasa_tables import ensure_rasa_tables

CHANNELS = [("socketio", 60), ("rest", 5), ("telegram", 15), ("slack", 5), ("twilio", 10), ("facebook", 5)]
TOPIC_INTENTS = {
    "ask_what_is_addiction": "utter_what_is_addiction", "ask_tolerance_dependence": "utter_tolerance_dependence",
    "ask_withdrawal": "utter_withdrawal", "ask_long_term_effects": "utter_long_term_effects",
    "ask_brain_effects": "utter_brain_effects", "ask_causes": "utter_causes",
    "ask_cause_painkillers": "utter_cause_painkillers", "ask_treatment": "utter_treatment",
    "ask_detox": "utter_detox", "ask_mat": "utter_mat", "ask_counselling": "utter_counselling",
    "ask_outpatient": "utter_outpatient", "ask_help_loved_one": "utter_help_loved_one",
}
FALLBACK_TEXT = {
    "greet": ["hi", "hello there", "hey"], "goodbye": ["bye", "thanks, bye"], "thank": ["thank you", "thanks"],
    "affirm": ["yes please", "yes"], "deny": ["no thanks", "no"],
    "out_of_scope": ["what's the weather tomorrow", "can you order me a pizza", "who won the game"],
    "nlu_fallback": ["asdf lkj", "hmm the thing with the stuff", "?"],
    "crisis_overdose": ["my brother is not breathing after using", "i think my friend overdosed"],
    "crisis_suicidal": ["i don't want to live anymore", "i want to end it all"],
    "request_specialist": ["can i talk to a real person", "i want to speak to a specialist"],
    "tell_me_more": ["tell me more", "more please"],
}
FIRST_NAMES = ["Maria", "James", "Ana", "Robert", "Keisha", "Daniel", "Lin", "Sofia", "Marcus", "Emily", "anonymous"]
BEST_TIMES = ["mornings", "after 5pm", "weekdays around noon", "any time", "evenings"]


def _strip_annotations(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", text).strip()


def _nlu_examples() -> Dict[str, List[str]]:
    examples: Dict[str, List[str]] = {k: list(v) for k, v in FALLBACK_TEXT.items()}
    for path in sorted((Path(settings.REPO_ROOT) / "data" / "nlu").glob("*.yml")):
        try:
            content = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError):
            continue
        for block in content.get("nlu") or []:
            if isinstance(block, dict) and block.get("intent") and isinstance(block.get("examples"), str):
                lines = [_strip_annotations(l.lstrip()[2:]) for l in block["examples"].splitlines()
                         if l.strip().startswith("- ")]
                if lines:
                    examples[block["intent"]] = lines
    return examples


def _responses() -> Dict[str, str]:
    path = Path(settings.REPO_ROOT) / "domain.yml"
    try:
        content = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
    found = {}
    for name, variants in (content.get("responses") or {}).items():
        if isinstance(variants, list) and variants and isinstance(variants[0], dict) and variants[0].get("text"):
            found[name] = str(variants[0]["text"])
    return found


class ConversationFactory:
    def __init__(self, seed: int, days: int):
        self.rng = random.Random(seed)
        self.days = days
        self.examples = _nlu_examples()
        self.responses = _responses()
        self.now = timezone.now().timestamp()

    def _text(self, intent: str) -> str:
        options = self.examples.get(intent) or [intent.replace("_", " ")]
        return self.rng.choice(options)

    def _confidence(self) -> float:
        roll = self.rng.random()
        if roll < 0.08:
            return round(self.rng.uniform(0.25, 0.5), 4)
        if roll < 0.2:
            return round(self.rng.uniform(0.5, 0.8), 4)
        return round(self.rng.uniform(0.8, 0.999), 4)

    def build(self):
        """Return (sender_id, channel, [event rows], handoff row or None)."""
        rng = self.rng
        channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        if channel in ev.MESSAGING_PREFIXES:
            sender = f"{channel}:{rng.randrange(10**8, 10**10)}"
        else:
            sender = uuid.UUID(int=rng.getrandbits(128)).hex
        clock = [self.now - rng.uniform(0, self.days * 86400)]
        rows = []

        def add(type_name, data, intent=None, action=None, gap=(0.05, 0.6)):
            clock[0] += rng.uniform(*gap)
            data = {"event": type_name, "timestamp": clock[0], **data}
            rows.append((sender, type_name, clock[0], intent, action, json.dumps(data)))

        def act(name, policy="RulePolicy", confidence=1.0):
            add("action", {"name": name, "policy": f"policy_1_{policy}", "confidence": confidence}, action=name)

        def user(intent, text=None, confidence=None):
            confidence = self._confidence() if confidence is None else confidence
            others = [i for i in ("greet", "ask_treatment", "out_of_scope", "ask_mat") if i != intent]
            ranking = [{"name": intent, "confidence": confidence}] + [
                {"name": name, "confidence": round((1 - confidence) / (n + 2), 4)} for n, name in enumerate(others[:2])
            ]
            text = text or self._text(intent)
            add("user", {"text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence},
                                                      "entities": [], "text": text, "message_id": uuid.uuid4().hex,
                                                      "metadata": {}, "intent_ranking": ranking},
                         "input_channel": channel, "message_id": uuid.uuid4().hex, "metadata": {}},
                intent=intent, gap=(4, 90))

        def bot(utter, custom=None, buttons=None):
            act(utter, policy=rng.choice(["RulePolicy", "TEDPolicy", "MemoizationPolicy"]),
                confidence=round(rng.uniform(0.7, 1.0), 3))
            payload = {"elements": None, "quick_replies": None, "buttons": buttons, "attachment": None,
                       "image": None, "custom": custom}
            add("bot", {"text": self.responses.get(utter, utter.replace("utter_", "").replace("_", " ")),
                        "data": payload, "metadata": {"utter_action": utter}})

        def listen():
            act("action_listen", policy="TEDPolicy", confidence=round(rng.uniform(0.8, 1.0), 3))

        act("action_session_start")
        add("session_started", {})
        listen()
        if rng.random() < 0.7:
            user("greet")
            bot("utter_greet")
            listen()

        handoff = None
        language = "es" if rng.random() < 0.15 else "en"
        if language == "es":
            add("slot", {"name": ev.LANGUAGE_SLOT, "value": "es"})
        scenario = rng.choices(["info", "crisis", "fallback", "handoff"], weights=[78, 5, 9, 8])[0]
        for turn in range(rng.choices([1, 2, 3, 4, 6, 9], weights=[30, 25, 20, 12, 9, 4])[0]):
            intent = rng.choice(list(TOPIC_INTENTS))
            user(intent)
            bot(TOPIC_INTENTS[intent], buttons=[{"title": "Tell me more", "payload": "/tell_me_more"}])
            listen()
            if turn == 0 and rng.random() < 0.06:  # thumbs on the first answer, as the widget sends them
                add("slot", {"name": ev.FEEDBACK_SLOT, "value": {
                    "message_id": uuid.UUID(int=rng.getrandbits(128)).hex, "rating": rng.choice(["up", "down"]),
                    "text": json.loads(rows[-2][5])["text"]}})
        if scenario == "crisis":
            kind = rng.choice(["overdose", "suicidal"])
            user(f"crisis_{kind}", confidence=round(rng.uniform(0.85, 0.99), 4))
            bot(f"utter_crisis_{kind}", custom={"type": "crisis", "kind": kind, "lines": [
                {"label": "Call 911", "href": "tel:911"}, {"label": "Call or text 988", "href": "tel:988"},
                {"label": "SAMHSA Helpline 1-800-662-4357", "href": "tel:+18006624357"}]})
            listen()
        elif scenario == "fallback":
            if rng.random() < 0.5:
                user("out_of_scope")
                bot("utter_out_of_scope")
            else:
                user("nlu_fallback", confidence=round(rng.uniform(0.1, 0.3), 4))
                act("action_default_fallback")
                bot("utter_default")
            listen()
        elif scenario == "handoff":
            handoff = self._handoff(sender, channel, user, bot, act, add, listen, clock, language)
        if rng.random() < 0.5:
            user(rng.choice(["thank", "goodbye"]))
            bot("utter_goodbye")
            listen()
        return sender, channel, rows, handoff

    def _handoff(self, sender, channel, user, bot, act, add, listen, clock, language):
        rng = self.rng
        if rng.random() < 0.2:  # contact details typed out of the blue; the bot offers the callback
            user("inform", text=f"you can reach me at 555-01{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}")
            add("slot", {"name": ev.CONTACT_SHARED_SLOT, "value": True})
        user("request_specialist")
        act("action_share_specialist_contact")
        add("bot", {"text": "You can reach a specialist directly, or we can call you.",
                    "data": {"custom": {"type": "contact_card"}}, "metadata": {}})
        listen()
        user("affirm")
        act("handoff_form")
        add("active_loop", {"name": "handoff_form"})
        name = rng.choice(FIRST_NAMES)
        by_phone = rng.random() < 0.6
        contact = (f"+1555{rng.randrange(1000000, 9999999)}" if by_phone
                   else f"{name.lower()}{rng.randrange(10, 99)}@example.org")
        best_time = rng.choice(BEST_TIMES)
        for_whom = rng.choice(["self", "loved_one"])
        answers = [("first_name", f"I'm {name}" if name != "anonymous" else "I'd rather not say", name),
                   ("contact", contact, contact), ("best_time", best_time, best_time),
                   ("for_whom", "for myself" if for_whom == "self" else "for my son", for_whom),
                   ("consent", "yes", True)]
        bot("utter_ask_first_name")
        listen()
        for slot, text, value in answers:
            user("inform" if slot != "consent" else "affirm", text=text)
            add("slot", {"name": slot, "value": value})
            if slot != "consent":
                asks = {"first_name": "utter_ask_contact", "contact": "utter_ask_best_time",
                        "best_time": "utter_ask_for_whom", "for_whom": "action_ask_consent"}
                bot(asks[slot]) if asks[slot].startswith("utter_") else act(asks[slot])
                listen()
        add("active_loop", {"name": None})
        act("action_handoff_to_specialist")
        add("bot", {"text": "Thank you. A specialist will contact you.", "data": {}, "metadata": {}})
        listen()
        created = dt.datetime.fromtimestamp(clock[0], tz=dt.timezone.utc)
        status = rng.choices(["new", "contacted", "closed"], weights=[60, 30, 10])[0]
        return HandoffRequest(
            request_key=uuid.UUID(int=rng.getrandbits(128)).hex, conversation_id=sender, channel=channel,
            first_name=name, contact_kind="phone" if by_phone else "email", contact=contact, best_time=best_time,
            for_whom=for_whom, consent=True, consent_at=created, created_at=created, status=status,
            language=language, outcome="reached" if status == "closed" else None,
            status_changed_at=None if status == "new" else created, status_changed_by=None if status == "new" else "seed",
        )


def insert_handoffs(handoffs) -> None:
    """Insert synthetic hand-off requests, marked as alerted already (no staff alert goes out for them)."""
    for handoff in handoffs:
        handoff.alert_status = "sent"
    HandoffRequest.objects.bulk_create(handoffs, batch_size=500)


def insert_events(rows, chunk: int = 500) -> None:
    """Multi-row INSERTs: fast on SQLite and PostgreSQL alike."""
    table = ev.events_table()
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
        params = [value for row in part for value in row]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES {values}",
                params,
            )


def seed(count: int, seed_value: int = 42, days: int = 90, batch: int = 2000, progress=None) -> dict:
    ensure_rasa_tables()
    factory = ConversationFactory(seed_value, days)
    totals = {"conversations": 0, "events": 0, "handoffs": 0}
    while totals["conversations"] < count:
        size = min(batch, count - totals["conversations"])
        rows, handoffs = [], []
        for _ in range(size):
            _sender, _channel, conv_rows, handoff = factory.build()
            rows.extend(conv_rows)
            if handoff is not None:
                handoffs.append(handoff)
        with transaction.atomic():
            insert_events(rows)
            insert_handoffs(handoffs)
        totals["conversations"] += size
        totals["events"] += len(rows)
        totals["handoffs"] += len(handoffs)
        if progress:
            progress(totals)
    return totals
