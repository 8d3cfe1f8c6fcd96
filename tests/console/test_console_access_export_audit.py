"""Login, roles, export with redaction, hand-off status flow and the audit trail."""
import csv
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from audit.models import AuditEntry
from conversations.models import Conversation
from conversations.redaction import redact
from conversations.sync import sync_conversations
from handoffs.models import HandoffRequest, HandoffStatusChange

from console_rasa_events import Conversation as RasaConversation
from console_rasa_events import handoff_row

LIST_URL = "admin:conversations_conversation_changelist"


@pytest.fixture
def personal_conversation(db):
    (RasaConversation("web-personal").start()
     .user("I want a callback", "request_callback", 0.93).action("handoff_form").loop("handoff_form")
     .user("my name is Maria Lopez", "inform", 0.7).slot("first_name", "Maria")
     .user("call me at +1 (555) 010-1234 or maria.lopez@example.org", "inform", 0.8)
     .bot("utter_ask_best_time", "Thanks Maria, when is a good time?")
     .user("=HYPERLINK(\"http://evil.example\")", "out_of_scope", 0.3)
     .save())
    handoff_row("web-personal", first_name="Maria", contact="+15550101234")
    sync_conversations()
    return Conversation.objects.get(sender_id="web-personal")


def export(client, conversation, fmt="csv", raw=False):
    data = {"action": "export_selected", "index": "0", "select_across": "0", "confirm": "yes",
            "_selected_action": [conversation.pk], "format": fmt}
    if raw:
        data["raw"] = "on"
    return client.post(reverse(LIST_URL), data)


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("url_name, args", [
    (LIST_URL, []),
    ("admin:handoffs_handoffrequest_changelist", []),
    ("admin:audit_auditentry_changelist", []),
    ("admin:index", []),
])
def test_anonymous_is_redirected_to_login(client, db, url_name, args):
    url = reverse(url_name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login")) and "next=" in response["Location"]


def test_anonymous_cannot_export(client, personal_conversation):
    response = export(client, personal_conversation)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not AuditEntry.objects.filter(action=AuditEntry.EXPORT).exists()


def test_login_with_password_and_csrf(db, roles):
    user = User.objects.create_user("nina", password="a long enough passphrase", is_staff=True)
    user.groups.add(roles["reviewer"])
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login_url = reverse("admin:login")
    # Without the CSRF token the login post is refused.
    assert strict.post(login_url, {"username": "nina", "password": "a long enough passphrase"}).status_code == 403
    page = strict.get(login_url)
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = strict.post(login_url, {"username": "nina", "password": "a long enough passphrase",
                                       "csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Strict"
    assert strict.get(reverse(LIST_URL)).status_code == 200


def test_session_times_out_after_inactivity(reviewer_client):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_SAVE_EVERY_REQUEST and 0 < settings.SESSION_COOKIE_AGE <= 3600
    key = reviewer_client.session.session_key
    # Each request pushes the server-side expiry to "idle time from now".
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(seconds=30))
    assert reviewer_client.get(reverse(LIST_URL)).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # After the idle time has passed the session is gone: back to the login page.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = reviewer_client.get(reverse(LIST_URL))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_reviewer_cannot_export(reviewer_client, personal_conversation):
    page = reviewer_client.get(reverse(LIST_URL))
    assert "export_selected" not in [name for name, _ in page.context["action_form"].fields["action"].choices]
    response = export(reviewer_client, personal_conversation)
    assert response.status_code == 302  # back to the list with "No action selected"
    assert "Maria" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.EXPORT).exists()


def test_reviewer_cannot_manage_users_or_read_audit(reviewer_client):
    assert reviewer_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert reviewer_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403


def test_admin_role_manages_users_but_cannot_make_superusers(admin_client_role, roles):
    response = admin_client_role.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    new = User.objects.create_user("fresh")
    form = admin_client_role.get(reverse("admin:auth_user_change", args=[new.pk])).context["adminform"]
    assert "is_superuser" in form.readonly_fields and "user_permissions" in form.readonly_fields


def test_admin_export_csv_is_redacted_by_default(admin_client_role, console_admin, personal_conversation):
    confirm = admin_client_role.post(reverse(LIST_URL), {
        "action": "export_selected", "index": "0", "_selected_action": [personal_conversation.pk]})
    assert confirm.status_code == 200 and b"unredacted" in confirm.content  # the explicit raw choice

    response = export(admin_client_role, personal_conversation)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = body(response)
    rows = list(csv.DictReader(io.StringIO(text)))
    messages = [r["text"] for r in rows if r["type"] == "user"]
    assert "my name is [NAME]" in messages
    assert "call me at [PHONE] or [EMAIL]" in messages
    assert "Thanks [NAME], when is a good time?" in [r["text"] for r in rows if r["type"] == "bot"]
    assert "Maria" not in text and "555" not in text and "example.org" not in text
    assert messages[-1].startswith("'=HYPERLINK")  # no spreadsheet formula injection
    assert {r["intent"] for r in rows if r["type"] == "user"} >= {"request_callback", "inform"}

    entry = AuditEntry.objects.get(action=AuditEntry.EXPORT)
    assert entry.actor == console_admin and entry.detail["raw"] is False and entry.detail["format"] == "csv"
    assert entry.detail["conversation_ids"] == ["web-personal"]


def test_admin_raw_json_export_is_audited(admin_client_role, personal_conversation):
    response = export(admin_client_role, personal_conversation, fmt="json", raw=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(body(response))
    assert data["redacted"] is False
    conv = data["conversations"][0]
    assert conv["conversation_id"] == "web-personal" and conv["flags"]["handoff"] is True
    assert "my name is Maria Lopez" in [m["text"] for m in conv["messages"]]
    entry = AuditEntry.objects.get(action=AuditEntry.EXPORT)
    assert entry.detail["raw"] is True and entry.detail["format"] == "json"


@pytest.mark.parametrize("text, expected", [
    ("my name is Maria and I need help", "my name is [NAME] and I need help"),
    ("I'm worried about my son", "I'm worried about my son"),
    ("this is John Smith", "this is [NAME]"),
    ("reach me: jane_doe+x@mail.example.com", "reach me: [EMAIL]"),
    ("my number is 555.010.1234", "my number is [PHONE]"),
    ("text me at (212) 555-0199 tonight", "text me at [PHONE] tonight"),
    ("call 988 or 1-800-662-4357", "call 988 or 1-800-662-4357"),  # public helplines stay
    ("my daughter is Ana", "my daughter is [NAME]"),
])
def test_redaction(text, expected, settings):
    assert redact(text) == expected


def test_redaction_uses_known_names(settings):
    assert redact("maria said she would call", ["Maria"]) == "[NAME] said she would call"


def test_transcript_view_is_audited(reviewer_client, reviewer, personal_conversation):
    url = reverse("admin:conversations_conversation_change", args=[personal_conversation.pk])
    assert reviewer_client.get(url).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.VIEW_TRANSCRIPT)
    assert entry.actor == reviewer and entry.actor_name == "rita-reviewer" and entry.target == "web-personal"
    assert "Maria" not in json.dumps(entry.detail)  # the trail holds ids, not message text


def test_audit_log_is_read_only_and_for_admins(admin_client_role, personal_conversation, console_admin):
    AuditEntry.objects.create(actor=console_admin, actor_name="adam-admin", action=AuditEntry.EXPORT, target="x")
    entry = AuditEntry.objects.first()
    assert admin_client_role.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert admin_client_role.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert admin_client_role.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]),
                                  {"post": "yes"}).status_code == 403
    response = admin_client_role.post(reverse("admin:audit_auditentry_change", args=[entry.pk]),
                                      {"action": "retention", "target": "forged"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.target == "x"


def test_handoff_queue_open_requests_oldest_first(reviewer_client, db):
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)
    older = handoff_row("web-a", first_name="Old", created_at=now - dt.timedelta(days=2))
    newer = handoff_row("web-b", first_name="New", contact="new@example.org", created_at=now)
    closed = handoff_row("web-c", first_name="Done", created_at=now - dt.timedelta(days=3), status="closed")
    response = reviewer_client.get(reverse("admin:handoffs_handoffrequest_changelist"))
    assert [h.pk for h in response.context["cl"].result_list] == [older.pk, newer.pk]  # closed ones hidden
    everything = reviewer_client.get(reverse("admin:handoffs_handoffrequest_changelist") + "?status=all")
    assert [h.pk for h in everything.context["cl"].result_list] == [closed.pk, older.pk, newer.pk]
    html = response.content.decode()
    assert "new@example.org" in html and "mornings" in html
    new_only = reviewer_client.get(reverse("admin:handoffs_handoffrequest_changelist") + "?status=new")
    assert {h.pk for h in new_only.context["cl"].result_list} >= {newer.pk, older.pk}


def test_handoff_status_flow_with_history_and_audit(reviewer_client, reviewer, db):
    handoff = handoff_row("web-status")
    url = reverse("admin:handoffs_handoffrequest_change", args=[handoff.pk])
    page = reviewer_client.get(url)
    assert page.status_code == 200
    assert [c[0] for c in page.context["adminform"].form.fields["status"].choices] == ["new", "contacted"]
    assert AuditEntry.objects.filter(action=AuditEntry.VIEW_HANDOFF, target=f"handoff:{handoff.pk}").exists()

    # Skipping a step is refused by the form.
    assert reviewer_client.post(url, {"status": "closed", "_save": "Save"}).status_code == 200
    handoff.refresh_from_db()
    assert handoff.status == "new"

    assert reviewer_client.post(url, {"status": "contacted", "_save": "Save"}).status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == "contacted" and handoff.status_changed_by == "rita-reviewer"
    assert handoff.status_changed_at is not None and handoff.contact == "+15550101234"  # rest untouched

    reviewer_client.post(reverse("admin:handoffs_handoffrequest_changelist"),
                         {"action": "close_no_answer", "_selected_action": [handoff.pk], "index": 0})
    handoff.refresh_from_db()
    assert handoff.status == "closed" and handoff.outcome == "no_answer"
    history = list(HandoffStatusChange.objects.filter(request_id=handoff.pk).order_by("id")
                   .values_list("old_status", "new_status", "changed_by_name"))
    assert history == [("new", "contacted", "rita-reviewer"), ("contacted", "closed", "rita-reviewer")]
    audited = AuditEntry.objects.filter(action=AuditEntry.HANDOFF_STATUS, target=f"handoff:{handoff.pk}")
    assert sorted((e.detail["old"], e.detail["new"]) for e in audited) == [("contacted", "closed"), ("new", "contacted")]
    assert all(e.actor == reviewer for e in audited)


def test_handoff_cannot_be_added_or_deleted_from_console(admin_client_role, db):
    handoff = handoff_row("web-keep")
    assert admin_client_role.get(reverse("admin:handoffs_handoffrequest_add")).status_code == 403
    admin_client_role.post(reverse("admin:handoffs_handoffrequest_delete", args=[handoff.pk]), {"post": "yes"})
    assert HandoffRequest.objects.filter(pk=handoff.pk).exists()


def test_export_audit_records_that_a_search_was_used_not_its_words(admin_client_role, personal_conversation):
    data = {"action": "export_selected", "index": "0", "select_across": "0", "confirm": "yes",
            "_selected_action": [personal_conversation.pk], "format": "csv"}
    response = admin_client_role.post(reverse(LIST_URL) + "?q=%2B1+%28555%29+010-1234&channel=socketio", data)
    assert response.status_code == 200
    body(response)
    entry = AuditEntry.objects.get(action=AuditEntry.EXPORT)
    assert entry.detail["search_used"] is True and entry.detail["filters"] == "channel=socketio"
    stored = json.dumps(entry.detail) + entry.target
    assert "555" not in stored and "1234" not in stored
