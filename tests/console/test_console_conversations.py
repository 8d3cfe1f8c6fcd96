"""Flags, filters, search and the transcript page, on events written the way Rasa writes them."""
import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Conversation, Tag
from conversations.sync import sync_conversations

from console_rasa_events import Conversation as RasaConversation
from console_rasa_events import handoff_row
from console_support import listed

LIST_URL = "admin:conversations_conversation_changelist"
DAY = 86400


@pytest.fixture
def conversations(db):
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    (RasaConversation("web-crisis", "socketio", start=now - 2 * DAY).start()
     .user("hi", "greet").bot("utter_greet", "Hello!")
     .user("my friend took too much heroin and is not breathing", "crisis_overdose", 0.97)
     .bot("utter_crisis_overdose", "Call 911 now.", custom={"type": "crisis", "kind": "overdose"})
     .save())
    (RasaConversation("telegram:1001", "telegram", start=now - 10 * DAY).start()
     .user("what is methadone treatment", "ask_mat", 0.91).bot("utter_mat", "Methadone is ...")
     .user("how long does withdrawal last", "ask_withdrawal", 0.88).bot("utter_withdrawal", "Withdrawal ...")
     .user("tell me more", "tell_me_more", 0.93).bot("utter_more_withdrawal", "More ...")
     .save())
    (RasaConversation("web-fallback", "socketio", start=now - 40 * DAY).start()
     .user("what's the weather on mars", "out_of_scope", 0.81).bot("utter_out_of_scope", "I can't help with that.")
     .user("blorp zzk", "nlu_fallback", 0.22).action("action_default_fallback")
     .bot("utter_default", "Sorry, I didn't get that.")
     .save())
    (RasaConversation("web-handoff", "socketio", start=now - 1 * DAY).start()
     .user("can I talk to a specialist", "request_specialist", 0.95).action("action_share_specialist_contact")
     .user("yes", "affirm", 0.99).action("handoff_form").loop("handoff_form")
     .user("I'm Maria", "inform", 0.45).slot("first_name", "Maria")
     .loop(None).action("action_handoff_to_specialist")
     .save())
    # Hand-off known only from the action server's table (e.g. the form ran in another session).
    (RasaConversation("slack:U42", "slack", start=now - 3 * DAY).start()
     .user("how do I help my son", "ask_help_loved_one", 0.9).bot("utter_help_loved_one", "...")
     .save())
    handoff_row("slack:U42", first_name="Jo", channel="slack")
    sync_conversations()
    return {c.sender_id: c for c in Conversation.objects.all()}


def test_summary_columns_and_flags(conversations):
    crisis = conversations["web-crisis"]
    assert crisis.crisis and not crisis.fallback and not crisis.handoff and not crisis.low_confidence
    assert crisis.turns == 2 and crisis.channel == "socketio"
    assert crisis.topics == "crisis_overdose"
    assert crisis.started_at < crisis.last_activity

    info = conversations["telegram:1001"]
    assert info.channel == "telegram" and info.turns == 3
    assert info.topics == "ask_mat, ask_withdrawal"  # small talk such as tell_me_more is not a topic
    assert not (info.crisis or info.fallback or info.handoff or info.low_confidence)

    fallback = conversations["web-fallback"]
    assert fallback.fallback and fallback.low_confidence and fallback.min_confidence == pytest.approx(0.22)

    handoff = conversations["web-handoff"]
    assert handoff.handoff and handoff.low_confidence and "|first_name|" in handoff.slots
    assert conversations["slack:U42"].handoff  # from the handoff_requests row alone


def test_sync_is_incremental(conversations):
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    RasaConversation("web-crisis", "socketio", start=now).user("i want to end it", "crisis_suicidal", 0.9).save()
    sync_conversations()
    updated = Conversation.objects.get(sender_id="web-crisis")
    assert updated.turns == 3
    assert updated.topics == "crisis_overdose, crisis_suicidal"
    sync_conversations()  # folding again must not double count
    assert Conversation.objects.get(sender_id="web-crisis").turns == 3


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?crisis__exact=1", {"web-crisis"}),
        ("?fallback__exact=1", {"web-fallback"}),
        ("?handoff__exact=1", {"web-handoff", "slack:U42"}),
        ("?low_confidence=yes", {"web-fallback", "web-handoff"}),
        ("?channel=telegram", {"telegram:1001"}),
        ("?intent=ask_withdrawal", {"telegram:1001"}),
        ("?action=utter_crisis_overdose", {"web-crisis"}),
        ("?action=action_handoff_to_specialist", {"web-handoff"}),
        ("?slot=first_name", {"web-handoff"}),
        ("?confidence=lt30", {"web-fallback"}),
        ("?confidence=gte90", {"web-crisis", "slack:U42"}),
        ("?length=2-3", {"web-crisis", "web-fallback", "telegram:1001", "web-handoff"}),
        ("?length=1", {"slack:U42"}),
        ("?review_status__exact=unreviewed", {"web-crisis", "web-fallback", "telegram:1001", "web-handoff",
                                              "slack:U42"}),
        ("?q=methadone", {"telegram:1001"}),
        ("?q=%22not+breathing%22", {"web-crisis"}),
        ("?q=MARS", {"web-fallback"}),
        ("?q=web-handoff", {"web-handoff"}),
        ("?crisis__exact=1&channel=telegram", set()),
    ],
)
def test_filters_and_search(reviewer_client, conversations, query, expected):
    assert listed(reviewer_client, query) == expected


def test_date_range_filter(reviewer_client, conversations):
    from django.utils import timezone

    today = timezone.localdate()  # the center's day
    recent = listed(reviewer_client, f"?started_from={today - dt.timedelta(days=5)}")
    assert recent == {"web-crisis", "web-handoff", "slack:U42"}
    older = listed(reviewer_client, f"?started_to={today - dt.timedelta(days=5)}")
    assert older == {"telegram:1001", "web-fallback"}
    window = listed(reviewer_client,
                    f"?started_from={today - dt.timedelta(days=15)}&started_to={today - dt.timedelta(days=5)}")
    assert window == {"telegram:1001"}
    since = quote(f"{today - dt.timedelta(days=5)} 00:00:00+00:00")  # as the "Past 7 days" link writes it
    active = listed(reviewer_client, f"?last_activity__gte={since}")
    assert active == {"web-crisis", "web-handoff", "slack:U42"}


def test_review_status_and_tag_filters(reviewer_client, conversations):
    tag = Tag.objects.create(name="good-example")
    conv = conversations["telegram:1001"]
    conv.tags.add(tag)
    Conversation.objects.filter(pk=conv.pk).update(review_status=Conversation.REVIEWED)
    assert listed(reviewer_client, "?review_status__exact=reviewed") == {"telegram:1001"}
    assert listed(reviewer_client, f"?tags__id__exact={tag.pk}") == {"telegram:1001"}


def test_list_is_paged_in_sql(reviewer_client, conversations):
    now = dt.datetime.now(dt.timezone.utc)
    Conversation.objects.bulk_create([
        Conversation(sender_id=f"bulk-{n}", started_at=now, last_activity=now, turns=1) for n in range(120)
    ])
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(reverse(LIST_URL) + "?p=2")
    assert len(response.context["cl"].result_list) == 50
    # Queries that fetch conversation rows for the page (not counts, date bounds, or the summary
    # refresh looking up the few conversations it folds events into).
    row_queries = [q["sql"] for q in queries.captured_queries
                   if q["sql"].startswith('SELECT "conversations_conversation"."id"')
                   and '"sender_id" IN (' not in q["sql"]]
    assert row_queries and all(sql.endswith("LIMIT 50 OFFSET 50") for sql in row_queries)


def test_transcript_shows_intents_confidences_and_actions_in_order(reviewer_client, conversations):
    conv = conversations["web-crisis"]
    response = reviewer_client.get(reverse("admin:conversations_conversation_change", args=[conv.pk]))
    assert response.status_code == 200
    transcript = response.context["transcript"]
    assert [e.kind for e in transcript][:6] == ["action", "user", "action", "bot", "user", "action"]
    user = [e for e in transcript if e.kind == "user"][1]
    assert user.intent == "crisis_overdose" and user.confidence == pytest.approx(0.97)
    html = response.content.decode()
    assert "crisis_overdose 0.97" in html and "utter_crisis_overdose" in html
    assert html.index("my friend took too much heroin") < html.index("Call 911 now.")


def test_hostile_message_is_escaped(reviewer_client, db):
    (RasaConversation("web-xss").start()
     .user('<script>window.pwned=1</script><img src=x onerror="alert(1)">', "out_of_scope", 0.4).save())
    sync_conversations()
    conv = Conversation.objects.get(sender_id="web-xss")
    response = reviewer_client.get(reverse("admin:conversations_conversation_change", args=[conv.pk]))
    html = response.content.decode()
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_mark_reviewed_tags_and_note(reviewer_client, reviewer, conversations):
    conv = conversations["web-handoff"]
    tag = Tag.objects.create(name="handoff-ok")
    url = reverse("admin:conversations_conversation_change", args=[conv.pk])
    response = reviewer_client.post(url, {
        "review_status": "reviewed", "tags": [tag.pk],
        "notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000", "notes-0-text": "Called back, all good.", "_save": "Save",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    conv.refresh_from_db()
    assert conv.review_status == "reviewed" and conv.reviewed_by == reviewer and conv.reviewed_at is not None
    assert list(conv.tags.all()) == [tag]
    note = conv.notes.get()
    assert note.text == "Called back, all good." and note.author == reviewer


def test_mark_reviewed_action(reviewer_client, conversations):
    ids = [conversations["web-crisis"].pk, conversations["web-fallback"].pk]
    reviewer_client.post(reverse(LIST_URL), {"action": "mark_reviewed", "_selected_action": ids, "index": 0})
    assert set(Conversation.objects.filter(review_status="reviewed").values_list("sender_id", flat=True)) == {
        "web-crisis", "web-fallback"}
