"""The chat widget in Debian's chromium against the real Rasa stack.

One Rasa stack (tests/support/stack.py: action server + `rasa run` with the
trained model) is started for the session; the demo page is served by
widget/serve.py and points the widget at it. Each test gets a fresh browser
context, so a fresh localStorage and a new conversation.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.widget.support import AXE, DESKTOP, MOBILE, REPORTS
from tests.widget.driver import Widget

QUESTION = "What is heroin addiction?"
ANSWER = r"heroin addiction is continuing to use heroin"
FOLLOW_UP_ANSWER = r"in the short term, heroin makes people feel good"


def test_ask_a_question_and_see_the_answer(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    expect(page.locator("[data-center-chat] .notice")).to_contain_text("not medical advice")
    assert widget.active()["name"] == "Type your question…", "opening the chat puts focus in the message field"
    # Record whether the typing indicator shows while the turn is handled.
    page.evaluate(
        """() => {
          const typing = document.querySelector('[data-center-chat]').shadowRoot.querySelector('.typing');
          window.__typingShown = false;
          new MutationObserver(() => { if (!typing.hidden) window.__typingShown = true; })
            .observe(typing, { attributes: true, attributeFilter: ['hidden'] });
        }"""
    )

    widget.ask(QUESTION, ANSWER)

    assert page.evaluate("window.__typingShown") is True
    expect(widget.typing).to_be_hidden()
    expect(page.locator("[data-center-chat] .msg.user").last).to_have_attribute("data-status", "sent")
    expect(widget.polite_live).to_contain_text(re.compile("Assistant: Heroin addiction is", re.IGNORECASE))


def test_quick_replies_send_the_payload_and_show_the_title(new_page, site_url, rasa_stack):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask("hello", r"what would you like to know")
    treatment = widget.quick_replies.filter(has_text="Treatment options")
    expect(treatment).to_be_visible()

    treatment.click()

    expect(widget.user_bubbles.last).to_have_text("Treatment options")  # the title, not "/ask_treatment"
    widget.bot_reply(r"breaking its cycle is difficult without professional treatment")
    # The quick replies now belong to the new answer.
    expect(widget.quick_replies.filter(has_text="Medical detox")).to_be_visible()
    expect(widget.quick_replies.filter(has_text="Withdrawal")).to_have_count(0)


def test_specialist_contact_card_has_a_tap_to_call_link(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask("I want to talk to a specialist", r"you can talk to a specialist")

    card = page.locator("[data-center-chat] [data-kind=contact-card]")
    expect(card).to_be_visible()
    call = card.get_by_role("link", name=re.compile(r"^Call "))
    expect(call).to_have_attribute("href", re.compile(r"^tel:\+\d{6,15}$"))


def test_crisis_message_shows_the_banner_with_911_and_988(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()

    widget.send("my friend is not breathing")

    widget.bot_reply(r"call 911 right now")
    expect(widget.crisis_banner).to_be_visible()
    expect(widget.crisis_banner.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(widget.crisis_banner.get_by_role("link", name="Call or text 988")).to_have_attribute("href", "tel:988")
    expect(widget.assertive_live).to_contain_text("call 911")
    # The banner sits above the conversation, visible without scrolling.
    banner_box = widget.crisis_banner.bounding_box()
    assert banner_box["y"] < page.locator("[data-center-chat] .scroll").bounding_box()["y"]


def test_reload_keeps_the_conversation_and_start_over_clears_it(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)
    session_before = widget.session_id()
    assert re.fullmatch(r"web:[A-Za-z0-9_-]{43}", session_before)

    page.reload()
    widget.open()

    expect(widget.user_bubbles.filter(has_text=QUESTION)).to_have_count(1)
    expect(widget.bot_bubbles.filter(has_text=re.compile(ANSWER, re.IGNORECASE))).to_have_count(1)
    assert widget.session_id() == session_before
    # Rasa still has the same conversation: a follow-up is answered in context.
    widget.ask("tell me more", FOLLOW_UP_ANSWER)

    # Another tab of the same visitor shows the same conversation.
    other_tab = Widget(page.context.new_page()).goto(site_url)
    other_tab.open()
    expect(other_tab.bot_bubbles.filter(has_text=re.compile(FOLLOW_UP_ANSWER, re.IGNORECASE))).to_have_count(1)
    other_tab.page.close()

    page.get_by_role("button", name="Start over").click()
    page.get_by_role("button", name="Yes, start over").click()
    expect(widget.user_bubbles).to_have_count(0)
    assert widget.session_id() not in (None, session_before)
    expect(widget.status).to_have_text("Online")
    # A new Rasa conversation: "tell me more" has no topic to follow up on.
    widget.ask("tell me more", r"what would you like to know more about")


def tab_until(page, widget, name, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = widget.active()
        if active and active["inWidget"] and active["name"] == name:
            return active
    raise AssertionError(f"Tab never reached {name!r}")


def test_keyboard_only_conversation_desktop_panel_is_not_modal(new_page, site_url):
    page = new_page()
    widget = Widget(page).goto(site_url)
    page.locator("body").focus()

    # Tab through the host page until the launcher has focus.
    for _ in range(30):
        page.keyboard.press("Tab")
        active = widget.active()
        if active and active["inWidget"]:
            break
    assert active["name"] == "Chat with us"
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.status).to_have_text("Online", timeout=30_000)
    assert widget.active()["name"] == "Type your question…", "opening moves focus into the panel"
    assert widget.panel.get_attribute("aria-modal") is None, "the desktop panel is not modal"

    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    widget.bot_reply(r"what would you like to know")
    expect(widget.quick_replies.first).to_be_visible()

    # A quick reply by keyboard.
    tab_until(page, widget, "Treatment options")
    page.keyboard.press("Enter")
    widget.bot_reply(r"breaking its cycle is difficult")
    assert widget.active()["name"] == "Type your question…", "after a quick reply focus returns to the input"

    # No focus trap: Tab goes on from the panel's last control to the page, which stays usable.
    left = False
    for _ in range(40):
        page.keyboard.press("Tab")
        active = widget.active()
        if active is None or not active["inWidget"]:
            left = True
            break
    assert left, "Tab stayed inside the desktop panel"
    page.get_by_role("link", name="Treatment", exact=True).click()
    expect(widget.panel).to_be_visible()
    assert page.evaluate("location.hash") == "#treatment"

    # The launcher toggles the panel; Esc closes it and focus goes back to the launcher.
    widget.launcher.click()
    expect(widget.panel).to_be_hidden()
    widget.launcher.click()
    expect(widget.panel).to_be_visible()
    assert widget.active()["name"] == "Type your question…"
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.active()["name"].startswith("Chat with us")


def test_phone_panel_is_a_full_screen_modal_with_focus_trap(new_page, site_url):
    page = new_page(viewport=MOBILE)
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask("hello", r"what would you like to know")
    expect(widget.quick_replies.first).to_be_visible()
    assert widget.panel.get_attribute("aria-modal") == "true"
    expect(widget.launcher).to_be_hidden()

    # Tab cycles through every control of the panel and stays inside it.
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        active = widget.active()
        assert active and active["inWidget"], f"focus left the open panel: {active}"
        if seen and active == seen[0]:
            break
        seen.append(active)
    names = [item["name"] for item in seen]
    for expected in ["Start over", "Close chat", "Download transcript", "Conversation", "Treatment options", "Type your question…", "Send"]:
        assert any(name == expected or name.startswith(expected) for name in names), (expected, names)
    assert len(seen) < 60, "Tab never came back to where it started: no focus trap"

    # Shift+Tab from the first control wraps to the last one.
    while widget.active() != seen[0]:
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert widget.active() == seen[-1]

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.active()["name"].startswith("Chat with us")


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    violations = _axe_violations(page)
    if any(v["id"] == "color-contrast" for v in violations):
        # Colours read while the page is still painting (seen only in CI, beside the
        # other suites) settle within a second; a real contrast defect stays and fails.
        # The first reading is kept in reports/ for whoever looks into it.
        REPORTS.mkdir(exist_ok=True)
        with (REPORTS / "axe-first-readings.jsonl").open("a", encoding="utf-8") as log:
            log.write(json.dumps({"url": page.url, "viewport": page.viewport_size, "violations": violations}) + "\n")
        page.wait_for_timeout(1000)
        violations = _axe_violations(page)
    return violations


def _axe_violations(page) -> list[dict]:
    result = page.evaluate(
        """async () => {
          // Measure the state the visitor reads: a panel fading in has half-transparent text.
          // Two frames first, so a panel shown a moment ago has started its animation.
          await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
          await Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null)));
          const result = await axe.run(document, { runOnly: { type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
          return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) }));
        }"""
    )
    return result


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_axe_finds_no_violations(new_page, site_url, viewport):
    # axe is injected as a script: the demo's CSP (script-src 'self') is bypassed for this test only.
    page = new_page(viewport=viewport, bypass_csp=True)
    widget = Widget(page).goto(site_url)
    assert run_axe(page) == [], "closed widget"

    widget.open()
    widget.ask("hello", r"what would you like to know")
    widget.ask("my friend is not breathing", r"call 911 right now")
    expect(widget.crisis_banner).to_be_visible()
    widget.ask("I want to talk to a specialist", r"you can talk to a specialist")
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=2)
    # The notice opened again, the crisis bar toggled, the start-over question.
    page.locator("[data-center-chat] .notice-toggle").click()
    page.locator("[data-center-chat] .crisis-toggle").click()
    page.get_by_role("button", name="Start over").click()
    expect(page.get_by_role("button", name="Yes, start over")).to_be_visible()
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_screenshots_and_layout_from_320px_to_desktop(new_page, site_url):
    REPORTS.mkdir(exist_ok=True)
    for name, viewport in [("desktop", DESKTOP), ("mobile-375", MOBILE), ("mobile-320", {"width": 320, "height": 640})]:
        page = new_page(viewport=viewport)
        widget = Widget(page).goto(site_url)
        widget.open()
        widget.ask(QUESTION, ANSWER)
        expect(widget.quick_replies.first).to_be_visible()
        panel = widget.settled_panel_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"]
        assert panel["y"] >= 0 and panel["y"] + panel["height"] <= viewport["height"]
        if viewport["width"] <= 480:
            assert panel["width"] == viewport["width"], "phones get a full-width panel"
        overflow = page.evaluate(
            """() => { const r = document.querySelector('[data-center-chat]').shadowRoot;
                       const s = r.querySelector('.scroll'); return s.scrollWidth - s.clientWidth; }"""
        )
        assert overflow <= 0, f"{name}: the conversation scrolls sideways"
        # Everything interactive stays inside the screen.
        for control in [widget.input, widget.send_button, page.get_by_role("button", name="Close chat")]:
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, name
        if name != "mobile-320":
            path = REPORTS / f"widget-{name}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000


def test_reduced_motion_is_respected(new_page, site_url):
    page = new_page(reduced_motion="reduce")
    widget = Widget(page).goto(site_url)
    widget.open()
    animation = page.evaluate(
        """() => { const r = document.querySelector('[data-center-chat]').shadowRoot;
                   return getComputedStyle(r.querySelector('.panel')).animationName; }"""
    )
    assert animation == "none"
    page.evaluate("document.querySelector('[data-center-chat]').shadowRoot.querySelector('.typing').hidden = false")
    expect(page.locator("[data-center-chat] .typing .still")).to_be_visible()
    expect(page.locator("[data-center-chat] .typing .dot").first).to_be_hidden()


def test_page_loads_nothing_from_other_hosts(new_page, site_url, rasa_stack):
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)

    allowed = {urlsplit(site_url).netloc, urlsplit(rasa_stack.rasa_url).netloc}
    assert requested
    assert {urlsplit(url).netloc for url in requested} <= allowed, requested
    assert errors == [], errors  # includes Content-Security-Policy violations


def test_rasa_restart_mid_conversation(new_page, site_url, rasa_stack):
    page = new_page()
    # A Rasa restart can take longer than the default minute before queued messages count as unsent.
    page.add_init_script("window.CenterChatConfig = { unsentAfterMs: 300000 }")
    widget = Widget(page).goto(site_url)
    widget.open()
    widget.ask(QUESTION, ANSWER)

    restart = threading.Thread(target=rasa_stack.restart_rasa)
    restart.start()
    try:
        expect(widget.status).to_have_text(re.compile("Offline"), timeout=60_000)
        expect(page.locator("[data-center-chat] .offline")).to_be_visible()
        # Typed while offline: queued, shown as waiting, sent when Rasa is back.
        widget.send("tell me more")
        expect(page.locator("[data-center-chat] .msg.user").last).to_have_attribute("data-status", "pending")
    finally:
        restart.join()

    expect(widget.status).to_have_text("Online", timeout=120_000)
    widget.bot_reply(FOLLOW_UP_ANSWER, timeout=60_000)
    expect(page.locator("[data-center-chat] .msg.user").last).to_have_attribute("data-status", "sent")
    widget.ask("my friend is not breathing", r"call 911 right now")
