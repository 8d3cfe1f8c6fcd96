"""action_handoff_to_specialist: stores once, alerts staff, always confirms."""
import asyncio

import pytest
import sqlalchemy as sa
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import center as center_module
from actions.handoff import alerts, retry_alerts, store, submit
from actions.handoff.reference import is_reference
from actions.handoff.submit import ActionHandoffToSpecialist
from tests.core.responses import render
from tests.core.trackers import DOMAIN, tracker

CLEARED = [SlotSet(s, None) for s in ["first_name", "contact", "best_time", "for_whom", "consent", "contact_kind", "requested_slot"]]
CONSENTED = {"first_name": "Sam", "contact": "+16175550134", "contact_kind": "phone",
             "best_time": "mornings", "for_whom": "loved_one", "consent": True}


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    center_module.get_center.cache_clear()
    yield url
    center_module.get_center.cache_clear()


def rows(url):
    with store.engine_for(url).connect() as connection:
        return list(connection.execute(sa.select(store.handoff_requests)).mappings())


async def run_action(t):
    dispatcher = CollectingDispatcher()
    events = await ActionHandoffToSpecialist().run(dispatcher, t, DOMAIN)
    await asyncio.gather(*submit._alert_tasks)
    assert all(m.get("text") is None for m in dispatcher.messages), "wording belongs in domain.yml"
    return events, dispatcher.messages


def rendered(message, slots):
    """The text Rasa sends for a message the action named by response."""
    values = {k: v for k, v in message.items() if k not in ("response", "custom", "buttons", "elements", "attachment", "image", "template")}
    return render(message["response"], slots, **values)["text"]


async def test_a_consented_request_is_stored_confirmed_and_the_form_cleared(database):
    events, said = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, channel="socketio"))
    [row] = rows(database)
    assert is_reference(row["reference"])
    assert events == CLEARED + [SlotSet("handoff_reference", row["reference"])]
    assert (row["conversation_id"], row["channel"], row["first_name"], row["contact"], row["contact_kind"]) == (
        "visitor-1", "socketio", "Sam", "+16175550134", "phone")
    assert (row["best_time"], row["for_whom"], row["consent"], row["status"]) == ("mornings", "loved_one", True, "new")
    assert row["consent_at"] is not None
    assert row["alert_status"] == "skipped"  # no alert target configured
    assert row["language"] == "en"
    assert said[0]["response"] in ("utter_handoff_saved_open", "utter_handoff_saved_closed")
    assert rendered(said[0], CONSENTED).startswith(
        f"Thank you, Sam. Your request is saved (reference #{row['reference']}). A specialist will call you ")
    assert said[1]["response"] == "utter_rather_not_wait"
    assert said[1]["custom"]["type"] == "contact_card" and said[1]["custom"]["href"] == "tel:+15550100199"
    assert "(555) 010-0199" in rendered(said[1], CONSENTED)


@pytest.mark.parametrize("spanish_staff,expected", [
    ("false", ["utter_handoff_no_spanish_staff", "utter_rather_not_wait"]),
    ("true", ["utter_rather_not_wait"]),
])
async def test_a_spanish_request_records_the_language_and_says_honestly_who_calls(database, monkeypatch, spanish_staff, expected):
    monkeypatch.setenv("CENTER_SPANISH_STAFF", spanish_staff)
    center_module.get_center.cache_clear()
    slots = {**CONSENTED, "language": "es", "contact": "sam@example.org", "contact_kind": "email"}
    events, said = await run_action(tracker("si", intent="affirm", slots=slots, form_active=False))
    [row] = rows(database)
    assert row["language"] == "es"
    assert [m["response"] for m in said[1:]] == expected
    confirmation = rendered(said[0], slots)
    assert confirmation.startswith("Gracias, Sam. Tu solicitud quedó guardada (referencia #")
    assert "). Un especialista te va a escribir " in confirmation
    assert said[-1]["custom"]["language"] == "es" and "lun-vie" in said[-1]["custom"]["hours"]
    if spanish_staff == "false":
        honest = rendered(said[1], slots)
        assert "no tiene especialistas que hablen español" in honest and "1-800-662-4357" in honest


async def test_a_retried_call_creates_one_record(database):
    t = tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, timestamp=1700000123.5)
    first, _ = await run_action(t)
    second, _ = await run_action(t)
    [row] = rows(database)
    assert first == second == CLEARED + [SlotSet("handoff_reference", row["reference"])]


async def test_a_new_request_in_a_later_turn_is_a_new_record(database):
    first, _ = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, timestamp=1.0))
    second, _ = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, timestamp=2.0))
    references = [row["reference"] for row in rows(database)]
    assert [first[-1], second[-1]] == [SlotSet("handoff_reference", r) for r in references]
    # Random, not consecutive: nothing tells how many people asked.
    assert len(set(references)) == 2 and all(is_reference(r) for r in references)


async def test_references_are_random_and_a_clash_gets_a_fresh_one(database, monkeypatch):
    issued = iter(["AAAAAAAA", "AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(store, "new_reference", lambda: next(issued))
    await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, timestamp=1.0))
    events, _ = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False, timestamp=2.0))
    assert events[-1] == SlotSet("handoff_reference", "BBBBBBBB")
    assert sorted(row["reference"] for row in rows(database)) == ["AAAAAAAA", "BBBBBBBB"]


def test_a_table_made_before_references_gets_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = sa.create_engine(url)
    with old.begin() as connection:
        connection.execute(sa.text("CREATE TABLE handoff_requests (id INTEGER PRIMARY KEY, request_key VARCHAR(64))"))
    store.engine_for.cache_clear()
    columns = {c["name"] for c in sa.inspect(store.engine_for(url)).get_columns("handoff_requests")}
    assert "reference" in columns


async def test_no_consent_stores_nothing_and_gives_the_number(database):
    events, said = await run_action(tracker("no", intent="deny", slots={**CONSENTED, "consent": False}, form_active=False))
    assert events == CLEARED
    assert rows(database) == []
    assert [m["response"] for m in said] == ["utter_handoff_no_consent", "utter_specialist_contact"]
    assert "won't pass on your details" in rendered(said[0], CONSENTED)
    assert said[1]["custom"]["type"] == "contact_card"


async def test_a_failing_alert_is_retried_recorded_and_never_breaks_the_confirmation(database, monkeypatch, caplog):
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.setenv("HANDOFF_ALERT_ATTEMPTS", "3")
    monkeypatch.setattr(alerts, "FIRST_RETRY_DELAY", 0.01)
    center_module.get_center.cache_clear()
    events, said = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False))
    assert "A specialist will call you" in rendered(said[0], CONSENTED)
    [row] = rows(database)
    assert events[-1] == SlotSet("handoff_reference", row["reference"])
    assert (row["alert_status"], row["alert_attempts"]) == ("failed", 2)  # once now, once in the retry sweep
    log = caplog.text
    assert "attempt 3/3" in log and "+16175550134" not in log and "Sam" not in log


async def test_a_database_failure_tells_the_visitor_to_call(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    events, said = await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False))
    assert events == CLEARED
    assert said[0]["response"] == "utter_handoff_store_failed"
    assert said[1]["custom"]["href"] == "tel:+15550100199"


async def test_the_retrier_sends_an_alert_that_failed_once_the_target_is_back(database, monkeypatch, webhook_server):
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.setenv("HANDOFF_ALERT_ATTEMPTS", "1")
    center_module.get_center.cache_clear()
    await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False))
    assert [r["alert_status"] for r in rows(database)] == ["failed"]

    url, received = webhook_server
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    center_module.get_center.cache_clear()
    await retry_alerts.retry_once()
    [row] = rows(database)
    assert row["alert_status"] == "sent"
    assert len(received.requests) == 1
    await retry_alerts.retry_once()
    assert len(received.requests) == 1  # sent alerts are not sent again


async def _stored_request(database) -> int:
    await run_action(tracker("yes", intent="affirm", slots=CONSENTED, form_active=False))
    [row] = rows(database)
    return row["id"]


def _set_alert(database, request_id, **values):
    with store.engine_for(database).begin() as connection:
        connection.execute(store.handoff_requests.update().where(store.handoff_requests.c.id == request_id)
                           .values(**values))


async def test_two_processes_alerting_at_once_send_the_alert_once(database):
    request_id = await _stored_request(database)  # no target yet: skipped
    _set_alert(database, request_id, alert_status="failed", alert_attempts=1)
    sent = []

    async def slow_webhook(payload, config):
        await asyncio.sleep(0.05)  # the other process looks while this one is sending
        sent.append(payload["request_id"])

    config = alerts.AlertSettings(webhook_url="http://hooks.example/x", console_url="https://c.example")
    outcomes = await asyncio.gather(
        alerts.alert_staff(request_id, config, senders={"webhook": slow_webhook}),
        alerts.alert_staff(request_id, config, senders={"webhook": slow_webhook}),
    )
    assert sorted(outcomes) == ["claimed", "sent"]
    assert sent == [request_id]
    [row] = rows(database)
    assert (row["alert_status"], row["alert_attempts"], row["alert_delivered"]) == ("sent", 2, "webhook")
    assert store.undelivered_alerts(database) == []


async def test_a_retry_sends_only_to_the_target_that_failed(database):
    request_id = await _stored_request(database)
    _set_alert(database, request_id, alert_status="pending")
    calls = []

    def target(name, works):
        async def send(payload, config):
            calls.append(name)
            if not works:
                raise ConnectionError("down")
        return send

    config = alerts.AlertSettings(webhook_url="http://hooks.example/x", email_to=("a@center.example",),
                                  smtp_host="127.0.0.1", console_url="https://c.example", attempts=1)
    first = await alerts.alert_staff(request_id, config,
                                     senders={"webhook": target("webhook", True), "email": target("email", False)})
    assert first == "failed" and sorted(calls) == ["email", "webhook"]
    assert rows(database)[0]["alert_delivered"] == "webhook"
    calls.clear()
    second = await alerts.alert_staff(request_id, config,
                                      senders={"webhook": target("webhook", True), "email": target("email", True)})
    assert second == "sent" and calls == ["email"]  # the webhook already had it
    assert rows(database)[0]["alert_delivered"] == "email,webhook"


async def test_a_claim_left_by_a_stopped_process_is_taken_over_later(database):
    request_id = await _stored_request(database)
    now = store.utcnow()
    _set_alert(database, request_id, alert_status="sending", alert_claimed_at=now)
    assert store.undelivered_alerts(database) == []  # someone is sending it right now
    assert not store.claim_alert(request_id, database)
    _set_alert(database, request_id, alert_claimed_at=now - store.STALE_CLAIM - store.STALE_CLAIM / 10)
    assert [row["id"] for row in store.undelivered_alerts(database)] == [request_id]
    assert store.claim_alert(request_id, database)
    assert not store.claim_alert(request_id, database)
