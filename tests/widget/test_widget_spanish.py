"""The widget's own strings in Spanish (issue 20, widget part).

The language comes from the embed config (`language`: auto reads the page's
lang, then the browser's), and follows the conversation: a bot message may
carry `lang`. The Spanish demo page is /es/ (<html lang="es">)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.widget.driver import Widget
from tests.widget.support import MOBILE, REPORTS
from tests.widget.test_widget_conversation import assert_no_axe_violations


def spanish_widget(page, url):
    widget = Widget(page, launcher_name="Chatee con nosotros").goto(url)
    widget.input = page.get_by_label("Su mensaje")
    widget.send_button = page.get_by_role("button", name="Enviar", exact=True)
    return widget


def test_spanish_page_gets_the_spanish_widget_without_axe_violations(new_page, site_url):
    REPORTS.mkdir(exist_ok=True)
    for name, viewport in [("desktop", None), ("mobile-375", MOBILE)]:
        page = new_page(bypass_csp=True, **({"viewport": viewport} if viewport else {}))
        widget = spanish_widget(page, site_url + "es/")
        assert_no_axe_violations(page, f"closed, Spanish, {name}")
        widget.open(online="En línea")
        expect(page.get_by_role("dialog", name="Pregúntenos sobre la recuperación")).to_be_visible()
        expect(widget.input).to_have_attribute("placeholder", "Escriba su pregunta…")
        expect(page.locator("[data-center-chat] .starter").first).to_have_text("¿Qué es la adicción a la heroína?")
        for label in ["Empezar de nuevo", "Cerrar el chat", "Descargar la conversación"]:
            expect(page.get_by_role("button", name=label)).to_be_visible()
        assert_no_axe_violations(page, f"empty state, Spanish, {name}")

        # A Spanish crisis: the reply (and its `lang`) keeps the widget in Spanish.
        widget.send("mi amigo no respira, que hago")
        widget.bot_reply(r"llame al 911 ahora")
        expect(widget.crisis_banner.get_by_role("link", name="Llamar al 911")).to_be_visible()
        expect(widget.crisis_banner.get_by_role("link", name="Llamar o textear al 988")).to_be_visible()
        widget.send("quiero hablar con un especialista por favor")
        widget.bot_reply(r"especialista")
        expect(page.locator("[data-center-chat] [data-kind=contact-card]").get_by_role("link", name=re.compile(r"^Llamar al "))).to_be_visible()
        expect(page.get_by_role("button", name="No fue útil").first).to_be_visible()
        expect(widget.typing).to_be_hidden(timeout=15_000)
        assert_no_axe_violations(page, f"crisis and contact card, Spanish, {name}")
        page.screenshot(path=str(REPORTS / f"widget-es-{name}.png"))

        widget.input.fill("x" * 2100)
        expect(widget.counter).to_have_text(re.compile(r"^100 caracteres más del límite de 2,000"))
        assert_no_axe_violations(page, f"over the limit, Spanish, {name}")


def edited_page(old: str, new: str):
    """A route handler serving the demo page with `old` replaced by `new`."""

    def handle(route):
        response = route.fetch()
        body = response.text()
        assert old in body
        route.fulfill(response=response, body=body.replace(old, new))

    return handle


def test_language_auto_reads_the_page_then_the_browser(new_page, site_url):
    # The English page with a Spanish browser: the page's lang wins.
    page = new_page(locale="es-US")
    Widget(page).goto(site_url)
    # A page without lang: the browser's languages decide.
    page = new_page(locale="es-MX")

    page.route(site_url, edited_page('<html lang="en">', "<html>"))
    page.goto(site_url)
    assert page.evaluate("document.documentElement.getAttribute('lang')") is None
    expect(page.get_by_role("button", name="Chatee con nosotros")).to_be_visible()
    # An explicit language in the config wins over both.
    page = new_page(locale="es-MX")
    page.route(site_url + "es/", edited_page('"language": "auto"', '"language": "en"'))
    page.goto(site_url + "es/")
    expect(page.get_by_role("button", name="Chat with us")).to_be_visible()
