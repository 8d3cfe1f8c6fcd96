"""The transcript as the visitor saw it, and the flags other parts of the assistant set for staff:
language, thumbs on answers, contact details typed into the chat. Events are written the way
Rasa writes them (console_rasa_events)."""
import datetime as dt
import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from rasa.shared.core.events import BotUttered

from conversations.models import Conversation, Correction
from conversations.redaction import redact
from conversations.sync import sync_conversations

from console_rasa_events import Conversation as RasaConversation
from console_support import listed

LIST_URL = "admin:conversations_conversation_changelist"
NOTICE = "Hi, I'm the center's automated assistant. It is not medical advice."
CRISIS_LINES = {"type": "crisis", "lines": [{"label": "Call 911", "href": "tel:911"},
                                            {"label": "Call or text 988", "href": "tel:988"}]}


def session_start_with_notice(conversation: RasaConversation) -> RasaConversation:
    """Rasa's session start as the assistant stores it: the notice before the first message."""
    conversation.start()
    conversation.events.insert(2, BotUttered(NOTICE, {}, {}, timestamp=conversation._tick()))
    return conversation


@pytest.fixture
def chats(db):
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    (session_start_with_notice(RasaConversation("web-crisis-order", start=now - 600))
     .user("i took too much and cant breathe", "crisis_overdose", 0.98)
     .bot("utter_crisis_overdose", "If someone may be overdosing, call 911 right now.")
     .bot("utter_crisis_helplines", "SAMHSA's National Helpline ...", custom=CRISIS_LINES)
     .save())
    (session_start_with_notice(RasaConversation("web-es-feedback", start=now - 500))
     .user("como se quita la malilla", "ask_withdrawal", 0.87).slot("language", "es")
     .bot("utter_withdrawal", "Los sintomas de abstinencia ...")
     .slot("answer_feedback", {"message_id": "m-1", "rating": "down", "text": "Los sintomas de abstinencia ..."})
     .user("gracias", "thank", 0.95).bot("utter_goodbye", "De nada.")
     .slot("answer_feedback", {"message_id": "m-9", "rating": "up", "text": "an answer no longer stored"})
     .save())
    (RasaConversation("web-contact-typed", start=now - 400).start()
     .user("my name is Carla, reach me at 857-555-0199", "inform", 0.999)
     .slot("contact_details_shared", True)
     .bot("utter_offer_callback", "Would you like a specialist to call you at 857-555-0199?")
     .save())
    (RasaConversation("web-plain-en", start=now - 300).start()
     .user("what is detox", "ask_detox", 0.91).bot("utter_detox", "Detox is ...")
     .slot("answer_feedback", {"message_id": "m-2", "rating": "up", "text": "Detox is ..."})
     .save())
    sync_conversations()
    return {c.sender_id: c for c in Conversation.objects.all()}


def transcript(client, conversation):
    response = client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk]))
    assert response.status_code == 200
    return response


def test_notice_comes_after_the_crisis_reply_as_the_visitor_saw_it(reviewer_client, chats):
    entries = [e for e in transcript(reviewer_client, chats["web-crisis-order"]).context["transcript"]
               if not e.is_system]
    assert [e.text[:20] for e in entries] == [
        "i took too much and ", "If someone may be ov", "SAMHSA's National He", NOTICE[:20]]
    assert entries[-1].session_start
    html = transcript(reviewer_client, chats["web-crisis-order"]).content.decode()
    assert html.index("i took too much") < html.index("call 911 right now") < html.index(escape(NOTICE))
    # Crisis buttons read as the visitor saw them, not as JSON.
    assert "<li>Call 911</li>" in html and "<li>Call or text 988</li>" in html and '"href"' not in html


def test_notice_follows_the_first_message_of_an_ordinary_conversation(reviewer_client, chats):
    entries = [e for e in transcript(reviewer_client, chats["web-es-feedback"]).context["transcript"]
               if e.kind in ("user", "bot")]
    assert [e.kind for e in entries][:3] == ["user", "bot", "bot"]
    assert entries[1].text == NOTICE and entries[2].text.startswith("Los sintomas")


def test_visitor_messages_carry_intent_confidence_and_language(reviewer_client, chats):
    response = transcript(reviewer_client, chats["web-es-feedback"])
    user = next(e for e in response.context["transcript"] if e.kind == "user")
    assert user.language == "es"
    html = response.content.decode()
    assert "ask_withdrawal 0.87" in html  # the label on the visitor's bubble, rounded
    assert 'class="system-toggle"' in html and 'class="row user"' in html and 'class="row bot' in html
    assert "Times in America/New_York" in html


def test_thumbs_show_on_the_rated_answer(reviewer_client, chats):
    response = transcript(reviewer_client, chats["web-es-feedback"])
    rated = [e for e in response.context["transcript"] if e.feedback]
    assert [(e.kind, e.feedback) for e in rated] == [("bot", "down"), ("slot", "up")]
    assert rated[0].text.startswith("Los sintomas")
    html = response.content.decode()
    assert "Visitor rated this answer 👎 not helpful" in html
    assert "Visitor rated an answer 👍 helpful: “an answer no longer stored”" in html


def test_language_contact_and_disliked_flags_and_filters(reviewer_client, chats):
    assert chats["web-es-feedback"].language == "es" and chats["web-crisis-order"].language == "en"
    assert chats["web-contact-typed"].contact_shared and not chats["web-plain-en"].contact_shared
    assert chats["web-es-feedback"].disliked_answer and not chats["web-plain-en"].disliked_answer  # a 👍 is not
    assert listed(reviewer_client, "?language=es") == {"web-es-feedback"}
    assert listed(reviewer_client, "?language=en") == {"web-crisis-order", "web-contact-typed", "web-plain-en"}
    assert listed(reviewer_client, "?contact_shared__exact=1") == {"web-contact-typed"}
    assert listed(reviewer_client, "?disliked_answer__exact=1") == {"web-es-feedback"}
    page = reviewer_client.get(reverse(LIST_URL)).content.decode()
    assert 'title="contact details shared"' in page and 'title="crisis reply"' in page
    assert 'title="visitor disliked an answer"' in page


def test_list_previews_the_first_message_and_finds_part_of_an_id(reviewer_client, chats):
    page = reviewer_client.get(reverse(LIST_URL)).content.decode()
    assert "como se quita la malilla" in page and "i took too much and cant breathe" in page
    assert listed(reviewer_client, "?q=contact-ty") == {"web-contact-typed"}
    found = reviewer_client.get(reverse(LIST_URL) + "?q=malilla")
    assert {c.sender_id for c in found.context["cl"].result_list} == {"web-es-feedback"}
    assert "match: como se quita la malilla" in found.content.decode()


def test_a_get_of_the_list_writes_no_summary(reviewer_client, chats):
    RasaConversation("web-after", start=dt.datetime.now(dt.timezone.utc).timestamp()).start() \
        .user("hello", "greet").save()
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(reverse(LIST_URL))
    writes = [q["sql"] for q in queries.captured_queries
              if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"]) and "django_session" not in q["sql"]]
    assert writes == []
    assert "web-after" not in {c.sender_id for c in response.context["cl"].result_list}
    assert "newer event(s) not in this list yet" in response.content.decode()
    sync_conversations()
    caught_up = reviewer_client.get(reverse(LIST_URL))
    assert "web-after" in {c.sender_id for c in caught_up.context["cl"].result_list}
    assert "Summary updated less than a minute ago" in caught_up.content.decode() and "not in this list yet" not in caught_up.content.decode()


def test_correction_shows_on_its_message_and_returns_to_the_transcript(reviewer_client, chats):
    conversation = chats["web-es-feedback"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                       [conversation.sender_id])
        first, second = [row[0] for row in cursor.fetchall()]
    response = reviewer_client.post(reverse("admin:conversations_correction_add"),
                                    {"event_id": first, "corrected_intent": "ask_detox", "_save": "Save"})
    url = reverse("admin:conversations_conversation_change", args=[conversation.pk])
    assert response.status_code == 302 and response["Location"] == f"{url}#message-{first}"
    correction = Correction.objects.get(event_id=first)
    assert correction.language == "es"  # the language slot the bot set in that turn
    html = reviewer_client.get(url).content.decode()
    assert re.search(rf'id="message-{first}".*?Corrected to <strong>ask_detox</strong>', html, re.S)

    english = chats["web-plain-en"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM events WHERE sender_id = %s AND type_name = 'user'", [english.sender_id])
        english_id = cursor.fetchone()[0]
    reviewer_client.post(reverse("admin:conversations_correction_add"),
                         {"event_id": english_id, "corrected_intent": "ask_treatment", "_save": "Save"})
    assert Correction.objects.get(event_id=english_id).language == "en"


def test_export_corrections_per_language(chats, reviewer, tmp_path):
    for sender, intent in (("web-es-feedback", "ask_detox"), ("web-plain-en", "ask_treatment")):
        conversation = chats[sender]
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                           [sender])
            event_id = cursor.fetchone()[0]
        from conversations.queries import message_language, user_event

        found = user_event(event_id)
        Correction.objects.create(conversation=conversation, event_id=event_id, text=found["entry"].text,
                                  predicted_intent=found["entry"].intent, corrected_intent=intent,
                                  language=message_language(sender, event_id), created_by=reviewer)
    spanish = tmp_path / "es.yml"
    out = io.StringIO()
    call_command("export_corrections", "--language", "es", "--output", str(spanish), stdout=out)
    assert yaml.safe_load(spanish.read_text())["nlu"] == [
        {"intent": "ask_detox", "examples": "- como se quita la malilla\n"}]
    assert "in Spanish" in out.getvalue()
    everything = tmp_path / "all.yml"
    call_command("export_corrections", "--output", str(everything), stdout=io.StringIO())
    assert {b["intent"] for b in yaml.safe_load(everything.read_text())["nlu"]} == {"ask_detox", "ask_treatment"}


def test_redaction_spares_the_centers_own_number():
    from django.conf import settings

    center = settings.CENTER_PHONE
    assert center  # center.yml has one
    digits = re.sub(r"\D", "", center)
    national = f"({digits[-10:-7]}) {digits[-7:-4]}-{digits[-4:]}"
    text = f"call us at {national} or {center}; mine is 857-555-0199"
    assert redact(text) == f"call us at {national} or {center}; mine is [PHONE]"
    assert redact("SAMHSA 1-800-662-4357, 988 or 911") == "SAMHSA 1-800-662-4357, 988 or 911"
