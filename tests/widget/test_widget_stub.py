"""Widget behaviour that the real bot cannot trigger on demand.

These tests use tests/widget/stub_rasa.py, a TEST-ONLY stand-in for Rasa's
socketio channel (same events, rooms and acknowledgements), because the real
bot never sends markup and the real server cannot be held down while a
visitor types. Everything else is tested against the real stack.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.widget.driver import Widget


def test_bot_markup_is_shown_as_text_and_only_safe_links_are_links(new_page, stub_site_url):
    """Uses the test-only socketio stub: the real bot never says `<img src=x onerror=...>`."""
    page = new_page()
    widget = Widget(page).goto(stub_site_url)
    widget.open()
    widget.send("xss")
    bubble = widget.bot_reply(r"^Look:")

    expect(bubble).to_contain_text('<img src=x onerror="window.__xssFired=1">')
    expect(bubble).to_contain_text("<script>window.__xssFired=2</script>")
    assert page.evaluate("window.__xssFired") is None
    assert page.evaluate(
        "document.querySelector('[data-center-chat]').shadowRoot.querySelectorAll('img:not(.logo), script').length"
    ) == 0
    hrefs = bubble.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://findtreatment.gov/", "tel:+18006624357"]  # E.164
    expect(bubble).to_contain_text("click me")  # markdown link with a javascript: target: label only, no link
    expect(bubble).to_contain_text("http://insecure.example.org")  # not on the allow-list: plain text


def test_message_typed_offline_is_marked_unsent_and_can_be_retried(new_page, stub_rasa, stub_site_url):
    """Uses the test-only socketio stub so the server can stay down while the visitor types."""
    page = new_page()
    page.add_init_script("window.CenterChatConfig = { unsentAfterMs: 1500 }")
    widget = Widget(page).goto(stub_site_url)
    widget.open()
    widget.ask("first", r"stub reply to: first")

    stub_rasa.stop()
    expect(widget.status).to_have_text(re.compile("Offline"))
    expect(page.locator("[data-center-chat] .offline")).to_contain_text("911")
    widget.send("second")
    last_user = page.locator("[data-center-chat] .msg.user").last
    expect(last_user).to_have_attribute("data-status", "pending")
    expect(last_user).to_contain_text("Waiting for the connection")
    expect(last_user).to_have_attribute("data-status", "unsent", timeout=10_000)
    expect(last_user).to_contain_text("Not sent.")
    retry = last_user.get_by_role("button", name="Retry sending: second")

    stub_rasa.start()
    expect(widget.status).to_have_text("Online", timeout=20_000)
    # Unsent messages are never sent behind the visitor's back.
    expect(last_user).to_have_attribute("data-status", "unsent")
    retry.click()
    widget.bot_reply(r"stub reply to: second")
    expect(last_user).to_have_attribute("data-status", "sent")


def test_widget_follows_the_language_of_the_conversation(new_page, stub_site_url):
    """Uses the test-only stub: the real server does not send `lang` yet (another part adds it)."""
    page = new_page()
    widget = Widget(page).goto(stub_site_url)
    widget.open()
    widget.ask("hola", r"^¡Hola!")
    expect(page.get_by_label("Su mensaje")).to_have_attribute("placeholder", "Escriba su pregunta…")
    expect(widget.status).to_have_text("En línea")
    expect(page.get_by_role("button", name="Cerrar el chat")).to_be_visible()
    # The language is the conversation's: a reload keeps it.
    page.reload()
    page.get_by_role("button", name="Chatee con nosotros").click()
    expect(widget.status).to_have_text("En línea", timeout=20_000)
    page.get_by_label("Su mensaje").fill("english please")
    page.get_by_label("Su mensaje").press("Enter")
    widget.bot_reply(r"^Hello again")
    expect(widget.input).to_have_attribute("placeholder", "Type your question…")
    # A message without `lang` keeps the current language.
    widget.ask("plain", r"stub reply to: plain")
    expect(widget.input).to_have_attribute("placeholder", "Type your question…")


def test_a_message_both_tabs_record_is_kept_once(new_page, stub_site_url):
    """Uses the test-only stub to send a reply after the turn is over, when no tab
    knows which of them should record it: both do, under the server's id."""
    a = Widget(new_page()).goto(stub_site_url)
    a.open()
    b = Widget(a.page.context.new_page()).goto(stub_site_url)
    b.open()
    expect(b.status).to_have_text("Online", timeout=20_000)
    a.send("late")
    for widget in (a, b):
        widget.bot_reply(r"^A reply after the turn")
        expect(widget.bot_bubbles.filter(has_text="A reply after the turn")).to_have_count(1)
    a.page.wait_for_timeout(500)  # the tabs' localStorage news has crossed
    for widget in (a, b):
        stored = [e for e in widget.stored_transcript() if e.get("text", "").startswith("A reply after the turn")]
        assert len(stored) == 1, stored
        expect(widget.bot_bubbles.filter(has_text="A reply after the turn")).to_have_count(1)
