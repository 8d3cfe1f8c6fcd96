"""The dashboard on the home page: the period's numbers in the center's time zone, drawn as
server-rendered SVG."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from conversations.sync import sync_conversations

from console_rasa_events import Conversation as RasaConversation
from console_rasa_events import handoff_row

CENTER_TZ = ZoneInfo("America/New_York")


def center_today() -> dt.date:
    return dt.datetime.now(CENTER_TZ).date()


def at(day: dt.date, hour: int) -> float:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CENTER_TZ).timestamp()


@pytest.fixture
def activity(db):
    today = center_today()
    yesterday = today - dt.timedelta(days=1)
    (RasaConversation("web-dash-crisis", start=at(yesterday, 10)).start()
     .user("i want to end it all", "crisis_suicidal", 0.97).bot("utter_crisis_suicidal", "Please call or text 988 now.")
     .save())
    (RasaConversation("telegram:dash-1", "telegram", start=at(yesterday, 11)).start()
     .user("what is detox", "ask_detox", 0.9).bot("utter_detox", "Detox is ...")
     .user("how does methadone work", "ask_mat", 0.9).bot("utter_mat", "Methadone ...").save())
    (RasaConversation("web-dash-detox", start=at(today - dt.timedelta(days=2), 9)).start()
     .user("tell me about detox", "ask_detox", 0.9).bot("utter_detox", "Detox is ...").save())
    for n in range(3):
        (RasaConversation(f"web-dash-pizza-{n}", start=at(today - dt.timedelta(days=3), 12 + n)).start()
         .user("Can you order me a   PIZZA", "out_of_scope", 0.8).bot("utter_out_of_scope", "I can't help.").save())
    (RasaConversation("web-dash-weather", start=at(today - dt.timedelta(days=3), 16)).start()
     .user("weather tomorrow?", "nlu_fallback", 0.2).save())
    # Late last evening in the center's time zone: already "today" in UTC.
    (RasaConversation("web-dash-late", start=at(yesterday, 23) + 1800).start()
     .user("hi", "greet", 0.99).save())
    # Out of the default period (10 days ago).
    (RasaConversation("web-dash-old", start=at(today - dt.timedelta(days=10), 9)).start()
     .user("i took too much", "crisis_overdose", 0.97).save())
    now = dt.datetime.now(dt.timezone.utc)
    oldest = handoff_row("telegram:dash-1", created_at=now - dt.timedelta(days=2), channel="telegram")
    handoff_row("web-dash-detox", created_at=now - dt.timedelta(hours=5))
    handoff_row("web-dash-crisis", created_at=now - dt.timedelta(hours=3), status="contacted")
    sync_conversations()
    return {"today": today, "yesterday": yesterday, "oldest_handoff": oldest}


def dashboard(client, query=""):
    response = client.get(reverse("admin:index") + query)
    assert response.status_code == 200
    return response


def test_times_and_days_are_the_centers(activity):
    assert settings.TIME_ZONE == "America/New_York"


def test_dashboard_shows_the_last_seven_days(reviewer_client, activity):
    response = dashboard(reviewer_client)
    context = response.context
    assert (context["period"].first_day, context["period"].last_day) == (
        activity["today"] - dt.timedelta(days=6), activity["today"])
    assert context["totals"]["conversations"] == 8 and context["totals"]["crisis"] == 1
    assert [c.sender_id for c in context["crises"]] == ["web-dash-crisis"]
    assert context["handoffs_by_status"] == {"new": 2, "contacted": 1, "closed": 0}
    assert context["oldest_new_handoff"].pk == activity["oldest_handoff"].pk
    assert context["totals"]["unhelped"] == 4 and context["unhelped_rate"] == pytest.approx(4 / 8)
    assert [(m["text"], m["n"]) for m in context["unhelped_messages"]] == [
        ("can you order me a pizza", 3), ("weather tomorrow?", 1)]
    html = response.content.decode()
    crisis_url = reverse("admin:conversations_conversation_change", args=[context["crises"][0].pk])
    assert f'href="{crisis_url}"' in html and "i want to end it all" in html
    # Charts are inline SVG; nothing is loaded from another host.
    assert html.count("<svg class=\"chart\"") == 2 and "<rect" in html
    assert "ask_detox" in str(context["topics_chart"]) and "ask_mat" in str(context["topics_chart"])
    assert "cdn" not in html.lower() and 'src="http' not in html


def test_topics_and_days_by_the_centers_calendar(reviewer_client, activity):
    yesterday = activity["yesterday"]
    one_day = dashboard(reviewer_client, f"?start={yesterday}&end={yesterday}").context
    assert one_day["totals"]["conversations"] == 3  # crisis, telegram and the late-evening one
    per_day = one_day["per_day_chart"]
    assert "socketio" in per_day and "telegram" in per_day
    topics = dashboard(reviewer_client, f"?start={activity['today'] - dt.timedelta(days=6)}").context
    from dashboard import queries

    ranked = queries.top_topics(topics["period"])
    assert ranked[0] == ("ask_detox", 2) and ("ask_mat", 1) in ranked
    assert all(not name.startswith("crisis_") and name != "greet" for name, _ in ranked)
    longer = dashboard(reviewer_client, f"?start={activity['today'] - dt.timedelta(days=13)}").context
    assert longer["totals"]["crisis"] == 2


@pytest.mark.parametrize("query", ["?start=yesterday", "?start=2026-05-02&end=2026-05-01", "?end=2026-13-45"])
def test_bad_periods_fall_back_to_the_default_with_a_message(reviewer_client, activity, query):
    response = dashboard(reviewer_client, query)
    assert response.context["period"].last_day == activity["today"]
    assert response.context["period_form"].errors


def test_the_list_filters_by_the_centers_day(reviewer_client, activity):
    url = reverse("admin:conversations_conversation_changelist")
    yesterday = activity["yesterday"]
    response = reviewer_client.get(url + f"?started_from={yesterday}&started_to={yesterday}")
    assert {c.sender_id for c in response.context["cl"].result_list} == {
        "web-dash-crisis", "telegram:dash-1", "web-dash-late"}
