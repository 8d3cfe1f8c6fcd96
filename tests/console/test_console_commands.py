"""Management commands: retention, corrections export, seeding, summary refresh."""
import datetime as dt
import io

import yaml
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry
from conversations.models import Conversation, Correction, Note, Tag
from conversations.sync import sync_conversations
from handoffs.models import HandoffRequest, HandoffStatusChange

from console_rasa_events import Conversation as RasaConversation
from console_rasa_events import handoff_row

DAY = 86400


def event_count(sender_id: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM events WHERE sender_id = %s", [sender_id])
        return cursor.fetchone()[0]


def test_retention_deletes_old_conversations_events_and_review_data(db, reviewer):
    now = dt.datetime.now(dt.timezone.utc)
    RasaConversation("old-conv", start=now.timestamp() - 400 * DAY).start().user("hi", "greet").save()
    RasaConversation("new-conv", start=now.timestamp() - 10 * DAY).start().user("hi", "greet").save()
    sync_conversations()
    old = Conversation.objects.get(sender_id="old-conv")
    tag = Tag.objects.create(name="kept-tag")
    old.tags.add(tag)
    Note.objects.create(conversation=old, author=reviewer, text="note")
    old_handoff = handoff_row("old-conv", created_at=now - dt.timedelta(days=800))
    HandoffStatusChange.objects.create(request_id=old_handoff.pk, old_status="new", new_status="contacted",
                                       changed_by_name="x")
    recent_handoff = handoff_row("new-conv", created_at=now - dt.timedelta(days=400))

    out = io.StringIO()
    call_command("purge_old_conversations", "--days", "365", "--handoff-days", "730", stdout=out)
    assert "deleted 1 conversation(s) and 1 hand-off request(s)" in out.getvalue()

    assert event_count("old-conv") == 0 and event_count("new-conv") > 0
    assert list(Conversation.objects.values_list("sender_id", flat=True)) == ["new-conv"]
    assert not Note.objects.exists() and Tag.objects.filter(pk=tag.pk).exists()
    # Hand-offs follow their own setting: the 400-day-old request stays, the 800-day-old one goes.
    assert list(HandoffRequest.objects.values_list("pk", flat=True)) == [recent_handoff.pk]
    assert not HandoffStatusChange.objects.filter(request_id=old_handoff.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.RETENTION)
    assert entry.actor_name == "retention" and entry.detail["conversations"] == 1


def test_retention_dry_run_and_zero_keeps_everything(db):
    RasaConversation("ancient", start=dt.datetime.now().timestamp() - 900 * DAY).start().user("hi", "greet").save()
    out = io.StringIO()
    call_command("purge_old_conversations", "--days", "30", "--dry-run", stdout=out)
    assert "would delete 1 conversation(s)" in out.getvalue()
    call_command("purge_old_conversations", "--days", "0", "--handoff-days", "0", stdout=io.StringIO())
    assert event_count("ancient") > 0


def test_correction_flow_and_nlu_export(reviewer_client, db, tmp_path):
    (RasaConversation("web-correct").start()
     .user("is suboxone the same as methadone", "ask_detox", 0.41)
     .user("my name is Maria, how much is methadone", "ask_detox", 0.5)
     .save())
    sync_conversations()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                       ["web-correct"])
        first_id, second_id = [row[0] for row in cursor.fetchall()]
    conversation = Conversation.objects.get(sender_id="web-correct")
    transcript = reviewer_client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk]))
    add_url = reverse("admin:conversations_correction_add") + f"?event_id={first_id}"
    assert add_url in transcript.content.decode()

    form_page = reviewer_client.get(add_url)
    assert "is suboxone the same as methadone" in form_page.content.decode()
    for event_id in (first_id, second_id):
        response = reviewer_client.post(reverse("admin:conversations_correction_add"),
                                        {"event_id": event_id, "corrected_intent": "ask_mat", "_save": "Save"})
        assert response.status_code == 302
    correction = Correction.objects.get(event_id=first_id)
    assert (correction.text, correction.predicted_intent, correction.corrected_intent) == (
        "is suboxone the same as methadone", "ask_detox", "ask_mat")
    assert correction.conversation == conversation

    # Same intent as predicted is not a correction.
    again = reviewer_client.post(reverse("admin:conversations_correction_add"),
                                 {"event_id": second_id, "corrected_intent": "ask_detox", "_save": "Save"})
    assert again.status_code == 200

    output = tmp_path / "corrections.yml"
    err = io.StringIO()
    call_command("export_corrections", "--output", str(output), stdout=io.StringIO(), stderr=err)
    content = yaml.safe_load(output.read_text())
    assert content["version"] == "3.1"
    assert content["nlu"] == [{"intent": "ask_mat", "examples": "- is suboxone the same as methadone\n"}]
    assert "skipped 1" in err.getvalue()  # the example with a name stays out of training data

    # Rasa itself reads the file as training data.
    from rasa.shared.nlu.training_data.loading import load_data

    training = load_data(str(output))
    assert [(m.get("text"), m.get("intent")) for m in training.intent_examples] == [
        ("is suboxone the same as methadone", "ask_mat")]


def test_seed_command_writes_rasa_shaped_events(db):
    call_command("seed_conversations", "--count", "40", "--seed", "3", stdout=io.StringIO())
    seeded = Conversation.objects.all()
    assert seeded.count() == 40
    assert {c.channel for c in seeded} <= {"socketio", "rest", "telegram", "slack", "twilio", "facebook"}
    assert all(c.turns >= 1 and c.started_at <= c.last_activity for c in seeded)
    assert seeded.filter(handoff=True).count() == HandoffRequest.objects.values("conversation_id").distinct().count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT type_name FROM events")
        types = {row[0] for row in cursor.fetchall()}
    assert {"user", "bot", "action", "session_started"} <= types


def test_speed_check_writes_report(db, tmp_path):
    report = tmp_path / "speed.md"
    call_command("seed_conversations", "--count", "60", "--speed-check", "--report", str(report), stdout=io.StringIO())
    text = report.read_text()
    assert "| list, first page |" in text and "| transcript |" in text
    assert report.with_suffix(".json").exists()


def test_the_fold_in_small_batches_gives_the_same_summary(db):
    for n in range(4):
        (RasaConversation(f"batch-{n}").start().user("what is detox", "ask_detox", 0.9)
         .bot("utter_detox", "Detox is ...").user("blorp", "nlu_fallback", 0.2).slot("language", "es").save())
    read = sync_conversations(batch_size=3)  # many short transactions
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(id) FROM events WHERE sender_id LIKE 'batch-%%'")
        count, newest = cursor.fetchone()
    assert read >= count
    folded = Conversation.objects.filter(sender_id__startswith="batch-")
    assert folded.count() == 4
    assert all((c.turns, c.fallback, c.language, c.first_message) == (2, True, "es", "what is detox") for c in folded)
    from conversations.models import SyncState, UnhelpedMessage

    assert SyncState.objects.get(key="events").value >= newest
    assert UnhelpedMessage.objects.filter(conversation__in=folded).count() == 4
    sync_conversations(batch_size=3)  # folding again changes nothing
    assert [c.turns for c in Conversation.objects.filter(sender_id__startswith="batch-")] == [2, 2, 2, 2]


def test_sync_every_needs_a_positive_interval(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sync_conversations", "--every", "0", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("sync_conversations", "--every", "5", "--max-events", "10", stdout=io.StringIO())


def test_the_background_fold_survives_a_failed_pass(db, monkeypatch, caplog):
    from django.db import OperationalError

    from conversations import sync

    passes = []

    def flaky():
        passes.append(len(passes))
        if len(passes) == 1:
            raise OperationalError("database is locked")
        return 0

    monkeypatch.setattr(sync, "sync_conversations", flaky)
    sync.sync_forever(0.01, stop=lambda: len(passes) >= 3, sleep=lambda seconds: None)
    assert passes == [0, 1, 2]
    assert "retrying" in caplog.text and "OperationalError" in caplog.text
