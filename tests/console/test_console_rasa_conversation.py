"""Flags, filters and search on events written by a real Rasa conversation.

A Rasa server (and the action server) run against the test database and receive messages
through the REST channel; the console then reads what Rasa's SQLTrackerStore wrote.
"""
import uuid
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.urls import reverse

from connectors import web_ids
from conversations.models import Conversation, RasaEvent
from conversations.rasa_tables import ensure_rasa_tables
from conversations.sync import sync_conversations
from handoffs.models import HandoffRequest

from console_support import require, sqlalchemy_url

REPO_ROOT = Path(__file__).resolve().parents[2]
LIST_URL = "admin:conversations_conversation_changelist"


def training_example(intent: str, index: int = 0) -> str:
    """A message the trained model classifies reliably: one of its own training examples."""
    for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if block.get("intent") == intent:
                lines = [l.strip()[2:] for l in block["examples"].splitlines() if l.strip().startswith("- ")]
                return lines[min(index, len(lines) - 1)]
    raise LookupError(intent)


def _drop_if_empty(model) -> None:
    """Let Rasa and the action server create their own tables, as they do in production."""
    table = model._meta.db_table
    if table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        if cursor.fetchone()[0]:
            return
    with connection.schema_editor() as editor:
        editor.delete_model(model)


@pytest.fixture(scope="module")
def rasa_senders(django_db_setup, django_db_blocker):
    try:
        from tests.support.stack import RasaStack
    except ImportError as error:
        require(False, f"tests/support/stack.py not available: {error}")
    require((REPO_ROOT / "models" / "current.tar.gz").exists(), "no trained model: run `make train`")

    run = uuid.uuid4().hex[:8]
    # The server-signed web ids the test stack speaks as (connectors/web_ids.py).
    senders = {name: web_ids.for_label(f"console-{name}-{run}")
               for name in ("crisis", "info", "handoff", "fallback", "callback")}
    replies = {}
    with django_db_blocker.unblock():
        _drop_if_empty(RasaEvent)
        _drop_if_empty(HandoffRequest)
        try:
            with RasaStack(env={"DATABASE_URL": sqlalchemy_url()}, actions=True) as stack:
                replies["crisis"] = stack.rest(senders["crisis"], training_example("greet"))
                replies["crisis"] += stack.rest(senders["crisis"], training_example("crisis_overdose"))
                replies["info"] = stack.rest(senders["info"], training_example("ask_withdrawal"))
                replies["info"] += stack.rest(senders["info"], training_example("ask_mat"))
                replies["handoff"] = stack.rest(senders["handoff"], training_example("request_specialist"))
                replies["handoff"] += stack.rest(senders["handoff"], training_example("affirm"))
                replies["fallback"] = stack.rest(senders["fallback"], training_example("out_of_scope"))
                # A complete hand-off: the action server stores the request in its own table.
                replies["callback"] = []
                for text in (training_example("request_callback"), "Maria", "maria.test@example.org",
                             "weekday mornings", "for myself", "yes"):
                    replies["callback"] += stack.rest(senders["callback"], text)
        finally:
            ensure_rasa_tables()
        sync_conversations()
    yield {"senders": senders, "replies": replies}
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            for sender in senders.values():
                cursor.execute("DELETE FROM events WHERE sender_id = %s", [sender])
        Conversation.objects.filter(sender_id__in=senders.values()).delete()
        HandoffRequest.objects.filter(conversation_id__in=senders.values()).delete()


def listed(client, query: str, senders: dict) -> set:
    response = client.get(reverse(LIST_URL) + query)
    assert response.status_code == 200
    mine = set(senders.values())
    return {c.sender_id for c in response.context["cl"].result_list if c.sender_id in mine}


def test_rasa_answered_and_wrote_events(rasa_senders, db):
    crisis_text = " ".join(str(m.get("text", "")) for m in rasa_senders["replies"]["crisis"])
    assert "911" in crisis_text or "988" in crisis_text
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM events WHERE sender_id = %s AND type_name = 'user'",
                       [rasa_senders["senders"]["crisis"]])
        assert cursor.fetchone()[0] == 2


def test_flags_from_real_events(rasa_senders, db):
    senders = rasa_senders["senders"]
    by_name = {name: Conversation.objects.get(sender_id=sender) for name, sender in senders.items()}
    assert by_name["crisis"].crisis and by_name["crisis"].turns == 2
    assert "crisis_overdose" in by_name["crisis"].topics
    assert by_name["handoff"].handoff and not by_name["handoff"].crisis
    assert by_name["fallback"].fallback and not by_name["fallback"].crisis
    info = by_name["info"]
    assert info.topics == "ask_withdrawal, ask_mat"
    assert not (info.crisis or info.handoff or info.fallback)
    assert all(c.channel == "rest" for c in by_name.values())
    assert all(c.started_at <= c.last_activity for c in by_name.values())


def test_filters_and_search_on_real_events(reviewer_client, rasa_senders):
    senders = rasa_senders["senders"]
    assert listed(reviewer_client, "?crisis__exact=1", senders) == {senders["crisis"]}
    assert listed(reviewer_client, "?handoff__exact=1", senders) == {senders["handoff"], senders["callback"]}
    assert listed(reviewer_client, "?fallback__exact=1", senders) == {senders["fallback"]}
    assert listed(reviewer_client, "?channel=rest", senders) == set(senders.values())
    assert listed(reviewer_client, "?intent=ask_mat", senders) == {senders["info"]}
    assert listed(reviewer_client, "?action=utter_crisis_overdose", senders) == {senders["crisis"]}
    assert listed(reviewer_client, "?length=2-3", senders) == {senders["crisis"], senders["info"],
                                                               senders["handoff"]}
    assert listed(reviewer_client, "?slot=contact", senders) == {senders["callback"]}
    words = training_example("ask_withdrawal").split()
    query = max(words, key=len).strip("?.,!'\"")
    assert senders["info"] in listed(reviewer_client, f"?q={query}", senders)


def test_transcript_of_real_conversation(reviewer_client, rasa_senders):
    conversation = Conversation.objects.get(sender_id=rasa_senders["senders"]["crisis"])
    response = reviewer_client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk]))
    entries = response.context["transcript"]
    users = [e for e in entries if e.kind == "user"]
    assert [u.intent for u in users] == ["greet", "crisis_overdose"]
    assert all(0 < u.confidence <= 1 for u in users)
    assert any(e.kind == "bot" and ("911" in e.text or "988" in e.text) for e in entries)
    assert any(e.kind == "action" and e.action.startswith("utter_crisis") for e in entries)


def test_handoff_from_the_action_server_in_the_queue(reviewer_client, reviewer, rasa_senders):
    sender = rasa_senders["senders"]["callback"]
    said = [str(m.get("text", "")) for m in rasa_senders["replies"]["callback"]]
    handoff = HandoffRequest.objects.filter(conversation_id=sender).first()
    assert handoff is not None, f"the action server stored no hand-off request; the bot said: {said}"
    assert (handoff.first_name, handoff.contact_kind, handoff.contact) == ("Maria", "email", "maria.test@example.org")
    assert handoff.consent and handoff.status == "new" and handoff.channel == "rest"

    queue = reviewer_client.get(reverse("admin:handoffs_handoffrequest_changelist"))
    assert handoff.pk in [h.pk for h in queue.context["cl"].result_list]
    assert "maria.test@example.org" in queue.content.decode()

    url = reverse("admin:handoffs_handoffrequest_change", args=[handoff.pk])
    assert reviewer_client.post(url, {"status": "contacted", "_save": "Save"}).status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == "contacted" and handoff.status_changed_by == reviewer.username
    assert Conversation.objects.get(sender_id=sender).handoff
