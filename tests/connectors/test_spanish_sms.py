"""Spanish replies by SMS: the same length rules as English.

A Spanish accent outside GSM-7 (á, í, ó, ú) would switch a whole SMS to UCS-2,
70 characters a segment instead of 160, so a Spanish answer would cost about
twice the messages. The SMS channel writes those vowels plain (sms_plain), so
every Spanish response goes out in GSM-7; the channel's own lines (the numbered
options, the contact card) come in the conversation's language.
"""
import math
from pathlib import Path

import pytest
import yaml

from connectors.messaging.formatting import (
    GSM7_BASIC, GSM7_EXTENSION, contact_card_text, numbered_options, plan_turn, sms_plain, sms_segments,
)

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def spanish_texts():
    for name, variations in RESPONSES.items():
        for variation in variations:
            if {"type": "slot", "name": "language", "value": "es"} in (variation.get("condition") or []):
                yield name, variation["text"]


SPANISH = list(spanish_texts())


def test_there_are_spanish_responses_to_check():
    assert len(SPANISH) > 50


@pytest.mark.parametrize("name,text", SPANISH, ids=[name for name, _ in SPANISH])
def test_a_spanish_response_goes_out_in_gsm7(name, text):
    plain = sms_plain(text)
    outside = {c for c in plain if c not in GSM7_BASIC and c not in GSM7_EXTENSION}
    assert not outside, f"{name}: {outside} would force UCS-2"
    # GSM-7's segment size (153 septets once split), not UCS-2's (67 code units).
    septets = sum(2 if c in GSM7_EXTENSION else 1 for c in plain)
    assert sms_segments(plain) == (1 if septets <= 160 else math.ceil(septets / 153))


def test_accents_would_otherwise_double_the_segments():
    text = dict(SPANISH)["utter_withdrawal"]
    assert sms_segments(text) > sms_segments(sms_plain(text))


def test_the_channels_own_lines_follow_the_conversations_language():
    buttons = [{"title": "Sí", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert numbered_options(buttons, "es") == "Responde con un número:\n1. Sí\n2. No"
    assert numbered_options(buttons).startswith("Reply with a number:")
    card = {"type": "contact_card", "center": "Centro", "phone_display": "(555) 010-1234",
            "hours": "lun-vie 8 am-8 pm EST", "language": "es"}
    assert contact_card_text(card) == "Centro\nLlama al (555) 010-1234\nHorario: lun-vie 8 am-8 pm EST"
    [reply] = plan_turn([{"text": "Hola", "lang": "es", "utter_action": "utter_greet"}])
    assert reply.lang == "es"
