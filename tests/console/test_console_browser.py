"""The console in a real browser (Playwright driving Debian's chromium; no browser download)."""
import os

import pytest

from conversations.models import Conversation
from conversations.sync import sync_conversations

from console_support import login
from console_rasa_events import Conversation as RasaConversation

XSS_TEXT = '<script>window.__pwned = 1; alert("xss")</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture
def seeded(transactional_db, reviewer):
    (RasaConversation("web-handoff-browser").start()
     .user("I'd like to talk to a specialist", "request_specialist", 0.96)
     .action("action_share_specialist_contact").user("yes", "affirm", 0.99).action("handoff_form")
     .save())
    (RasaConversation("web-plain-browser").start().user("what is detox", "ask_detox", 0.9)
     .bot("utter_detox", "Detox is ...").save())
    (RasaConversation("web-xss-browser").start().user(XSS_TEXT, "out_of_scope", 0.3)
     .bot("utter_out_of_scope", "I can only help with questions about addiction.").save())
    sync_conversations()
    return reviewer


def test_review_a_handoff_conversation(browser, live_server, seeded):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    login(page, live_server.url, seeded.username)

    page.goto(live_server.url + "/conversations/conversation/")
    page.click('#changelist-filter details[data-filter-title="hand-off requested"] a:text-is("Yes")')
    page.wait_for_load_state()
    assert "handoff__exact=1" in page.url
    if os.environ.get("CONSOLE_SCREENSHOTS"):
        page.screenshot(path=os.environ["CONSOLE_SCREENSHOTS"] + "/list.png", full_page=True)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "web-handoff-browser" in rows.first.inner_text()

    rows.first.locator(".field-sender_id a").click()
    page.wait_for_selector("#transcript")
    if os.environ.get("CONSOLE_SCREENSHOTS"):
        page.screenshot(path=os.environ["CONSOLE_SCREENSHOTS"] + "/transcript.png", full_page=True)
    transcript = page.locator("#transcript").inner_text()
    assert "I'd like to talk to a specialist" in transcript and "request_specialist" in transcript
    assert "request_specialist 0.96" in transcript  # the intent label on the visitor's message
    assert "action_share_specialist_contact" not in transcript  # system rows only on request
    page.check("#show-system")
    assert "action_share_specialist_contact" in page.locator("#transcript").inner_text()

    page.select_option("#id_review_status", "reviewed")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    conversation = Conversation.objects.get(sender_id="web-handoff-browser")
    assert conversation.review_status == "reviewed" and conversation.reviewed_by == seeded
    assert errors == []  # the admin's scripts run under the console's Content-Security-Policy


def test_stored_xss_renders_as_text(browser, live_server, seeded):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server.url, seeded.username)
    page.goto(live_server.url + "/conversations/conversation/?q=pwned")
    page.locator("#result_list tbody tr .field-sender_id a").first.click()
    page.wait_for_selector("#transcript")
    assert XSS_TEXT in page.locator("#transcript").inner_text()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#transcript script").count() == 0 and page.locator("#transcript img").count() == 0
    assert dialogs == []
