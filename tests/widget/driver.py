"""Drives the chat widget in a Playwright page the way a visitor does.

Playwright's CSS and role selectors pierce the widget's open shadow root.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

STORAGE_SESSION_KEY = "center-chat:session"

# Describes the focused element inside the widget (or on the page) for keyboard tests.
ACTIVE_ELEMENT_JS = """() => {
  const host = document.querySelector('[data-center-chat]');
  let el = document.activeElement;
  if (el === host) el = host.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const inWidget = host.shadowRoot.contains(el);
  const name = el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.textContent.trim();
  return { inWidget, tag: el.tagName.toLowerCase(), name: name.replace(/\\s+/g, ' '),
           href: el.getAttribute('href'), cls: el.className };
}"""

# Resolves when every finite animation in the widget has finished (the typing dots loop forever).
FINISH_ANIMATIONS_JS = """() => Promise.all(
  document.querySelector('[data-center-chat]').shadowRoot.getAnimations()
    .filter(a => a.effect.getComputedTiming().iterations !== Infinity)
    .map(a => a.finished))"""


# Where an element of the widget is, against the conversation's scroll area and the window.
VISIBILITY_JS = """(el) => {
  const scroller = el.getRootNode().querySelector('.scroll');
  const r = el.getBoundingClientRect(), s = scroller.getBoundingClientRect();
  const top = Math.max(r.top, s.top, 0), bottom = Math.min(r.bottom, s.bottom, window.innerHeight);
  return { top: r.top, bottom: r.bottom, height: r.height, scrollTop: s.top, scrollBottom: s.bottom,
           visible: Math.max(0, bottom - top), windowHeight: window.innerHeight };
}"""

# The conversation as the visitor sees it: (who, text, status) per bubble, in order.
TRANSCRIPT_JS = """() => [...document.querySelector('[data-center-chat]').shadowRoot
  .querySelectorAll('.messages > li.msg')].map(li => [
    li.classList.contains('user') ? 'user' : 'bot',
    (li.querySelector('.bubble, .card') || li).textContent.trim(),
    li.getAttribute('data-status') || ''])"""


class Widget:
    def __init__(self, page: Page, launcher_name: str = "Chat with us"):
        self.page = page
        self.launcher = page.get_by_role("button", name=launcher_name)
        self.panel = page.get_by_role("dialog")
        self.input = page.get_by_label("Your message")
        self.send_button = page.get_by_role("button", name="Send", exact=True)
        self.bot_bubbles = page.locator("[data-center-chat] .msg.bot .bubble")
        self.user_bubbles = page.locator("[data-center-chat] .msg.user .bubble")
        self.quick_replies = page.locator("[data-center-chat] .quick-reply")
        self.crisis_banner = page.locator("[data-center-chat] .crisis")
        self.typing = page.locator("[data-center-chat] .typing")
        self.status = page.locator("[data-center-chat] .status")
        self.polite_live = page.locator("[data-center-chat] [data-live=polite]")
        self.assertive_live = page.locator("[data-center-chat] [data-live=assertive]")
        self.header = page.locator("[data-center-chat] .header")
        self.scroller = page.locator("[data-center-chat] .scroll")
        self.badge = page.locator("[data-center-chat] .badge")
        self.counter = page.locator("[data-center-chat] .counter")
        self.new_messages = page.locator("[data-center-chat] .new-messages")
        self.messages = page.locator("[data-center-chat] .messages > li.msg")

    def goto(self, url: str) -> "Widget":
        self.page.goto(url)
        expect(self.launcher).to_be_visible()
        return self

    def open(self, online: str = "Online") -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.status).to_have_text(online, timeout=30_000)

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.user_bubbles.last).to_have_text(text)

    def bot_reply(self, pattern: str, timeout: float = 30_000):
        """The bot bubble matching `pattern` (a case-insensitive regex), once it arrives."""
        bubble = self.bot_bubbles.filter(has_text=re.compile(pattern, re.IGNORECASE)).last
        expect(bubble).to_be_visible(timeout=timeout)
        return bubble

    def ask(self, text: str, answer_pattern: str):
        self.send(text)
        return self.bot_reply(answer_pattern)

    def settled_panel_box(self) -> dict:
        """The panel's box once its opening animation has finished (a loaded machine can lag it)."""
        self.page.evaluate(FINISH_ANIMATIONS_JS)
        return self.panel.bounding_box()

    def session_id(self) -> str | None:
        return self.page.evaluate(f"localStorage.getItem('{STORAGE_SESSION_KEY}')")

    def active(self) -> dict | None:
        return self.page.evaluate(ACTIVE_ELEMENT_JS)

    def visibility(self, locator) -> dict:
        """How much of `locator` shows inside the conversation area and the window (px)."""
        return locator.evaluate(VISIBILITY_JS)

    def transcript(self) -> list:
        return self.page.evaluate(TRANSCRIPT_JS)

    def stored_transcript(self) -> list:
        return self.page.evaluate("JSON.parse(localStorage.getItem('center-chat:transcript') || '[]')")
