"""The widget through `make run-cluster`'s nginx (deploy/cluster): two Rasa
servers round robin, no sticky sessions. The widget uses websocket-only
transport, so a conversation works there; long-polling would not."""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.scale.cluster_support import ScaleCluster
from tests.widget.driver import Widget
from tests.widget.support import REPORTS, demo_server
from tests.widget.test_widget_stack import ANSWER, FOLLOW_UP_ANSWER, QUESTION


@pytest.fixture(scope="module")
def cluster():
    """tests/scale's cluster; stopped from another thread, because its clean-up runs
    asyncio.run() and Playwright's sync API keeps an event loop running in this one."""
    workdir = Path(tempfile.mkdtemp(prefix="widget-cluster-"))
    running = ScaleCluster(workdir)
    try:
        running.start()
        yield running
    finally:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(running.stop).result()
        shutil.rmtree(workdir, ignore_errors=True)


def test_widget_works_through_the_clusters_nginx(new_page, cluster):
    REPORTS.mkdir(exist_ok=True)
    with demo_server(cluster.url) as site:
        page = new_page()
        sockets, polls = [], []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.on("request", lambda request: "transport=polling" in request.url and polls.append(request.url))
        widget = Widget(page).goto(site)
        widget.open()
        widget.ask(QUESTION, ANSWER)
        # A reload opens a new websocket, which nginx may hand to the other server:
        # the conversation goes on there (PostgreSQL tracker store, Redis lock).
        page.reload()
        widget.open()
        widget.ask("tell me more", FOLLOW_UP_ANSWER)
        answer = page.locator("[data-center-chat] .msg.bot.last").last
        answer.get_by_role("button", name="Helpful", exact=True).click()
        expect(widget.polite_live).to_contain_text("Thanks for your feedback.")
        page.screenshot(path=str(REPORTS / "widget-cluster.png"))

    cluster_port = urlsplit(cluster.url).port
    assert len(sockets) == 2, sockets
    assert all(urlsplit(url).port == cluster_port and "transport=websocket" in url for url in sockets), sockets
    assert polls == [], "no long-polling: it would need sticky sessions"
    events = cluster.stored_events()[widget.session_id()]
    assert any(e["type"] == "slot" and '"answer_feedback"' in e["data"] and '"rating": "up"' in e["data"] for e in events)
    assert sum(1 for e in events if e["type"] == "bot" and re.search(FOLLOW_UP_ANSWER, e["data"], re.I)) == 1
