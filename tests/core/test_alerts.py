"""Staff alerts sent for real: a signed webhook to a local HTTP server and an
email to a local SMTP server (aiosmtpd), both started by the test."""
import hashlib
import hmac
import json

import pytest
from aiosmtpd.controller import Controller

from actions.handoff import alerts
from tests.support.processes import free_port


class MailSink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


def settings(**overrides):
    return alerts.AlertSettings(**{"console_url": "https://console.example.org", **overrides})


async def test_webhook_alert_is_signed_and_carries_no_contact_details(webhook_server):
    url, received = webhook_server
    config = settings(webhook_url=url, webhook_secret="s3cret")
    failed = await alerts.deliver(alerts.alert_payload(7, "socketio", "self", config), config)
    assert failed == []
    [(headers, body)] = received.requests
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers[alerts.SIGNATURE_HEADER] == expected
    payload = json.loads(body)
    assert payload["event"] == "handoff_request.created"
    assert payload["request_id"] == 7
    assert payload["console_url"] == "https://console.example.org/admin/handoffs/handoffrequest/7/change/"
    assert set(payload) == {"event", "request_id", "reference", "channel", "for_whom", "language", "sent_at",
                            "console_url"}
    assert payload["reference"] == "7"  # a request without a reference is named by its id
    assert payload["language"] == "en"


async def test_email_alert_arrives(smtp_server):
    controller, sink = smtp_server
    config = settings(email_to=("intake@center.example",), smtp_host="127.0.0.1",
                      smtp_port=controller.port, smtp_starttls=False, email_from="bot@center.example")
    failed = await alerts.deliver(alerts.alert_payload(3, "rest", "loved_one", config, language="es", reference="K7QM-2X"), config)
    assert failed == []
    [envelope] = sink.messages
    assert envelope.rcpt_tos == ["intake@center.example"]
    text = envelope.content.decode()
    assert "Subject: New hand-off request K7QM-2X (Spanish)" in text
    assert "Reference the visitor was given: K7QM-2X." in text
    assert "Language: Spanish." in text
    assert "https://console.example.org/admin/handoffs/handoffrequest/3/change/" in text


async def test_a_target_that_fails_twice_then_works_is_delivered_on_the_third_try():
    calls = []

    async def flaky(payload, config):
        calls.append(payload["request_id"])
        if len(calls) < 3:
            raise ConnectionError("down")

    naps = []

    async def no_sleep(seconds):
        naps.append(seconds)

    config = settings(attempts=4)
    failed = await alerts.deliver({"request_id": 1}, config, senders={"webhook": flaky}, sleep=no_sleep)
    assert failed == [] and calls == [1, 1, 1]
    assert naps == [1.0, 2.0]


async def test_a_target_that_never_works_is_reported_after_all_attempts():
    async def broken(payload, config):
        raise ConnectionError("down")

    async def no_sleep(seconds):
        pass

    failed = await alerts.deliver({"request_id": 1}, settings(attempts=3), senders={"email": broken}, sleep=no_sleep)
    assert failed == ["email"]
