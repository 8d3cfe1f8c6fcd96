"""Checking that nothing was sent, by polling instead of sleeping.

A later, valid message on the same channel goes through the same server; once
its reply has reached the fake platform, whatever the earlier calls would have
sent has had its turn first (the server handles messages in arrival order,
runtime/turn_gate.py). The tests then look at everything else that was sent."""
from __future__ import annotations

import itertools
import time
from typing import Any, Callable, List

from tests.connectors import webhooks

_ids = itertools.count(int(time.time()) % 100000 * 1000 + 900_000)


def _later_message(channel: str, url: str) -> Callable[[Any], bool]:
    """Posts a valid message on `channel` and returns a test for its reply."""
    number = next(_ids)
    if channel == "telegram":
        call, is_reply = webhooks.telegram_text(next(_ids), number, "hello"), \
            lambda sent: sent.params.get("chat_id") == str(number)
    elif channel == "slack":
        call, is_reply = webhooks.slack_message(f"Ev{next(_ids)}", f"U{number}", f"D{number}", "hello"), \
            lambda sent: sent.params.get("channel") == f"D{number}"
    elif channel == "facebook":
        call, is_reply = webhooks.facebook_text(f"m_{next(_ids)}", str(number), "hello"), \
            lambda sent: sent.params.get("recipient") == {"id": str(number)}
    elif channel == "twilio":
        phone = f"+1555{number % 10**7:07d}"
        call, is_reply = webhooks.twilio_sms(url, f"SM{next(_ids)}", phone, "hello"), \
            lambda sent: sent.params.get("To") == phone
    else:
        raise ValueError(f"no later message for channel {channel!r}")
    answer = call.post(url)
    assert answer.status_code in (200, 204), answer.text
    return is_reply


def sent_besides_a_later_message(fake: Any, channel: str, url: str, timeout: float = 60) -> List[Any]:
    """What `channel`'s platform was sent, once a later message's reply arrived,
    without that reply."""
    is_reply = _later_message(channel, url)
    fake.wait_for(lambda: any(is_reply(sent) for sent in fake.sent(channel)), timeout=timeout, settle=0)
    sent = fake.sent(channel)
    assert any(is_reply(call) for call in sent), f"the later {channel} message got no reply within {timeout}s"
    return [call for call in sent if not is_reply(call)]
