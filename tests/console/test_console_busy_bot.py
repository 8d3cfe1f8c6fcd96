"""The console beside a busy bot (issue 22 §1), on the database of the run (SQLite or PostgreSQL).

A writer process inserts one event every 20 ms through SQLAlchemy, as Rasa's tracker store
does; `manage.py sync_conversations --every 1` folds in the background, as `make run` runs
it; meanwhile staff work in a real browser: list refreshes, review saves with a tag and a
note, a correction, and adding a user. No response may be a 500, the writer must lose no
event, and once the bot goes quiet the list must catch up with every conversation.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from conversations.models import Conversation, Correction

from console_support import login, sqlalchemy_url

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
WRITER_SECONDS = 25
EVENT_INTERVAL = 0.02
CATCH_UP_SECONDS = 60
LIST = "/conversations/conversation/"


def _spawn(command, env_extra, log_path):
    env = {**os.environ, "DATABASE_URL": sqlalchemy_url(), "DJANGO_SECRET_KEY": "busy-bot-test",
           "PYTHONPATH": str(REPO_ROOT), **env_extra}
    log = open(log_path, "w")
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log


@pytest.fixture
def busy_bot(transactional_db, tmp_path):
    stop_file = tmp_path / "stop"
    writer, writer_log = _spawn(
        [sys.executable, str(HERE / "busy_bot_writer.py"), "--url", sqlalchemy_url(), "--interval",
         str(EVENT_INTERVAL), "--stop-file", str(stop_file), "--prefix", "busy-"],
        {}, tmp_path / "writer.log")
    folder, folder_log = _spawn(
        [sys.executable, "console/manage.py", "sync_conversations", "--every", "1"],
        {"CONSOLE_LOG_LEVEL": "WARNING"}, tmp_path / "folder.log")
    state = {"stop": stop_file, "writer": writer, "folder": folder, "logs": tmp_path}
    try:
        yield state
    finally:
        stop_file.touch()
        for process in (writer, folder):
            if process is folder:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        writer_log.close()
        folder_log.close()
        # Rasa's table is not flushed between tests (Django leaves unmanaged tables alone).
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM events WHERE sender_id LIKE %s", ["busy-%"])


def test_staff_work_beside_a_busy_bot(busy_bot, browser, live_server, console_admin):
    failures = []
    page = browser.new_page()
    page.on("response", lambda response: failures.append(f"{response.status} {response.url}")
            if response.status >= 500 else None)
    login(page, live_server.url, console_admin.username)

    # Wait for the fold to pick up the first conversations.
    deadline = time.monotonic() + 60
    while not Conversation.objects.filter(sender_id__startswith="busy-").exists():
        assert time.monotonic() < deadline, (busy_bot["logs"] / "folder.log").read_text()[-2000:]
        time.sleep(0.5)

    started = time.monotonic()
    rounds = saves = users_added = 0
    while time.monotonic() - started < WRITER_SECONDS:
        rounds += 1
        page.goto(live_server.url + LIST)
        assert page.locator("#freshness").count() == 1
        assert not re.search(r"(?<!\d)0 conversations", page.locator("#content").inner_text())
        assert page.locator("#result_list tbody tr").count() > 0

        page.locator("#result_list tbody tr .field-sender_id a").first.click()
        page.wait_for_selector("#transcript")
        page.select_option("#id_review_status", "reviewed" if rounds % 2 else "follow_up")
        page.locator("textarea[name^='notes-'][name$='-text']").first.fill(f"checked while the bot was busy ({rounds})")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist")
        saves += 1

        if rounds == 1:  # a correction of a visitor message
            page.goto(live_server.url + LIST + "?q=detox")
            page.locator("#result_list tbody tr .field-sender_id a").first.click()
            page.wait_for_selector("#transcript")
            page.locator("#transcript a:text('Correct intent')").first.click()
            page.select_option("#id_corrected_intent", "ask_treatment")
            page.click("input[name=_save]")
            page.wait_for_selector("#transcript .correction")

        page.goto(live_server.url + "/auth/user/add/")
        page.fill("#id_username", f"busy-staff-{rounds}")
        page.fill("#id_password1", "a long enough passphrase 42")
        page.fill("#id_password2", "a long enough passphrase 42")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist")
        users_added += 1

    busy_bot["stop"].touch()
    assert busy_bot["writer"].wait(timeout=30) == 0
    summary = json.loads((busy_bot["logs"] / "writer.log").read_text().strip().splitlines()[-1])
    assert summary["errors"] == []  # the console never made the bot's writes fail
    assert summary["written"] >= 200, summary["written"]  # the bot really was busy

    assert failures == []
    assert saves == rounds and users_added == rounds and rounds >= 2
    assert User.objects.filter(username__startswith="busy-staff-").count() == users_added
    assert Conversation.objects.exclude(review_status="unreviewed").filter(sender_id__startswith="busy-").exists()
    assert Correction.objects.exists()

    # The list catches up: every conversation the bot wrote is listed, the newest first,
    # and the freshness line no longer says the summary is behind.
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while True:
        page.goto(live_server.url + LIST + "?q=busy-")
        freshness = page.locator("#freshness").inner_text()
        listed = Conversation.objects.filter(sender_id__startswith="busy-").count()
        if "not in this list yet" not in freshness and listed == len(summary["senders"]):
            break
        assert time.monotonic() < deadline, f"{listed} of {len(summary['senders'])} listed; {freshness}"
        time.sleep(1)
    first_row = page.locator("#result_list tbody tr").first.inner_text()
    assert summary["senders"][-1] in first_row
    assert "Summary updated" in freshness
    assert failures == []
