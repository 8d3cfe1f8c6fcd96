"""Fixtures for the chat widget's browser tests.

The browser is Debian's chromium, driven by Playwright through
executable_path (no downloaded browser). The widget talks to the real Rasa
stack (tests/support/stack.py) through the demo site served by widget/serve.py.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` run without `python -m` from the repo root
    sys.path.insert(0, str(ROOT))

from tests.widget.support import BUNDLE, CHROMIUM_FLAGS, DESKTOP, StubRasa, demo_server  # noqa: E402


@pytest.fixture(scope="session")
def bundle() -> Path:
    if not BUNDLE.exists():
        pytest.fail("widget/dist/center-chat.js is missing: run `make setup-widget`")
    return BUNDLE


@pytest.fixture(scope="session")
def browser(bundle):
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is not installed: run `make setup-widget`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def rasa_stack():
    from tests.support.stack import RasaStack

    with RasaStack(actions=True) as stack:
        yield stack


@pytest.fixture(scope="session")
def site_url(rasa_stack):
    with demo_server(rasa_stack.rasa_url) as url:
        yield url


@pytest.fixture()
def stub_rasa():
    stub = StubRasa()
    stub.start()
    yield stub
    stub.stop()


@pytest.fixture()
def stub_site_url(stub_rasa):
    with demo_server(stub_rasa.url) as url:
        yield url


@pytest.fixture()
def new_page(browser):
    """Factory for pages in fresh browser contexts (own localStorage); all closed after the test."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()
