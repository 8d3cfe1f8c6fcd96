"""The retention purge runs on a schedule in the `alerts` process by default,
not only when someone remembers to run it (actions/handoff/retry_alerts.py)."""
import asyncio
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from actions.handoff import retry_alerts, store

ROOT = Path(__file__).resolve().parents[2]


def test_the_purge_is_scheduled_daily_by_default_and_can_be_turned_off(monkeypatch):
    monkeypatch.delenv("RETENTION_PURGE_HOURS", raising=False)
    assert retry_alerts.purge_interval_s() == 24 * 3600
    scheduled = retry_alerts.jobs(300, retry_alerts.purge_interval_s(), once=False)
    assert [job.cr_code.co_name for job in scheduled] == ["every", "every"]
    assert scheduled[1].cr_frame.f_locals["work"] is retry_alerts.purge_once
    for job in scheduled:
        job.close()
    monkeypatch.setenv("RETENTION_PURGE_HOURS", "0")
    only_alerts = retry_alerts.jobs(300, retry_alerts.purge_interval_s(), once=False)
    assert len(only_alerts) == 1
    only_alerts[0].close()


def test_a_scheduled_round_deletes_old_hand_off_requests_and_keeps_new_ones(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    migrated = subprocess.run([sys.executable, str(ROOT / "console" / "manage.py"), "migrate", "--noinput", "-v0"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    request = store.HandoffRequest("web:x", "rest", "Sam", "phone", "+16175550134", "mornings", "self",
                                   datetime(2020, 1, 1))
    old_id, _ = store.save_request(request, "old-key", url)
    new_id, _ = store.save_request(request, "new-key", url)
    engine = store.engine_for(url)
    with engine.begin() as connection:
        connection.execute(store.handoff_requests.update().where(store.handoff_requests.c.id == old_id)
                           .values(created_at=datetime.utcnow() - timedelta(days=731)))
    monkeypatch.setenv("CONSOLE_HANDOFF_RETENTION_DAYS", "730")

    assert asyncio.run(retry_alerts.purge_once()) is True

    with engine.connect() as connection:
        left = [row.id for row in connection.execute(sa.select(store.handoff_requests.c.id))]
    assert left == [new_id]


def test_a_failing_purge_is_logged_without_its_traceback_and_the_loop_goes_on(monkeypatch, caplog):
    monkeypatch.setattr(retry_alerts, "PURGE_COMMAND", [sys.executable, "-c",
                                                        "raise RuntimeError('visitor said: call me Carla')"])
    assert asyncio.run(retry_alerts.purge_once()) is False
    assert "retention purge failed (exit 1, RuntimeError)" in caplog.text
    assert "Carla" not in caplog.text
