"""Issue 21 against the real stack: the first crisis bubble in view at every
size, one conversation across tabs, room on a phone with the keyboard open,
the unread badge, the composer's limit, reading history while answers
arrive, download of the transcript. axe-core runs in each state."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.widget.driver import Widget
from tests.widget.support import DESKTOP, MOBILE, REPORTS
from tests.widget.test_widget_stack import ANSWER, QUESTION, run_axe

CRISIS = "my friend is not breathing"
FIRST_CRISIS_BUBBLE = r"call 911 right now"
LAST_CRISIS_BUBBLE = r"SAMHSA's National Helpline"
SERVER_LIMIT = 2000  # connectors/web.py MAX_MESSAGE_CHARS

SIZES = {
    "desktop-1280x800": DESKTOP,
    "phone-375x740": MOBILE,
    "phone-320x568": {"width": 320, "height": 568},
}


def assert_no_axe_violations(page, state: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{state}: " + json.dumps(violations, indent=2)


def assert_in_view(widget: Widget, bubble, what: str) -> dict:
    box = widget.visibility(bubble)
    # Its top line is inside the conversation area and the window: the visitor reads it first.
    assert box["top"] >= box["scrollTop"] - 1, (what, box)
    assert box["top"] < box["scrollBottom"] - 20, (what, box)
    assert box["visible"] >= min(box["height"], 60), (what, box)
    return box


@pytest.mark.parametrize("name", list(SIZES))
def test_first_crisis_bubble_is_in_view_after_a_crisis_reply(new_page, site_url, name):
    REPORTS.mkdir(exist_ok=True)
    page = new_page(viewport=SIZES[name], bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)  # some history above

    widget.send(CRISIS)
    first = widget.bot_reply(FIRST_CRISIS_BUBBLE)
    widget.bot_reply(LAST_CRISIS_BUBBLE)  # every part has arrived (paced)
    expect(widget.typing).to_be_hidden(timeout=15_000)
    expect(widget.crisis_banner.get_by_role("link", name="Call 911")).to_be_visible()
    expect(widget.crisis_banner.get_by_role("link", name="Call or text 988")).to_be_visible()

    assert_in_view(widget, first, name)
    page.screenshot(path=str(REPORTS / f"widget-crisis-{name}.png"))
    assert_no_axe_violations(page, f"crisis reply at {name}")
    # The rest of the reply is one tap away.
    if widget.new_messages.is_visible():
        widget.new_messages.click()
        assert_in_view(widget, widget.bot_bubbles.last, name)
        page.screenshot(path=str(REPORTS / f"widget-crisis-{name}-end.png"))


def test_keyboard_at_320x300_keeps_the_header_and_the_last_message_visible(new_page, site_url):
    REPORTS.mkdir(exist_ok=True)
    page = new_page(viewport={"width": 320, "height": 568}, bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)
    # The on-screen keyboard takes the bottom of the screen: the viewport shrinks to 300 px.
    page.set_viewport_size({"width": 320, "height": 300})
    widget.input.click()

    widget.send(CRISIS)
    first = widget.bot_reply(FIRST_CRISIS_BUBBLE)
    header = widget.header.bounding_box()
    assert header["y"] >= 0 and header["y"] + header["height"] <= 300, header
    expect(page.get_by_role("button", name="Close chat")).to_be_in_viewport()
    assert_in_view(widget, first, "320x300, crisis")
    expect(widget.crisis_banner.get_by_role("link", name="Call 911")).to_be_in_viewport()
    page.screenshot(path=str(REPORTS / "widget-crisis-keyboard-320x300.png"))

    expect(widget.typing).to_be_hidden(timeout=15_000)
    widget.ask("what is detox?", r"detox")
    last = widget.messages.last
    assert_in_view(widget, last, "320x300, last message")
    composer = widget.input.bounding_box()
    assert composer["y"] + composer["height"] <= 300
    conversation = widget.scroller.bounding_box()
    assert conversation["height"] >= 100, f"only {conversation['height']} px of conversation"
    page.screenshot(path=str(REPORTS / "widget-keyboard-320x300.png"))
    assert_no_axe_violations(page, "keyboard open at 320x300")


def test_phone_numbers_never_wrap_and_tel_links_are_e164(new_page, site_url):
    page = new_page(viewport={"width": 320, "height": 568})
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.send(CRISIS)
    widget.bot_reply(LAST_CRISIS_BUBBLE)
    hrefs = page.locator("[data-center-chat] a[href^='tel:']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    assert all(re.fullmatch(r"tel:(\+1\d{10}|911|988)", href) for href in hrefs), hrefs
    # Each number sits on one line.
    heights = page.locator("[data-center-chat] a[href^='tel:+']").evaluate_all(
        """links => links.map(a => { const r = a.getClientRects(); return r.length; })"""
    )
    assert heights and max(heights) == 1, heights


def ask_and_settle(widget: Widget, text: str) -> None:
    """Sends `text` and waits until its turn is over: sent, answered, nothing pending."""
    widget.send(text)
    expect(widget.page.locator("[data-center-chat] .msg.user").last).to_have_attribute("data-status", "sent", timeout=30_000)
    expect(widget.typing).to_be_hidden(timeout=30_000)
    assert widget.transcript()[-1][0] == "bot", f"no answer to {text!r}"


def test_two_tabs_share_one_transcript_without_duplicates(new_page, site_url):
    a = Widget(new_page()).goto(site_url)
    a.open()
    b = Widget(a.page.context.new_page()).goto(site_url)
    b.open()
    questions = ["What is heroin addiction?", "what is detox?", "what is withdrawal?", "what is counselling?",
                 "what is medication-assisted treatment?"]

    ask_and_settle(a, questions[0])
    ask_and_settle(b, questions[1])
    a.page.reload()
    a.open()
    ask_and_settle(a, questions[2])
    b.page.reload()
    b.open()
    ask_and_settle(b, questions[3])
    ask_and_settle(a, questions[4])

    for widget in (a, b):
        expect(widget.page.locator("[data-center-chat] .msg.user[data-status=sending], "
                                   "[data-center-chat] .msg.user[data-status=pending]")).to_have_count(0)
    expect(b.messages).to_have_count(a.messages.count())
    assert a.transcript() == b.transcript()
    assert [text for who, text, _ in a.transcript() if who == "user"] == questions
    assert all(status == "sent" for who, _, status in a.transcript() if who == "user")
    # Every answer once: no bubble is there twice.
    bot_texts = [text for who, text, _ in a.transcript() if who == "bot"]
    assert len(bot_texts) == len(set(bot_texts)), bot_texts
    stored = a.stored_transcript()
    assert len({entry["id"] for entry in stored}) == len(stored)

    # Still the same after another reload.
    a.page.reload()
    a.open()
    assert a.transcript() == b.transcript()


def test_unread_badge_appears_and_clears(new_page, site_url):
    page = new_page(bypass_csp=True)
    widget = Widget(page).goto(site_url)
    title = page.title()
    widget.open()
    widget.send(QUESTION)
    page.get_by_role("button", name="Close chat").click()

    expect(widget.badge).to_be_visible(timeout=30_000)
    expect(widget.badge).to_have_text(re.compile(r"^[1-9]"))
    assert re.match(r"^\(\d\) ", page.title()), page.title()
    expect(page.get_by_role("button", name=re.compile(r"^Chat with us\W+\d+ new messages?$"))).to_be_visible()
    assert_no_axe_violations(page, "unread badge")

    widget.launcher.click()
    widget.bot_reply(ANSWER)
    expect(widget.badge).to_be_hidden()
    assert page.title() == title


def test_composer_counter_appears_and_the_limit_is_enforced(new_page, site_url):
    page = new_page(bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    expect(widget.counter).to_be_hidden()

    widget.input.fill("a" * 1700)
    expect(widget.counter).to_be_visible()
    expect(widget.counter).to_have_text("1,700 of 2,000 characters")

    # A long paste is kept whole, not cut: the counter says by how much it is over, and it is not sent.
    widget.input.fill("b" * 2500)
    assert len(widget.input.input_value()) == 2500
    expect(widget.counter).to_have_text(re.compile(r"^500 characters over the limit of 2,000"))
    widget.input.press("Enter")
    widget.send_button.click()
    expect(widget.user_bubbles).to_have_count(0)
    assert widget.input.get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page, "over the limit")

    # The multi-line field grows, and exactly the server's limit goes through.
    message = ("What is heroin addiction? " * 100)[:SERVER_LIMIT - 1] + "?"
    widget.input.fill(message)
    assert widget.input.bounding_box()["height"] > 60, "the field grows with its text"
    expect(widget.counter).to_have_text("2,000 of 2,000 characters")
    widget.input.press("Enter")
    expect(widget.user_bubbles).to_have_count(1)
    expect(widget.page.locator("[data-center-chat] .msg.user").last).to_have_attribute("data-status", "sent", timeout=30_000)
    expect(widget.bot_bubbles.last).not_to_contain_text("too long")
    expect(widget.counter).to_be_hidden()

    # Shift+Enter is a new line, Enter sends.
    widget.input.type("first line")
    widget.input.press("Shift+Enter")
    widget.input.type("second line")
    assert widget.input.input_value() == "first line\nsecond line"


def test_reading_history_is_not_yanked_by_arriving_messages(new_page, site_url):
    page = new_page(viewport=MOBILE, bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)
    widget.ask("tell me more", r"in the short term")
    widget.send(CRISIS)
    widget.bot_reply(FIRST_CRISIS_BUBBLE)
    # The widget's own scroll to that first bubble ends first (on a loaded CI machine it
    # could land after the test's scroll and read as a yank); then the visitor scrolls back
    # up while the rest of the reply is still coming.
    widget.scroller.evaluate("""el => new Promise(done => {
        let last = -1, still = 0;
        const tick = () => {
          if (el.scrollTop === last) { if (++still >= 5) return done(); } else { still = 0; last = el.scrollTop; }
          requestAnimationFrame(tick);
        };
        tick();
    })""")
    widget.scroller.evaluate("el => el.scrollTo(0, 0)")
    widget.bot_reply(LAST_CRISIS_BUBBLE)
    expect(widget.typing).to_be_hidden(timeout=15_000)
    assert widget.scroller.evaluate("el => el.scrollTop") == 0, "an arriving message moved the view"
    expect(widget.new_messages).to_be_visible()
    assert_no_axe_violations(page, "new messages button")

    widget.new_messages.click()
    expect(widget.new_messages).to_be_hidden()
    assert_in_view(widget, widget.messages.last, "after New messages")


def test_empty_state_has_one_greeting_and_starter_topics(new_page, site_url):
    page = new_page(bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    starters = page.locator("[data-center-chat] .starter")
    expect(starters).to_have_count(4)
    expect(widget.messages).to_have_count(0)
    assert_no_axe_violations(page, "empty state")

    starters.filter(has_text="Treatment options").click()
    expect(widget.user_bubbles.last).to_have_text("Treatment options")
    widget.bot_reply(r"breaking its cycle is difficult")
    expect(starters).to_have_count(0)
    # One greeting: the server's notice, no second local "Hi!".
    texts = [text for who, text, _ in widget.transcript() if who == "bot"]
    assert sum(1 for text in texts if re.match(r"^(Hi|Hello)\b", text)) <= 1, texts
    # Grouped bubbles carry the name and time once per group.
    expect(page.locator("[data-center-chat] .msg.bot.first .group-meta .who").first).to_have_text("Assistant")
    expect(page.locator("[data-center-chat] .day").first).to_have_text("Today")
    assert page.locator("[data-center-chat] .msg.bot .bubble[dir=auto]").count() >= 1


def test_download_transcript_is_a_text_file_made_in_the_browser(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download transcript").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".txt")
    text = open(download.path(), encoding="utf-8").read()
    assert f"You: {QUESTION}" in text
    assert re.search(r"Assistant: Heroin addiction is continuing", text)
    assert not [url for url in requests if not url.startswith("blob:")], requests


def test_callback_summary_shows_the_visitors_number_as_text_and_the_confirmation_in_view(new_page, site_url):
    page = new_page(viewport={"width": 320, "height": 568}, bypass_csp=True)
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask("could somebody give me a call", r"first name|your name")
    widget.ask("Alex", r"phone|email")
    widget.ask("(413) 555-0187", r"best time|when")
    widget.ask("late afternoons", r"yourself|loved one|for whom|who")
    summary = widget.ask("it's for my husband", r"here's what I have")
    expect(summary).to_contain_text("555-0187")
    assert summary.locator("a[href^='tel:']").count() == 0, "the visitor's own number is not a link"
    # Quick replies are choices: hovering one does not fill it like a chosen answer.
    yes = widget.quick_replies.filter(has_text="Yes, contact me")
    yes.hover()
    assert yes.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    assert_no_axe_violations(page, "callback summary")

    yes.click()
    confirmation = widget.bot_reply(r"Your request is saved")
    card = page.locator("[data-center-chat] [data-kind=contact-card]")
    expect(card).to_be_visible()
    expect(widget.typing).to_be_hidden(timeout=15_000)
    assert_in_view(widget, confirmation, "confirmation above the contact card")
    expect(card.get_by_role("link", name=re.compile(r"^Call "))).to_have_attribute("href", "tel:+15550100199")
    page.screenshot(path=str(REPORTS / "widget-callback-320x568.png"))
